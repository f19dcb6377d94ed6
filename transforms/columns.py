"""Columns found by what they mean, then by what they hold: shared by every table-based type.

Real reports reword, reorder and drop columns from year to year. Each type lists its logical
columns with a regex on the header text covering the wordings seen (and likely) in real reports;
a header none of them knows is then tried by its cells (`Column.cells`: item numbering, months and
dates, unit codes, status phrases). What was recognised by content is said in the document's
warnings, by column key and position only (never cell text). A table is the type's table when
every required column is found in it; otherwise the type's reports are refused as
`missing_column`, naming the column and the headers that were there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from reader.errors import DocumentError
from reader.model import Document, Table
from reader.text import collapse
from transforms.deadlines import MONTH_RE

NUMBER = r"^(?:№|n|no\.?|номер|поряд\w*\s+номер)(?:\s|$|\s*з/п|\s*п/п)|^№|^п/п$|^з/п$"
"""The header of a row-number column: "№", "№ п/п", "№ з/п", "N", "Номер", "Порядковий номер"."""
DEADLINE = r"термін|строк|дата\s+виконання|^дата$|період\s+виконання|^коли\b"
"""A deadline column: "Термін виконання", "Строк виконання заходу", "Термін (строк) виконання",
"Дата виконання", "Період виконання"."""
RESPONSIBLE = r"виконав|відповідальн|хто\s+викону|співвиконав"
"""Who carries a measure out: "Виконавець", "Виконавці", "Відповідальний виконавець",
"Відповідальні за виконання", "Хто виконує"."""
MEASURE = r"захо?д|захід|зміст|найменування|завданн|^назва"
"""What a measure is: "Зміст заходу", "Найменування заходу", "Завдання", "Назва заходу"."""
STATUS = (
    r"відмітк|стан\s+виконання|^стан\b|інформація\s+про\s+(?:стан\s+|хід\s+|результат\w*\s+)?"
    r"виконання|^результат|результат\w*\s+(?:виконання|роботи)|що\s+зроблено|хід\s+виконання|^виконання$|^виконано|звіт\s+про\s+вик"
)
"""How far a measure got: "Відмітка про виконання", "Стан виконання", "Інформація про стан
виконання", "Результат", "Результати виконання", "Що зроблено", "Хід виконання"."""
EVIDENCE = r"підтвердж|підтвердн|документ"
"""What proves it: "Документи або інформація, що підтверджують виконання", "Підтвердні документи",
"Підтверджувальні документи". A "Примітка" column is a note, not evidence: left unread."""

CellTest = Callable[[str], bool]


@dataclass(frozen=True)
class Column:
    """A logical column: its key, how its header reads, and whether a report must have it."""

    key: str
    label: str
    """The header as the reference report writes it (used in error messages)."""
    pattern: str
    """Regex on the lower-cased, whitespace-collapsed header."""
    required: bool = True
    cells: CellTest | None = None
    """Recognises the column by one of its cells (whitespace collapsed) when no header names it;
    the column is inferred when most non-empty cells of an unnamed column pass."""


# ---------------------------------------------------------------------------------------------
# Recognising a column by its cells


ITEM_NUMBER_RE = r"^\d{1,3}(?:\s*\.\s*\d{1,3})*\.?$"
DATE_RE = r"\b\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})\b"
PERIOD_RE = (
    rf"\b{MONTH_RE}\b|\bкварт|\bпівріч|\bщо(?:місяч|квартал|річн|денн|тижн)|\bпостійн|"
    r"\bпротягом\b|\bдо\s+\d|\b(?:19|20)\d\d\s*р|\bдн(?:ів|і)\b|\bробоч"
)
UNIT_CODE_RE = r"\b[А-ЯІЇЄҐ]{2,8}\b"
UNIT_PHRASE_RE = r"(?i)структурн\w*\s+підрозділ|територіальн\w*\s+(?:орган|підрозділ)"


def is_item_number(cell: str) -> bool:
    """ "1", "2.", "1.1.", "3.2.1": item numbering."""
    return bool(re.match(ITEM_NUMBER_RE, cell))


def is_deadline(cell: str) -> bool:
    """A short cell naming months, dates, quarters or periods ("до 1 квітня", "IV квартал",
    "щомісяця", "10 робочих днів")."""
    low = cell.lower()
    return len(cell) <= 120 and bool(re.search(DATE_RE, low) or re.search(PERIOD_RE, low))


def is_units(cell: str) -> bool:
    """A cell that names units: mostly unit codes ("ДОЗ, ДІТЗІ") or unit phrases."""
    if len(cell) > 300:
        return False
    words = re.findall(r"\w+", cell)
    codes = re.findall(UNIT_CODE_RE, cell)
    return bool(words) and (len(codes) * 2 >= len(words) or bool(re.search(UNIT_PHRASE_RE, cell)))


def phrases(pattern: str, max_chars: int | None = None) -> CellTest:
    """A cell test: `pattern` found in the lower-cased cell (at most `max_chars` long)."""

    def test(cell: str) -> bool:
        if max_chars is not None and len(cell) > max_chars:
            return False
        return bool(re.search(pattern, cell.lower()))

    return test


def status_phrases(classes: Sequence[tuple[str, str]], max_chars: int = 400) -> CellTest:
    """A cell test from a type's status classes: the cell says one of them."""
    return phrases("|".join(f"(?:{p})" for _, p in classes), max_chars)


INFER_SHARE = 0.6
"""An unnamed column is a logical column when at least this share of its non-empty cells pass."""


# ---------------------------------------------------------------------------------------------
# Mapping a table's columns


def number_column(label: str) -> Column:
    """The optional row-number column ("№ п/п"), tried first so no other column takes it."""
    return Column("no", label, NUMBER, required=False, cells=is_item_number)


def header_text(raw: str | None) -> str:
    """A header (or key) as patterns see it: whitespace collapsed, lower-cased."""
    return collapse(raw or "").lower()


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


def _share(table: Table, index: int, test: CellTest) -> float:
    cells = [
        collapse(row.cells[index] or "") for row in table.data_rows() if index < len(row.cells)
    ]
    cells = [c for c in cells if c]
    return sum(map(test, cells)) / len(cells) if cells else 0.0


def infer_columns(
    table: Table, columns: tuple[Column, ...], mapping: dict[str, int]
) -> dict[str, int]:
    """Columns that no header named, found by their cells among the columns no header claimed:
    each takes the free column whose cells pass its test most often (at least `INFER_SHARE`)."""
    width = max([len(table.header), *(len(r.cells) for r in table.data_rows())], default=0)
    inferred: dict[str, int] = {}
    for col in columns:
        if col.key in mapping or col.cells is None:
            continue
        taken = {*mapping.values(), *inferred.values()}
        shares = {i: _share(table, i, col.cells) for i in range(width) if i not in taken}
        best = max(shares, key=lambda i: shares[i], default=None)
        if best is not None and shares[best] >= INFER_SHARE:
            inferred[col.key] = best
    return inferred


def map_table(table: Table, columns: tuple[Column, ...]) -> tuple[dict[str, int], dict[str, int]]:
    """(the full mapping, the part of it recognised by content): headers first, then cells."""
    mapping = map_columns(table.header, columns)
    inferred = infer_columns(table, columns, mapping)
    return mapping | inferred, inferred


def missing_columns(mapping: dict[str, int], columns: tuple[Column, ...]) -> list[Column]:
    """Required columns the mapping lacks."""
    return [c for c in columns if c.required and c.key not in mapping]


def has_table(doc: Document, columns: tuple[Column, ...]) -> bool:
    """Some table of `doc` has every required column (by header, else by content)."""
    return any(not missing_columns(map_table(t, columns)[0], columns) for t in doc.tables)


HEADER_CHARS = 40
"""A header is cut to this many characters in a reason: headers are a table's vocabulary, not
its content, but a reason stays one short line."""


def short_headers(headers: Sequence[str | None]) -> str:
    """Headers as a reason names them: collapsed, each cut to `HEADER_CHARS`, numbered."""
    out = []
    for i, raw in enumerate(headers, start=1):
        text = collapse(raw or "")
        if len(text) > HEADER_CHARS:
            text = text[: HEADER_CHARS - 1].rstrip() + "…"
        out.append(f"{i}: {text or '(empty)'}")
    return "; ".join(out) or "(none)"


def missing_column_error(table: Table, col: Column) -> DocumentError:
    """DocumentError("missing_column") naming the column and the headers the table has."""
    return DocumentError(
        "missing_column",
        f"column {col.key!r} ({col.label}) not found by its header or its cells; "
        f"headers: {short_headers(table.header)}",
    )


def inferred_warning(key: str, index: int) -> str:
    """The document warning for a column recognised by content (no cell text)."""
    return f"column {key!r} recognised by its cells: column {index + 1}'s header is not known"


def find_table(
    doc: Document, columns: tuple[Column, ...], no_table: str
) -> tuple[Table, dict[str, int]]:
    """The first table with every required column, and its mapping.

    Columns recognised by content are noted in `doc.warnings`. Raises DocumentError `no_table`
    (with `no_table` as detail) when the document has no table, or `missing_column` naming the
    first required column the best-matching table lacks, with that table's headers, so a person
    can see what the report calls it instead.
    """
    if not doc.tables:
        raise DocumentError("no_table", no_table)
    best: tuple[Table, dict[str, int]] | None = None
    for table in doc.tables:
        mapping, inferred = map_table(table, columns)
        if not missing_columns(mapping, columns):
            for key, index in inferred.items():
                warning = inferred_warning(key, index)
                if warning not in doc.warnings:
                    doc.warnings.append(warning)
            return table, mapping
        if best is None or len(mapping) > len(best[1]):
            best = (table, mapping)
    assert best is not None
    table, mapping = best
    raise missing_column_error(table, missing_columns(mapping, columns)[0])


def cell(cells: list[str], mapping: dict[str, int], key: str) -> str:
    """The text of logical column `key` in a row's cells, whitespace collapsed ("" when absent)."""
    i = mapping.get(key)
    return collapse(cells[i] or "") if i is not None and i < len(cells) else ""


def with_cells(cols: tuple[Column, ...], **cells: CellTest) -> tuple[Column, ...]:
    """`cols` with the cell tests of some columns set (`key=test`): for tests built from a type's
    own tables defined after its columns (status classes)."""
    return tuple(replace(c, cells=cells[c.key]) if c.key in cells else c for c in cols)
