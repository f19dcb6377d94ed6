"""Rebuild logical rows from the physical row pieces drawn on each page.

A row that breaks across a page is drawn as two pieces: the second, at the top of the next page,
usually has an empty first cell. Whether a page-top piece continues the row above or starts a new
one is sometimes a matter of content (a sub-item "3) …" with an empty number), so the decision is
a predicate the caller can replace, and `restitch` rebuilds a table with another predicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from reader.model import Row, RowPart, Table
from reader.text import join_pieces

IsContinuation = Callable[[Row, list[str], bool], bool]
"""`is_continuation(previous_row, part_cells, at_page_top)`: does the piece continue the row?"""


_SENTENCE_END = (".", "!", "?", ";", ":", "»", ")")


def default_is_continuation(previous_row: Row, part_cells: list[str], at_page_top: bool) -> bool:
    """A piece at the top of a page continues the row above when its first cell is empty, or
    when its first cell and another go on with a lower-case word after the row's first cell
    stopped mid-sentence (long cells split by the page: "… і в ДМС запущені" / "інституційні
    зміни.", as reportlab and browsers split rows; a number never starts so, and a row of
    lower-case keys, "адміністративні витрати", has its own value beside it)."""
    if not at_page_top or not part_cells:
        return False
    first = part_cells[0]
    if first == "":
        return True
    before = previous_row.cells[0].rstrip() if previous_row.cells else ""
    lower = [c for c in part_cells[1:] if c[:1].islower()]
    return (
        bool(before) and first[:1].islower() and bool(lower) and not before.endswith(_SENTENCE_END)
    )


def _owner_column(row: Row, col: int) -> int:
    """The column whose cell covers `col` in `row` (itself unless a horizontal span covers it)."""
    for start, width in row.span.items():
        if start < col < start + width:
            return start
    return col


def _append_part(rows: list[Row], part: RowPart) -> None:
    """Append a continuation piece to the last row, cell by cell.

    Text for a column that is a vertical-merge continuation in the last row goes to the row that
    owns the merged cell (the nearest row above with text in that column); that row's
    `page_last` grows too.
    """
    last = rows[-1]
    for col, text in enumerate(part.cells):
        if not text or col >= len(last.cells):
            continue
        col = _owner_column(last, col)
        target = last
        if col in last.vmerge:
            for row in reversed(rows[:-1]):
                if row.kind == "data" and col not in row.vmerge:
                    target = row
                    break
        target.cells[col] = join_pieces(target.cells[col], text)
        if target is not last and part.page is not None:
            target.page_last = max(target.page_last or part.page, part.page)
    last.parts.append(part)
    if part.page is not None:
        last.page_last = max(last.page_last or part.page, part.page)


def build_rows(
    parts: Iterable[RowPart], is_continuation: IsContinuation | None = None
) -> list[Row]:
    """Logical rows from physical pieces in drawing order."""
    predicate = is_continuation or default_is_continuation
    rows: list[Row] = []
    for part in parts:
        previous = rows[-1] if rows else None
        if (
            previous is not None
            and previous.kind == "data"
            and part.kind == "data"
            and predicate(previous, list(part.cells), part.at_page_top)
        ):
            _append_part(rows, part)
            continue
        rows.append(
            Row(
                kind=part.kind,
                cells=list(part.cells),
                index=len(rows),
                page_first=part.page,
                page_last=part.page,
                bbox=part.bbox,
                vmerge=list(part.vmerge),
                span=dict(part.span),
                parts=[part],
            )
        )
    return rows


def restitch(table: Table, is_continuation: IsContinuation) -> Table:
    """The same table with its rows rebuilt from their pieces using `is_continuation`."""
    parts = [part for row in table.rows for part in row.parts]
    return replace(table, rows=build_rows(parts, is_continuation))
