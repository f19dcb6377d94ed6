"""Header rows shared by the PDF and DOCX readers: their text per column, and the row of column
numbers ("1 2 3 4 5") that many official tables print under the header on every page."""

from __future__ import annotations

from reader.model import RowPart


def is_column_numbering(part: RowPart) -> bool:
    """The row holds just the column numbers 1..n (possibly with a trailing dot)."""
    if part.kind != "data" or len(part.cells) < 2:
        return False
    texts = [c.rstrip(".").strip() for c in part.cells]
    return texts == [str(i) for i in range(1, len(texts) + 1)]


def header_text(rows: list[RowPart], n_columns: int) -> list[str]:
    """Header text per column: header rows joined with a space; a cell spanning columns gives
    its text to each of them; a column-numbering row adds nothing."""
    header = [""] * n_columns
    for part in rows:
        if is_column_numbering(part):
            continue
        for j, text in enumerate(part.cells):
            if not text:
                continue
            for k in range(j, min(j + part.span.get(j, 1), n_columns)):
                header[k] = f"{header[k]} {text}".strip()
    return header
