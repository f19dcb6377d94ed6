"""Work-plan execution reports ("Звіт про результати виконання Плану роботи ДМС за 2021 рік").

One table of measures grouped by "Розділ N. …" rows. Columns are found by what their header
means, not by position, because other years reword and reorder them. Output: one row per
measure (`plan_execution`) and one row per cited document (`document_references`).
"""

from __future__ import annotations

import re

import polars as pl

from reader.model import Document, Table
from transforms import columns, common
from transforms.base import RECORD_KEY
from transforms.columns import Column
from transforms.deadlines import KINDS as DEADLINE_KINDS
from transforms.deadlines import add_deadline
from transforms.references import SCHEMA as REFERENCES_SCHEMA
from transforms.references import extract_references
from transforms.units import units_expr

DOC_TYPE = "plan_execution"
VERSION = "6"
"""Bump when this module's output changes: only plan reports are read again."""
REASONS: dict[str, str] = {}


COLUMNS: tuple[Column, ...] = (
    # Checked in this order; a header takes the first column that matches and is still free.
    Column("no", "№ п/п", r"^(?:№|n|no\.?|номер)(?:\s|$|\s*з/п|\s*п/п)|^№", required=False),
    Column("evidence", "Документи або інформація, що підтверджують виконання", r"підтвердж"),
    Column(
        "justification",
        "Обґрунтування необхідності здійснення заходу",
        r"обґрунтуванн|обгрунтуванн|підстав",
        required=False,
    ),
    Column("deadline", "Термін виконання", r"термін|строк|дата виконання"),
    Column("executor", "Виконавець", r"виконав|відповідальн"),
    Column(
        "status",
        "Відмітка про виконання",
        r"відмітк|стан\s+виконання|інформація\s+про\s+виконання|результат\w*\s+виконання|"
        r"^стан|^виконання$",
    ),
    Column("measure", "Зміст заходу", r"захо?д|захід|зміст|найменування|завданн"),
)

STATUS_CLASSES: tuple[tuple[str, str], ...] = (
    # (class, regex on the lower-cased status text); first match wins, so negations come first.
    ("not_done", r"не\s+виконан"),
    ("partially_done", r"частков"),
    ("not_held", r"не\s+(?:провод|відбув|відбул|здійсн|організов)"),
    # A report that opens with "Виконано" is done even if it goes on "… постійно".
    ("done", r"^\s*виконано\b"),
    ("postponed", r"перенесен|перенести|відкладен|відтермінов"),
    ("in_progress", r"викону[єю]ться|в\s+процесі|у\s+процесі|трива|на\s+контрол|постійн"),
    ("done", r"виконано|проведено|здійснено|забезпечено|затверджено"),
)
STATUS_VALUES: tuple[str, ...] = (
    "done", "partially_done", "not_done", "not_held", "in_progress", "postponed", "unknown",
)  # fmt: skip
STATUS_REASONS: tuple[tuple[str, str], ...] = (
    ("no_funding", r"фінансуванн|коштів"),
    ("quarantine", r"карантин|епідем|пандемі|covid"),
)
"""Why a measure was not (fully) done. Read from the status text, else from the evidence."""

SECTION_RE = r"(?i)^\s*розділ\s+(\d+|[IVXІХ]+)\.?\s*(.*)$"
"""A section row: "Розділ 1. Основні заходи …" (Arabic or Roman number)."""
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
          "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]  # fmt: skip
ROMAN_NUMBERS: dict[str, int] = {r: i for i, r in enumerate(_ROMAN, start=1)}


def section_number_expr(raw: pl.Expr) -> pl.Expr:
    """ "3" or "III" (Latin, or Cyrillic І/Х look-alikes) -> 3."""
    latin = raw.str.to_uppercase().str.replace_all("І", "I").str.replace_all("Х", "X")
    roman = latin.replace_strict(ROMAN_NUMBERS, default=None, return_dtype=pl.Int32)
    return pl.coalesce(raw.cast(pl.Int32, strict=False), roman)  # strict=False: Roman numerals


SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "plan_execution": {
        "source_sha256": pl.String(),
        "record_key": pl.String(),
        "source_file": pl.String(),
        "report_year": pl.Int32(),
        "measure_index": pl.Int32(),
        "section_number": pl.Int32(),
        "section_title": pl.String(),
        "item_number": pl.String(),
        "measure": pl.String(),
        "executors_text": pl.String(),
        "executors": pl.List(pl.String()),
        "deadline_text": pl.String(),
        "deadline_kind": pl.String(),
        "deadline_start_date": pl.Date(),
        "deadline_end_date": pl.Date(),
        "deadline_condition": pl.String(),
        "status_text": pl.String(),
        "status": pl.String(),
        "status_reason": pl.String(),
        "justification": pl.String(),
        "evidence": pl.String(),
        "page_first": pl.Int32(),
        "page_last": pl.Int32(),
    },
    "document_references": {
        "source_sha256": pl.String(),
        "doc_type": pl.String(),
        **REFERENCES_SCHEMA,
    },
}
REFERENCE_FIELDS = ("justification", "evidence", "status")
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "plan_execution.status": STATUS_VALUES,
    "plan_execution.deadline_kind": DEADLINE_KINDS,
}
TITLE_RE = r"(?i)план\w*\s+(?:\w+\s+){0,3}?робот"


def map_columns(header: list[str]) -> dict[str, int]:
    """Logical column key -> index in `header`, by meaning (see `transforms.columns`)."""
    return columns.map_columns(header, COLUMNS)


def find_table(doc: Document) -> tuple[Table, dict[str, int]]:
    """The measures table and its column mapping; DocumentError when there is none."""
    return columns.find_table(doc, COLUMNS, "the report has no table of measures")


def matches(doc: Document) -> bool:
    """A plan report: the title names a work plan and a table's headers map."""
    if not re.search(TITLE_RE, common.report_title(doc)):
        return False
    return columns.has_table(doc, COLUMNS)


def rows_frame(table: Table, mapping: dict[str, int]) -> pl.LazyFrame:
    """The table's rows as a frame: kind, text per logical column, pages (one row per row)."""
    keys = [c.key for c in COLUMNS]
    data: dict[str, list[object]] = {"kind": [], "page_first": [], "page_last": []}
    data |= {k: [] for k in keys}
    for row in table.rows:
        data["kind"].append(row.kind)
        data["page_first"].append(row.page_first)
        data["page_last"].append(row.page_last)
        for k in keys:
            if row.kind == "group":
                data[k].append(row.text if k == "measure" else None)
            elif k in mapping and mapping[k] < len(row.cells):
                data[k].append(row.cells[mapping[k]])
            else:
                data[k].append(None)
    schema = {"kind": pl.String, "page_first": pl.Int32, "page_last": pl.Int32}
    schema |= {k: pl.String for k in keys}
    return pl.LazyFrame(data, schema=schema)


def _text(name: str) -> pl.Expr:
    """A text cell stripped; empty -> null."""
    out = pl.col(name).str.strip_chars()
    return pl.when(out != "").then(out).alias(name)


def status_expr(text: pl.Expr) -> pl.Expr:
    """Status text -> status class."""
    low = text.str.to_lowercase()
    out = pl.when(text.is_null()).then(pl.lit("unknown"))
    for cls, pattern in STATUS_CLASSES:
        out = out.when(low.str.contains(pattern)).then(pl.lit(cls))
    return out.otherwise(pl.lit("unknown"))


def status_reason_expr(status_text: pl.Expr, evidence: pl.Expr, status: pl.Expr) -> pl.Expr:
    """Why a measure was not fully done: from the status text, else (not done) the evidence."""

    def reason(text: pl.Expr) -> pl.Expr:
        low = text.str.to_lowercase()
        out = pl.lit(None, pl.String)
        for code, pattern in reversed(STATUS_REASONS):
            out = pl.when(low.str.contains(pattern)).then(pl.lit(code)).otherwise(out)
        return out

    not_fully = status.is_in(["not_done", "partially_done", "not_held", "postponed"])
    return pl.coalesce(reason(status_text), pl.when(not_fully).then(reason(evidence)))


def record_key_expr() -> pl.Expr:
    """A measure's key: its printed number, else "#" + its 1-based place (a "#" never starts a
    printed number, so the two cannot collide)."""
    return pl.coalesce(pl.col("item_number"), pl.format("#{}", pl.col("measure_index") + 1))


def measures(
    rows: pl.LazyFrame, source_sha256: str, source_file: str, report_year: int | None
) -> pl.LazyFrame:
    """Rows of the measures table -> `plan_execution` rows (pure, lazy)."""
    section = pl.col("measure").str.extract_groups(SECTION_RE)
    is_group = pl.col("kind") == "group"
    return (
        rows.with_columns(
            pl.when(is_group).then(section_number_expr(section.struct.field("1")))
            .alias("section_number"),
            pl.when(is_group).then(section.struct.field("2").str.strip_chars())
            .alias("section_title"),
        )
        .with_columns(pl.col("section_number", "section_title").forward_fill())
        .filter(~is_group)
        .with_columns(*(_text(k) for k in (c.key for c in COLUMNS)))
        # A data row with no text at all (a blank spacer row) is not a measure.
        .filter(pl.any_horizontal(pl.col(c.key).is_not_null() for c in COLUMNS))
        .with_columns(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.lit(source_file, pl.String).alias("source_file"),
            pl.lit(report_year, pl.Int32).alias("report_year"),
            pl.int_range(pl.len(), dtype=pl.Int32).alias("measure_index"),
            pl.col("no").str.strip_chars(" ").alias("item_number"),
        )
        .with_columns(record_key_expr().alias(RECORD_KEY))
        .with_columns(
            pl.col("executor").alias("executors_text"),
            units_expr(pl.col("executor")).fill_null(pl.lit([], pl.List(pl.String)))
            .alias("executors"),
            pl.col("deadline").alias("deadline_text"),
            pl.col("status").alias("status_text"),
            status_expr(pl.col("status")).alias("_status"),
        )
        .pipe(add_deadline, "deadline", "report_year", prefix="deadline_")
        .with_columns(
            status_reason_expr(pl.col("status_text"), pl.col("evidence"), pl.col("_status"))
            .alias("status_reason"),
        )
        .drop("status")
        .rename({"_status": "status"})
        .select(
            pl.col(name).cast(dtype) for name, dtype in SCHEMAS["plan_execution"].items()
        )
    )  # fmt: skip


def references(plan: pl.LazyFrame, source_sha256: str) -> pl.LazyFrame:
    """`plan_execution` rows -> `document_references` rows, keyed by the measure's record key."""
    renamed = plan.select(
        RECORD_KEY,
        pl.col("justification"),
        pl.col("evidence"),
        pl.col("status_text").alias("status"),
    )
    return (
        extract_references(renamed, RECORD_KEY, list(REFERENCE_FIELDS))
        .select(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.lit(DOC_TYPE, pl.String).alias("doc_type"),
            pl.all(),
        )
        .select(pl.col(n).cast(t) for n, t in SCHEMAS["document_references"].items())
    )


def normalise(doc: Document) -> dict[str, pl.DataFrame]:
    """The document -> {"plan_execution": …, "document_references": …} frames."""
    table, mapping = find_table(doc)
    plan = measures(rows_frame(table, mapping), doc.sha256, doc.file_name, common.report_year(doc))
    refs = references(plan, doc.sha256)
    plan_df, refs_df = pl.collect_all([plan, refs])
    return {"plan_execution": plan_df, "document_references": refs_df}
