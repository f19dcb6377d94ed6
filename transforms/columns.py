"""Columns found by what their headers mean, not by position: shared by every table-based type.

Real reports reword, reorder and drop columns from year to year, so each type lists its logical
columns with a regex on the header text; a table is the type's table when every required column
is found in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.errors import DocumentError
from reader.model import Document, Table

NUMBER = r"^(?:№|n|no\.?|номер)(?:\s|$|\s*з/п|\s*п/п)|^№"
"""The header of a row-number column: "№", "№ п/п", "№ з/п", "N", "Номер"."""
DEADLINE = r"термін|строк|дата виконання"
"""A deadline column: "Термін виконання", "Строк виконання заходу"."""
RESPONSIBLE = r"виконав|відповідальн"
"""Who carries a measure out: "Виконавець", "Відповідальні за виконання"."""
MEASURE = r"захо?д|захід|зміст|найменування|завданн"
"""What a measure is: "Зміст заходу", "Найменування заходу"."""


@dataclass(frozen=True)
class Column:
    """A logical column: its key, how its header reads, and whether a report must have it."""

    key: str
    label: str
    """The header as the reference report writes it (used in error messages)."""
    pattern: str
    """Regex on the lower-cased, whitespace-collapsed header."""
    required: bool = True


def number_column(label: str) -> Column:
    """The optional row-number column ("№ п/п"), tried first so no other column takes it."""
    return Column("no", label, NUMBER, required=False)


def header_text(raw: str | None) -> str:
    """A header (or key) as patterns see it: whitespace collapsed, lower-cased."""
    return re.sub(r"\s+", " ", raw or "").strip().lower()


def map_columns(header: list[str], columns: tuple[Column, ...]) -> dict[str, int]:
    """Logical column key -> index in `header`, by meaning. Unmatched headers are ignored.

    Columns are tried in the order given; a header takes the first one that matches and is
    still free."""
    found: dict[str, int] = {}
    for i, raw in enumerate(header):
        text = header_text(raw)
        if not text:
            continue
        for col in columns:
            if col.key not in found and re.search(col.pattern, text):
                found[col.key] = i
                break
    return found


def missing_columns(mapping: dict[str, int], columns: tuple[Column, ...]) -> list[Column]:
    """Required columns the mapping lacks."""
    return [c for c in columns if c.required and c.key not in mapping]


def has_table(doc: Document, columns: tuple[Column, ...]) -> bool:
    """Some table of `doc` has every required column."""
    return any(not missing_columns(map_columns(t.header, columns), columns) for t in doc.tables)


def find_table(
    doc: Document, columns: tuple[Column, ...], no_table: str
) -> tuple[Table, dict[str, int]]:
    """The first table with every required column, and its mapping.

    Raises DocumentError `no_table` (with `no_table` as detail) when the document has no table,
    or `missing_column` naming the first required column the best-matching table lacks, with
    that table's headers, so a person can see what the report calls it instead.
    """
    if not doc.tables:
        raise DocumentError("no_table", no_table)
    best: tuple[Table, dict[str, int]] | None = None
    for table in doc.tables:
        mapping = map_columns(table.header, columns)
        if not missing_columns(mapping, columns):
            return table, mapping
        if best is None or len(mapping) > len(best[1]):
            best = (table, mapping)
    assert best is not None
    table, mapping = best
    col = missing_columns(mapping, columns)[0]
    headers = "; ".join(h for h in table.header if h) or "(none)"
    raise DocumentError(
        "missing_column", f"column {col.key!r} ({col.label}) not found; headers: {headers}"
    )


def cell(cells: list[str], mapping: dict[str, int], key: str) -> str:
    """The text of logical column `key` in a row's cells, whitespace collapsed ("" when absent)."""
    i = mapping.get(key)
    return re.sub(r"\s+", " ", cells[i] or "").strip() if i is not None and i < len(cells) else ""
