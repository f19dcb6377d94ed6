"""Work-plan execution reports ("Звіт про результати виконання Плану роботи ДМС за 2021 рік").

One table of measures grouped by "Розділ N. …" rows. Columns are found by what their header
means, not by position, because other years reword and reorder them. Output: one row per
measure (`plan_execution`) and one row per cited document (`document_references`).
"""

from __future__ import annotations

import polars as pl

from reader.model import Document
from transforms import columns, common
from transforms.base import RECORD_KEY, TableReport, conform, first_match
from transforms.columns import Column
from transforms.deadlines import KINDS as DEADLINE_KINDS
from transforms.references import TABLE_SCHEMA as REFERENCES_SCHEMA
from transforms.units import units_expr

DOC_TYPE = "plan_execution"
VERSION = "7"
"""Bump when this module's output changes: only plan reports are read again."""
REASONS: dict[str, str] = {}


COLUMNS: tuple[Column, ...] = (
    # Tried in this order on each header; a header takes the first column it names. What a plan
    # report is for: what was to be done, by whom, by when, and how far it got. Numbers, evidence
    # and justification are kept when there, and a report without them is still read.
    columns.number_column("№ п/п"),
    Column(
        "evidence",
        "Документи або інформація, що підтверджують виконання",
        columns.EVIDENCE,
        required=False,
    ),
    Column(
        "justification",
        "Обґрунтування необхідності здійснення заходу",
        r"обґрунтуванн|обгрунтуванн|підстав",
        required=False,
    ),
    Column("deadline", "Термін виконання", columns.DEADLINE, cells=columns.is_deadline),
    Column("executor", "Виконавець", columns.RESPONSIBLE, cells=columns.is_units),
    Column("status", "Відмітка про виконання", columns.STATUS),  # cells: set below
    Column("measure", "Зміст заходу", columns.MEASURE),
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
COLUMNS = columns.with_cells(COLUMNS, status=columns.status_phrases(STATUS_CLASSES, 200))
STATUS_VALUES: tuple[str, ...] = (
    "done", "partially_done", "not_done", "not_held", "in_progress", "postponed", "unknown",
)  # fmt: skip
STATUS_LABELS_UK: dict[str, str] = {
    "done": "Виконано",
    "partially_done": "Виконано частково",
    "not_done": "Не виконано",
    "not_held": "Не проведено",
    "in_progress": "Виконується",
    "postponed": "Перенесено",
    "unknown": "Не визначено",
}
"""Each status in Ukrainian, for analysts and charts (marts `status_label_uk`, `dim_statuses`)."""
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
    "document_references": REFERENCES_SCHEMA,
}
TITLE_RE = r"(?i)план\w*\s+(?:\w+\s+){0,3}?робот"

REPORT = TableReport(
    DOC_TYPE,
    COLUMNS,
    TITLE_RE,
    no_table_message="the report has no table of measures",
    group_column="measure",
    reference_fields={
        "justification": "justification",
        "evidence": "evidence",
        "status": "status_text",
    },
    status_classes=STATUS_CLASSES,
    status_values=STATUS_VALUES,
)
VOCABULARIES = REPORT.vocabularies(deadline_kind=DEADLINE_KINDS)
LABELS_UK = {f"{DOC_TYPE}.status": STATUS_LABELS_UK}
"""Ukrainian labels of the vocabularies that have them (`transforms.registry.labels_uk`)."""
matches = REPORT.matches
titled = REPORT.titled


def status_reason_expr(status_text: pl.Expr, evidence: pl.Expr, status: pl.Expr) -> pl.Expr:
    """Why a measure was not fully done: from the status text, else (not done) the evidence."""
    not_fully = status.is_in(["not_done", "partially_done", "not_held", "postponed"])
    return pl.coalesce(
        first_match(status_text, STATUS_REASONS),
        pl.when(not_fully).then(first_match(evidence, STATUS_REASONS)),
    )


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
        .pipe(REPORT.data_rows)
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
        )
        .pipe(REPORT.with_deadline_and_status, "report_year")
        .with_columns(
            status_reason_expr(pl.col("status_text"), pl.col("evidence"), pl.col("status"))
            .alias("status_reason"),
        )
        .pipe(conform, SCHEMAS["plan_execution"])
    )  # fmt: skip


def normalise(doc: Document) -> dict[str, pl.DataFrame]:
    """The document -> {"plan_execution": …, "document_references": …} frames."""
    table, mapping = REPORT.find_table(doc)
    rows = REPORT.rows_frame(table.rows, mapping)
    plan = measures(rows, doc.sha256, doc.file_name, common.report_year(doc))
    return REPORT.with_references(plan, doc.sha256)
