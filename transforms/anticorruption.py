"""Anticorruption-programme execution reports ("Звітна інформація про виконання Антикорупційної
програми ДМС на 2019 рік").

One 5-column table (№, name, deadline, responsible, status) holding several appendices
("Додаток 2 до …" group rows), each split into areas ("1. Управління персоналом"). Measures are
numbered per appendix in one of two ways:

* "1.1.", "2.1", "3.1." — a row with an empty № right under a numbered row is a further measure
  under that number (position 2, 3, …);
* "1.", "2." inside an area, the measures being sub-items "1) …", "2) …" of the name cell
  (position = N of "N)").

A row piece with an empty № at the top of a page is either a continuation of the row above or a
new measure: the content decides (`is_continuation`), and the table is re-stitched with that rule.
Output: one row per measure (`anticorruption`) and one row per cited document
(`document_references`). A measure's `record_key` is "appendix|area|number|position".
"""

from __future__ import annotations

import dataclasses
import re

import polars as pl

from reader.model import Document, Row
from reader.stitch import restitch
from transforms import columns, common
from transforms.base import RECORD_KEY, TableReport, conform
from transforms.columns import Column, cell
from transforms.deadlines import KINDS as DEADLINE_KINDS
from transforms.references import TABLE_SCHEMA as REFERENCES_SCHEMA
from transforms.units import PERSON_DTYPE, persons_expr, units_expr

DOC_TYPE = "anticorruption"
VERSION = "8"  # 8: a lost group cell no longer fails the document (fuzz)
"""Bump when this module's output changes: only anticorruption reports are read again."""
REASONS: dict[str, str] = {}

COLUMNS: tuple[Column, ...] = (
    # An anticorruption programme is checked measure by measure: what, by when, by whom, and
    # what was done. Every one of these is required; the number is what keys a measure.
    columns.number_column("№"),
    Column("deadline", "Строк виконання заходу", columns.DEADLINE, cells=columns.is_deadline),
    Column(
        "responsible", "Відповідальні за виконання", columns.RESPONSIBLE, cells=columns.is_units
    ),
    Column(
        "status",
        "Стан виконання",
        columns.STATUS,
        cells=columns.phrases(
            r"\b(?:здійснено|проведено|забезпечено|виконано|здійснюється|забезпечується|"
            r"проводиться|функціонує|розміщено|направлено|підготовлено|організовано)\b|"
            r"на\s+постійній\s+основі|не\s+є\s+доцільн"
        ),
    ),
    Column("name", "Найменування заходу", columns.MEASURE),
)

STATUS_CLASSES: tuple[tuple[str, str], ...] = (
    # (class, regex on the lower-cased status text); first match wins, so negations come first.
    (
        "not_required",
        r"не\s+є\s+доцільн|недоцільн|відсутн\w*\s+потреб|немає\s+потреби|"
        r"необхідність\s+відсутн",
    ),
    ("not_done", r"не\s+виконан|не\s+проведен|не\s+здійснен"),
    ("partially_done", r"призупинен|частков"),
    (
        "ongoing",
        r"на\s+постійній\s+основі|постійно|щоденн|функціону|щоквартальн|регулярн|систематичн",
    ),
)
"""Status classes read from the narrative "Стан виконання"; anything else that is written is
`done` (the reports describe what was done), an empty cell is `unknown`."""
STATUS_VALUES = ("done", "ongoing", "not_required", "partially_done", "not_done", "unknown")
STATUS_LABELS_UK: dict[str, str] = {
    "done": "Виконано",
    "ongoing": "Виконується на постійній основі",
    "not_required": "Потреба відсутня",
    "partially_done": "Виконано частково або призупинено",
    "not_done": "Не виконано",
    "unknown": "Стан не зазначено",
}
"""Each status in Ukrainian, for analysts and charts (marts `status_label_uk`, `dim_statuses`)."""

TITLE_RE = r"(?i)антикорупційн\w*\s+програм"
APPENDIX_RE = r"(?i)^\s*додаток\b"
AREA_RE = r"^\s*(\d+)\s*\.\s*(.*)$"
SUB_ITEM_RE = r"^\s*(\d+)\)\s*"
"""A sub-item of the name cell: "1) надсилання …"."""

SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "anticorruption": {
        "source_sha256": pl.String(),
        "record_key": pl.String(),
        "source_file": pl.String(),
        "programme_year": pl.Int32(),
        "measure_index": pl.Int32(),
        "appendix_number": pl.Int32(),
        "appendix_title": pl.String(),
        "area_number": pl.Int32(),
        "area_title": pl.String(),
        "number_printed": pl.String(),
        "measure_number": pl.String(),
        "measure_position": pl.Int32(),
        "item_label": pl.String(),
        "measure": pl.String(),
        "deadline_text": pl.String(),
        "deadline_kind": pl.String(),
        "deadline_start_date": pl.Date(),
        "deadline_end_date": pl.Date(),
        "deadline_dates": pl.List(pl.Date()),
        "deadline_is_recurring": pl.Boolean(),
        "deadline_is_event_relative": pl.Boolean(),
        "deadline_condition": pl.String(),
        "responsible_text": pl.String(),
        "responsible_units": pl.List(pl.String()),
        "responsible_persons": pl.List(PERSON_DTYPE),
        "status_text": pl.String(),
        "status": pl.String(),
        "page_first": pl.Int32(),
        "page_last": pl.Int32(),
    },
    "document_references": REFERENCES_SCHEMA,
}
REPORT = TableReport(
    DOC_TYPE,
    COLUMNS,
    TITLE_RE,
    no_table_message="the report has no table of measures",
    group_column="name",
    reference_fields={"status": "status_text"},
    status_classes=STATUS_CLASSES,
    status_values=STATUS_VALUES,
    status_default="done",
)
VOCABULARIES = REPORT.vocabularies(deadline_kind=DEADLINE_KINDS)
LABELS_UK = {f"{DOC_TYPE}.status": STATUS_LABELS_UK}
"""Ukrainian labels of the vocabularies that have them (`transforms.registry.labels_uk`)."""
matches = REPORT.matches
titled = REPORT.titled


def continuation_rule(mapping: dict[str, int]):
    """`is_continuation` for `restitch`: does a row piece continue the row above?

    Only a piece at the top of a page with an empty № can continue a row. It is a new measure
    when its name starts a sub-item ("3) …"), or when it starts a fresh measure: a capitalised
    name with its own deadline and responsible cells (a cut row leaves those short cells behind
    on the page before, and no cell of a fresh row starts in lower case). Anything else
    continues a cut sentence.
    """

    def is_continuation(previous: Row, cells: list[str], at_page_top: bool) -> bool:
        if not at_page_top or cell(cells, mapping, "no"):
            return False
        name = cell(cells, mapping, "name")
        if re.match(SUB_ITEM_RE, name):
            return False
        texts = [cell(cells, mapping, c.key) for c in COLUMNS if c.key != "no"]
        fresh = (
            name[:1].isupper()
            and name[1:2].islower()
            and bool(cell(cells, mapping, "deadline"))
            and bool(cell(cells, mapping, "responsible"))
            and not any(t[:1].islower() for t in texts)
        )
        return not fresh

    return is_continuation


def _heads_a_group(text: str) -> bool:
    return bool(re.match(AREA_RE, text) or re.match(APPENDIX_RE, text))


def regroup(row: Row) -> Row:
    """A one-cell data row holding "4. …" or "Додаток …" is a group row that lost its cell."""
    texts = [c for c in row.cells if c and c.strip()]
    # two patterns, not one alternation: APPENDIX_RE's inline flag must start its pattern
    if row.kind == "data" and len(texts) == 1 and _heads_a_group(texts[0]):
        return dataclasses.replace(row, kind="group", cells=[texts[0]])
    return row


def measures(
    rows: pl.LazyFrame, source_sha256: str, source_file: str, programme_year: int | None
) -> pl.LazyFrame:
    """Rows of the measures table -> `anticorruption` rows (pure, lazy)."""
    is_group = pl.col("kind") == "group"
    group_text = pl.col("name").str.replace_all(r"\s+", " ").str.strip_chars()
    is_appendix = is_group & group_text.str.contains(APPENDIX_RE)
    area = group_text.str.extract_groups(AREA_RE)
    is_area = is_group & ~is_appendix & area.struct.field("1").is_not_null()
    # A narrow № column wraps "1.1." as "1.1 .": numbers never hold spaces.
    printed = pl.col("no").str.replace_all(r"\s+", "")
    number = printed.str.strip_chars(".")
    label_no = pl.col("name").str.extract(SUB_ITEM_RE).cast(pl.Int32)
    group_keys = ["appendix_number", "area_number", "measure_number"]
    return (
        rows.with_columns(
            is_appendix.cum_sum().cast(pl.Int32).alias("_appendix_seq"),
            pl.when(is_appendix).then(group_text).alias("appendix_title"),
            pl.when(is_area).then(area.struct.field("1").cast(pl.Int32)).alias("area_number"),
            pl.when(is_area).then(area.struct.field("2").str.strip_chars()).alias("area_title"),
        )
        .with_columns(
            pl.when(pl.col("_appendix_seq") > 0).then(pl.col("_appendix_seq"))
            .alias("appendix_number"),
            pl.col("appendix_title").forward_fill(),
            # An area is valid only inside its appendix.
            pl.col("area_number", "area_title").forward_fill().over("_appendix_seq"),
        )
        .pipe(REPORT.data_rows)
        .with_columns(
            printed.alias("number_printed"),
            pl.when(number != "").then(number).forward_fill().over("appendix_number", "area_number")
            .alias("measure_number"),
            pl.col("name").str.extract(r"^\s*(\d+\))").alias("item_label"),
        )
        .with_columns(
            pl.coalesce(
                label_no,
                pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over(group_keys),
            ).alias("measure_position"),
        )
        .with_columns(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.lit(source_file, pl.String).alias("source_file"),
            pl.lit(programme_year, pl.Int32).alias("programme_year"),
            pl.int_range(pl.len(), dtype=pl.Int32).alias("measure_index"),
            pl.concat_str(
                pl.col("appendix_number").cast(pl.String).fill_null("0"),
                pl.col("area_number").cast(pl.String).fill_null("0"),
                pl.col("measure_number").fill_null("0"),
                pl.col("measure_position").cast(pl.String),
                separator="|",
            ).alias(RECORD_KEY),
            pl.col("name").str.replace(SUB_ITEM_RE, "").str.strip_chars().alias("measure"),
            pl.col("responsible").alias("responsible_text"),
            units_expr(pl.col("responsible")).fill_null(pl.lit([], pl.List(pl.String)))
            .alias("responsible_units"),
            persons_expr(pl.col("responsible")).fill_null(pl.lit([], pl.List(PERSON_DTYPE)))
            .alias("responsible_persons"),
        )
        .pipe(REPORT.with_deadline_and_status, "programme_year")
        .with_columns(
            pl.col("deadline_kind").is_in(["daily", "recurring"]).alias("deadline_is_recurring"),
            pl.col("deadline_kind").is_in(["event", "relative"])
            .alias("deadline_is_event_relative"),
        )
        .pipe(conform, SCHEMAS["anticorruption"])
    )  # fmt: skip


def normalise(doc: Document) -> dict[str, pl.DataFrame]:
    """The document -> {"anticorruption": …, "document_references": …} frames."""
    table, mapping = REPORT.find_table(doc)
    if table.rows and all(row.parts for row in table.rows):  # truth-built tables have none
        table = restitch(table, continuation_rule(mapping))
    rows = REPORT.rows_frame((regroup(row) for row in table.rows), mapping)
    lf = measures(rows, doc.sha256, doc.file_name, common.report_year(doc))
    return REPORT.with_references(lf, doc.sha256)
