"""Quarantine reasons a data owner can act on: what failed, where, why and what to do, in
Ukrainian and English, never with document text.

A reason keeps its code (`reader.errors.REASONS`); this module writes the sentence stored with it
in the ledger, the quarantine note and the run summary. Where a validation failure happened is
found from the frame itself (polars): page, item (the record's key, unless the failing column is
what the key is made of) and row, never the values. Why an expectation exists is its own
`meta.why` {uk, en} in `expectations/*.json`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

ACTIONS: dict[str, tuple[str, str, str]] = {
    # code -> (what failed, in Ukrainian; what to do, in Ukrainian; what to do, in English)
    "missing_column": (
        "у таблиці бракує обов'язкового стовпця",
        "назвіть стовпець, як у типовому звіті, або додайте це формулювання до словника типу "
        "(transforms/<тип>.py), потім `zvit requeue <sha256>`",
        "name the column as the reference report does, or add this wording to the type's "
        "vocabulary (transforms/<type>.py), then `zvit requeue <sha256>`",
    ),
    "validation_failed": (
        "записи не пройшли перевірку",
        "звірте названі сторінки й рядки з документом: якщо документ правильний, виправте "
        "читання або словник і виконайте `zvit requeue <sha256>`; якщо ні, надішліть "
        "виправлений документ",
        "check the pages and rows named against the document: if the document is right, fix the "
        "extractor or vocabulary and run `zvit requeue <sha256>`; if not, send a corrected file",
    ),
    "unknown_type": (
        "документ не належить до жодного відомого типу звіту",
        "перевірте, що це звіт одного з відомих типів; новий тип додається модулем у "
        "transforms/, потім `zvit requeue <sha256>`",
        "check that it is a report of a known type; a new type is a new module in transforms/, "
        "then `zvit requeue <sha256>`",
    ),
    "no_table": (
        "у документі не знайдено таблиці",
        "надішліть звіт з таблицею (не лист чи скан без тексту)",
        "send the report with its table (not a cover letter or a scan without text)",
    ),
    "unread_rows": (
        "частина рядків таблиці не має ліній, і зчитати їх не вдалося",
        "надішліть DOCX або PDF, у якому рядки таблиці розділено лініями (сітка таблиці): "
        "новий файл прочитається під час наступного запуску",
        "send the DOCX, or a PDF whose table rows are ruled (a table grid); the new file is read "
        "on the next run",
    ),
    "no_text_layer": (
        "документ не має текстового шару, і розпізнати скан не вдалося",
        "надішліть текстовий PDF або DOCX, або скан щонайменше 150 dpi (Tesseract з ukr має "
        "бути встановлено: make setup)",
        "send a text PDF or the DOCX, or a scan of at least 150 dpi (Tesseract with ukr must be "
        "installed: make setup)",
    ),
    "encrypted": (
        "документ зашифровано",
        "надішліть документ без пароля",
        "send the document without a password",
    ),
    "timeout": (
        "читання перевищило ліміт часу",
        "збільште ZVIT_DOCUMENT_TIMEOUT_S або розділіть документ, потім `zvit requeue <sha256>`",
        "raise ZVIT_DOCUMENT_TIMEOUT_S or split the document, then `zvit requeue <sha256>`",
    ),
    "resource_limit": (
        "читання перевищило ліміт пам'яті",
        "збільште ZVIT_WORKER_MEMORY_MB, потім `zvit requeue <sha256>`",
        "raise ZVIT_WORKER_MEMORY_MB, then `zvit requeue <sha256>`",
    ),
}
DEFAULT_ACTION = (
    "документ не прочитано",
    "перевірте файл; коли причину усунено, виконайте `zvit requeue <sha256>`",
    "check the file; once the cause is fixed, run `zvit requeue <sha256>`",
)
MAX_PLACES = 5
"""Rows named per failed expectation; the rest are counted."""
KEY_PARTS = re.compile(r"record_key|number|no$|position|index")
"""Columns a record key is made of: when one of them fails, the key is not named (it would be
the failing value)."""


def with_action(code: str, reason: str, sha256: str = "") -> str:
    """`reason` (English, text-free) followed by what failed and what to do, in both languages."""
    what_uk, do_uk, do_en = ACTIONS.get(code, DEFAULT_ACTION)
    sha = sha256[:12] or "<sha256>"
    do_uk, do_en = do_uk.replace("<sha256>", sha), do_en.replace("<sha256>", sha)
    return f"{reason}. What to do: {do_en}. | UK: {what_uk}. Що робити: {do_uk}."


def failing_rows(frame: pl.DataFrame, expectation: str, kwargs: Mapping[str, Any]) -> pl.Series:
    """A boolean per row: does this row break the expectation? (all false for table-level ones)"""
    col = kwargs.get("column")
    false = pl.Series([False] * frame.height)
    if col is not None and col not in frame.columns:
        return false
    c = pl.col(col) if col else None
    present = c.is_not_null() if c is not None else None
    expr: pl.Expr | None = None
    if expectation == "expect_column_values_to_not_be_null":
        expr = c.is_null()
    elif expectation == "expect_column_values_to_be_unique":
        expr = present & c.is_duplicated()
    elif expectation == "expect_column_values_to_match_regex":
        expr = present & ~c.cast(pl.String).str.contains(kwargs["regex"])
    elif expectation == "expect_column_values_to_be_in_set":
        expr = present & ~c.is_in(list(kwargs["value_set"]))
    elif expectation in (
        "expect_column_values_to_be_between",
        "expect_column_value_lengths_to_be_between",
    ):
        value = c.str.len_chars() if expectation.startswith("expect_column_value_lengths") else c
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        expr = pl.lit(False)
        if low is not None:
            expr = expr | (value < low)
        if high is not None:
            expr = expr | (value > high)
        expr = present & expr
    elif expectation == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = pl.col(kwargs["column_A"]), pl.col(kwargs["column_B"])
        if {kwargs["column_A"], kwargs["column_B"]} <= set(frame.columns):
            expr = a.is_not_null() & b.is_not_null()
            expr = expr & ((a < b) if kwargs.get("or_equal") else (a <= b))
    if expr is None:
        return false
    return frame.select(expr.fill_null(False).alias("bad")).to_series()


def places(frame: pl.DataFrame, bad: pl.Series, failing_column: str | None) -> list[str]:
    """Where the failing rows are: "page 3, item 2.1, row 17" (row = place in the table, 1-based),
    never a value; the item is left out when the failing column is what keys are made of."""
    show_key = "record_key" in frame.columns and not (
        failing_column and KEY_PARTS.search(failing_column)
    )
    out = []
    for i in bad.arg_true().to_list():
        row = frame.row(i, named=True)
        parts = []
        if row.get("page_first") is not None:
            parts.append(f"page {row['page_first']}")
        if show_key and row.get("record_key") is not None:
            parts.append(f"item {row['record_key']}")
        parts.append(f"row {i + 1}")
        out.append(", ".join(parts))
    return out


def validation_reason(
    failures: Sequence[Any], frames: Mapping[str, pl.DataFrame], sha256: str = ""
) -> str:
    """The reason for `validation_failed`: every failed expectation, where it failed (pages,
    items, rows) and why (its `meta.why`), then what to do; no document text."""
    parts = []
    for f in failures:
        frame = frames.get(f.table)
        where = ""
        if frame is not None and frame.height:
            found = places(frame, failing_rows(frame, f.expectation, f.kwargs), f.column)
            if found:
                more = f" and {len(found) - MAX_PLACES} more" if len(found) > MAX_PLACES else ""
                where = " at " + "; ".join(found[:MAX_PLACES]) + more
        why_en, why_uk = f.why.get("en", ""), f.why.get("uk", "")
        why = f" (why: {why_en} / чому: {why_uk})" if why_en or why_uk else ""
        parts.append(f"{f}{where}{why}")
    reason = "failed expectations: " + "; ".join(parts)
    return with_action("validation_failed", reason, sha256)
