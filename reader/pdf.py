"""Read a PDF with pdfplumber: ruled tables stitched across pages, text lines outside them.

pdfplumber finds ruled tables page by page and does not stitch them (pdfplumber #922); a merged
cell leaves `None` in the slots it covers (#420). This module turns those page fragments into
logical tables: repeated header rows dropped, rows split by a page break joined (see
`reader.stitch`), spanning rows marked as groups, merged slots as "" with their kind recorded.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

from reader.errors import DocumentError
from reader.header import header_text, is_column_numbering
from reader.model import BBox, Block, Fragment, Paragraph, RowPart, Table
from reader.ocr import align_repeated_header, ocr_page
from reader.ocr import available as ocr_available
from reader.pdfium import CharColumns, error_code, open_pdf
from reader.settings import DEFAULT_SETTINGS, ReaderSettings
from reader.stitch import build_rows
from reader.text import bold_faces, collapse, is_bold, normalise
from reader.unruled import column_rules, union

_PAGE_NUMBER = re.compile(r"^[-–—\s]*\d{1,4}[-–—\s]*$")


@dataclass
class _OpenTable:
    fragments: list[Fragment] = field(default_factory=list)


def _columns(page: Any) -> CharColumns:
    """The page's characters as columns: a pdfium page's own, a pdfminer page's from its dicts
    (not kept on the page: pdfplumber keeps every `Page` of a document, so the columns and
    their dicts would outlive `page.close()`)."""
    columns = getattr(page, "columns", None)
    return CharColumns.from_dicts(page.chars) if columns is None else columns


class _CharIndex:
    """Characters sorted by their vertical middle: the ones centred in a box are found by one
    bisection instead of testing every character against the box (bounds included, order kept)."""

    def __init__(self, chars: list[dict[str, Any]] | CharColumns) -> None:
        self.columns = chars if isinstance(chars, CharColumns) else CharColumns.from_dicts(chars)
        self.ys, self.positions, self.xs = self.columns.by_middle()

    def indices(self, bbox: BBox) -> list[int]:
        """Positions (in `chars`) of the characters whose centre is in `bbox`, in order."""
        x0, top, x1, bottom = bbox[0], bbox[1], bbox[2], bbox[3]
        lo, hi = bisect_left(self.ys, top), bisect_right(self.ys, bottom)
        return sorted(
            [i for i, x in zip(self.positions[lo:hi], self.xs[lo:hi], strict=True) if x0 <= x <= x1]
        )

    def is_bold(self, bbox: BBox) -> bool:
        """`_is_bold` of the characters centred in `bbox`."""
        text, font = self.columns.text, self.columns.fontname
        return bold_faces({font[i] for i in self.indices(bbox) if text[i].strip()})


def _fragment(page_no: int, table: Any, index: _CharIndex, tol: float, max_header: int) -> Fragment:
    """Physical rows of one pdfplumber table, with spans, merges and group rows classified;
    `index` holds the page's characters (a row's are the ones centred in it)."""
    texts = table.extract()
    xs = sorted({c[0] for c in table.cells})
    x1 = table.bbox[2]
    edges = [*xs, x1]
    parts: list[RowPart] = []
    raw_texts: list[list[str]] = []
    bold: list[bool] = []
    for prow, slots in zip(table.rows, texts, strict=True):
        cells = prow.cells
        n = len(cells)
        first = cells[0]
        if len(bold) < max_header:
            row_bbox = prow.bbox  # computed from the cells at every access: once here
            bold.append(index.is_bold(row_bbox))
        else:
            bold.append(False)
        bbox = (prow.bbox[0], prow.bbox[1], prow.bbox[2], prow.bbox[3])
        if (
            n > 1
            and first is not None
            and all(c is None for c in cells[1:])
            and first[2] >= x1 - tol
        ):
            text = normalise(slots[0])
            parts.append(RowPart(cells=[text], page=page_no, bbox=bbox, kind="group"))
            raw_texts.append([text])
            continue
        out: list[str] = []
        vmerge: list[int] = []
        span: dict[int, int] = {}
        for j, cell in enumerate(cells):
            if cell is not None:
                out.append(normalise(slots[j]))
                continue
            out.append("")
            owner = next(
                (
                    k
                    for k in range(j - 1, -1, -1)
                    if cells[k] is not None and cells[k][2] > edges[j] + tol
                ),
                None,
            )
            if owner is None:
                vmerge.append(j)
            else:
                span[owner] = span.get(owner, 1) + 1
        parts.append(RowPart(cells=out, page=page_no, bbox=bbox, vmerge=vmerge, span=span))
        raw_texts.append(out)
    return Fragment(page_no, tuple(table.bbox), edges, parts, raw_texts, bold)


def _compatible(a: Fragment, b: Fragment, tol: float) -> bool:
    """Same columns: edges within `tol`; for columns read from the text, bands that meet."""
    if len(a.edges) != len(b.edges):
        return False
    if a.edge_bands and b.edge_bands:
        return all(
            p0 <= q1 + tol and q0 <= p1 + tol
            for (p0, p1), (q0, q1) in zip(a.edge_bands, b.edge_bands, strict=True)
        )
    return all(abs(x - y) <= tol for x, y in zip(a.edges, b.edges, strict=True))


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _body(parts: list[RowPart], texts: list[list[str]], header: list[list[str]]) -> list[RowPart]:
    """A fragment's rows without the header repeated inside it and without empty slivers.

    Producers repeat the header wherever a page starts, not only at a fragment's top: after a
    row that ended at the page foot, after an empty sliver of a split row (a browser leaves the
    row's padding on the page), or twice on one page (reportlab draws a split row under a second
    copy). A run of rows equal to the header is dropped wherever it falls, and so is a data row
    with no text at all (a sliver: nothing of the row is lost)."""
    out: list[RowPart] = []
    i = 0
    h = len(header)
    while i < len(parts):
        if h and texts[i : i + h] == header:
            i += h
            continue
        if parts[i].kind == "data" and not any(parts[i].cells):
            i += 1
            continue
        out.append(parts[i])
        i += 1
    return out


def _finish(open_table: _OpenTable, index: int, max_header: int) -> Table:
    """A logical table from its fragments: header found, repeats dropped, split rows joined."""
    frags = open_table.fragments
    first = frags[0]
    n_columns = len(first.edges) - 1
    n_header = 0
    for part, bold in zip(first.parts, first.bold, strict=True):
        if n_header >= max_header or part.kind != "data" or not bold:
            break
        n_header += 1
    if n_header == len(first.parts):
        n_header = 0
    if len(frags) > 1:
        # rows repeated at the top of the next page belong to the header too (a header that is
        # not bold, or a row of column numbers under it)
        repeated = 0
        while (
            repeated < min(max_header, len(first.texts) - 1, len(frags[1].texts))
            and first.parts[repeated].kind == "data"
            and first.texts[repeated] == frags[1].texts[repeated]
        ):
            repeated += 1
        n_header = max(n_header, repeated)
    if n_header < len(first.parts) - 1 and is_column_numbering(first.parts[n_header]):
        n_header += 1
    header_texts = first.texts[:n_header]
    parts = _body(first.parts[n_header:], first.texts[n_header:], header_texts)
    for before, frag in pairwise(frags):
        skip = 0
        while (
            skip < len(header_texts)
            and skip < len(frag.texts)
            and frag.texts[skip] == header_texts[skip]
        ):
            skip += 1
        body = _body(frag.parts[skip:], frag.texts[skip:], header_texts)
        if body and before.open_below and body[0].kind == "data":
            # the row above ended at the page foot: this one is new, and the columns left open
            # continue the merged cells above it
            body[0].vmerge = sorted({*body[0].vmerge, *before.open_below})
        elif body:
            body[0].at_page_top = True
        parts.extend(body)
    rows = build_rows(parts)
    return Table(
        header=header_text(first.parts[:n_header], n_columns),
        rows=rows,
        index=index,
        page_first=first.page,
        page_last=frags[-1].page,
    )


def _lost_chars(
    chars: list[dict[str, Any]] | _CharIndex, table: Any, inside: list[int] | None = None
) -> int:
    """Visible characters inside the table's area that fall in none of its cells; `inside`:
    their positions when known (`_CharIndex.indices` of the table's bbox)."""
    rows: dict[tuple[float, float], list[tuple[float, float]]] = {}
    for x0, top, x1, bottom in table.cells:  # cells grouped by their rows: far fewer tests
        rows.setdefault((top, bottom), []).append((x0, x1))
    index = chars if isinstance(chars, _CharIndex) else _CharIndex(chars)
    if inside is None:
        inside = index.indices(table.bbox)  # the bbox is computed from the cells at every access
    placed: set[int] = set()
    ys, positions, xs = index.ys, index.positions, index.xs
    for (top, bottom), spans in rows.items():
        # a point is in some span (bounds included) when it is in their union: one interval
        # for a row whose cells touch, else the one starting left of it
        merged = union(spans)
        lo, hi = bisect_left(ys, top), bisect_right(ys, bottom)
        row = zip(positions[lo:hi], xs[lo:hi], strict=True)
        if len(merged) == 1:
            a, b = merged[0]
            placed.update([i for i, x in row if a <= x <= b])
            continue
        starts = [a for a, _ in merged]
        for i, x in row:
            k = bisect_right(starts, x)
            if k and merged[k - 1][1] >= x:
                placed.add(i)
    text = index.columns.text
    return sum(1 for i in inside if i not in placed and text[i].strip())


def _unwrap(exc: BaseException) -> BaseException:
    """The pdfminer error inside pdfplumber's `PdfminerException` wrapper."""
    if isinstance(exc, PdfminerException):
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        return inner or exc.__cause__ or exc
    return exc


def read_pdf(
    path: Path, settings: ReaderSettings = DEFAULT_SETTINGS
) -> tuple[list[Block], int, list[str]]:
    """Blocks in reading order, the page count and warnings. Raises `DocumentError`.

    Parser errors become reason codes; their text is dropped (pdfminer's can hold raw bytes).
    """
    try:
        return assemble(*_read_pages(path, settings, 1, None), settings)
    except DocumentError:
        raise
    except Exception as exc:  # pdfminer raises many internal types on damaged files
        raise _document_error(exc) from None


def read_pdf_pages(
    path: Path, settings: ReaderSettings = DEFAULT_SETTINGS, first: int = 1, last: int | None = None
) -> tuple[list[PageResult], int]:
    """Pages `first`..`last` (1-based, inclusive; default all) read but not stitched, and the
    document's page count. Raises `DocumentError`, with the same codes as `read_pdf`.

    Pages are read independently of each other, so a long document can be read in ranges by
    separate processes and joined by `assemble` (`zvit.workers`)."""
    try:
        return _read_pages(path, settings, first, last)
    except DocumentError:
        raise
    except Exception as exc:
        raise _document_error(exc) from None


def _document_error(exc: Exception) -> DocumentError:
    """A parser error as a reason code; its text is dropped (pdfminer's can hold raw bytes)."""
    inner = _unwrap(exc)
    if isinstance(inner, MemoryError):
        return DocumentError("resource_limit", "inflating the PDF's streams")
    if isinstance(inner, RecursionError):
        return DocumentError("truncated", "the PDF's objects refer to themselves")
    if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError):
        return DocumentError("encrypted")
    if (code := error_code(inner)) is not None:  # pdfium's load errors
        detail = "" if code == "encrypted" else "the PDF structure cannot be parsed"
        return DocumentError(code, detail)
    if isinstance(inner, PDFSyntaxError | PSException | EOFError):
        return DocumentError("truncated", "the PDF structure cannot be parsed")
    return DocumentError("extract_error", type(inner).__name__)


def _split_at_gaps(chars: list[dict[str, Any]], ratio: float) -> list[list[dict[str, Any]]]:
    """A line's characters cut where the gap is wider than `ratio` × the font size: a signature
    line "Голова ДМС        Максим СОКОЛЮК" is two texts set apart with a tab."""
    ordered = sorted(chars, key=lambda c: c["x0"])
    pieces: list[list[dict[str, Any]]] = []
    right = None
    for c in ordered:
        if not c.get("text", "").strip():
            if pieces:
                pieces[-1].append(c)  # a space glyph: kept for the text, not measured
            continue
        size = float(c.get("size") or (c["bottom"] - c["top"]))
        if right is None or c["x0"] - right > ratio * size:
            pieces.append([])
        pieces[-1].append(c)
        right = c["x1"] if right is None else max(right, c["x1"])
    return pieces


def _chars_text(chars: list[dict[str, Any]]) -> str:
    """Text of one line's characters: a space where the gap is wider than a tenth of the font
    size (word spaces here are often drawn as gaps, not glyphs)."""
    out: list[str] = []
    right = None
    for c in chars:
        text = c.get("text", "")
        if not text.strip():
            out.append(" ")
            continue
        size = float(c.get("size") or (c["bottom"] - c["top"]))
        if right is not None and c["x0"] - right > 0.1 * size:
            out.append(" ")
        out.append(text)
        right = c["x1"]
    return collapse("".join(out))


def _is_box(table: Any) -> bool:
    """One ruled cell is a frame around text (a stamp, a note), not a table: read as text."""
    return len(table.cells) == 1


def _closing_lines(page: Any, tables: list[Any], tol: float) -> list[dict[str, Any]]:
    """Horizontal lines to close tables whose column rules run past their top or bottom edge.

    When a row broken by a page has no ruling line at the page-break edge, pdfplumber's lines
    strategy finds no cell there and drops that piece of the row (STACK.md). The column rules
    still reach the edge, so a line at their end brings the piece back. So does a line along the
    table's top or bottom edge where part of it has no rule: a row that ended at the page foot
    beside a merged cell that runs on to the next page (Chromium).
    """
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    horizontals = [e for e in page.edges if e["orientation"] == "h"]

    def open_at(y: float, x0: float, x1: float) -> bool:
        """Part of the table's edge at `y` has no rule (a merged cell that runs on)."""
        reach = x0
        for a, b in sorted((e["x0"], e["x1"]) for e in horizontals if abs(e["top"] - y) <= tol):
            if a > reach + tol:
                return True
            reach = max(reach, b)
        return reach < x1 - tol

    lines: list[dict[str, Any]] = []
    for t in tables:
        x0, top, x1, bottom = t.bbox
        rules = [
            e
            for e in verticals
            if x0 - tol <= e["x0"] <= x1 + tol
            and e["top"] <= bottom + tol
            and e["bottom"] >= top - tol
        ]
        ends = []
        below = max((e["bottom"] for e in rules), default=bottom)
        if below > bottom + tol:
            ends.append(below)
        elif open_at(bottom, x0, x1):
            ends.append(bottom)
        above = min((e["top"] for e in rules), default=top)
        if above < top - tol:
            ends.append(above)
        elif open_at(top, x0, x1):
            ends.append(top)
        lines.extend(
            {
                "object_type": "line_edge",
                "orientation": "h",
                "x0": x0,
                "x1": x1,
                "top": y,
                "bottom": y,
                "width": x1 - x0,
                "height": 0,
            }
            for y in ends
        )
    return lines


def _open_below(page: Any, frag: Fragment, tol: float) -> list[int]:
    """The columns of `frag` with no rule along its bottom edge, when some others have one."""
    bottom = frag.bbox[3]
    rules = [
        (e["x0"], e["x1"])
        for e in page.edges
        if e["orientation"] == "h" and abs(e["top"] - bottom) <= tol
    ]
    edges = frag.edges
    open_columns = [
        j
        for j in range(len(edges) - 1)
        if not any(a <= edges[j] + tol and b >= edges[j + 1] - tol for a, b in rules)
    ]
    return open_columns if 0 < len(open_columns) < len(edges) - 1 else []


def _page_items(
    page: Any,
    page_no: int,
    settings: ReaderSettings,
    warnings: list[str],
    columns: CharColumns | None = None,
) -> list[tuple[float, Fragment | Paragraph]]:
    """Table fragments and text lines of one page, by their top, page furniture dropped;
    `columns`: the page's characters (`_columns`) when the caller has them."""
    columns = _columns(page) if columns is None else columns
    if columns.has_unmapped():
        raise DocumentError("unmapped_glyphs", f"page {page_no}")
    table_settings = settings.table_settings()
    tables = [t for t in page.find_tables(table_settings) if not _is_box(t)]
    closing = _closing_lines(page, tables, settings.snap_tolerance)
    if closing:
        explicit = [*table_settings.get("explicit_horizontal_lines", []), *closing]
        tables = [
            t
            for t in page.find_tables({**table_settings, "explicit_horizontal_lines": explicit})
            if not _is_box(t)
        ]
        ys = ", ".join(f"{line['top']:.0f}" for line in closing)
        warnings.append(f"page {page_no}: closed a table edge that has no ruling line (y={ys})")
    verticals, foot, from_text = column_rules(
        page, tables, settings.snap_tolerance, settings.page_margin_ratio
    )
    if verticals:
        inferred = {
            **table_settings,
            "explicit_vertical_lines": [
                *table_settings.get("explicit_vertical_lines", []),
                *verticals,
            ],
            "explicit_horizontal_lines": [
                *table_settings.get("explicit_horizontal_lines", []),
                *closing,
                *foot,
            ],
        }
        tables = [t for t in page.find_tables(inferred) if not _is_box(t)]
        warnings.append(
            f"page {page_no}: a table drawn without column rules: its columns read from the text"
        )
    items: list[tuple[float, Fragment | Paragraph]] = []
    index = _CharIndex(columns)
    in_tables: set[int] = set()
    for t in tables:
        inside = index.indices(t.bbox)
        in_tables.update(inside)
        lost = _lost_chars(index, t, inside)
        if lost:
            warnings.append(f"page {page_no}: {lost} characters inside a table landed in no cell")
        frag = _fragment(page_no, t, index, settings.column_tolerance, settings.max_header_rows)
        frag.open_below = _open_below(page, frag, settings.snap_tolerance)
        frag.edge_bands = next((bands for box, bands in from_text if _overlaps(t.bbox, box)), [])
        if frag.edge_bands and len(frag.edge_bands) != len(frag.edges):
            frag.edge_bands = []  # a column found empty on this page: compare edges
        items.append((t.bbox[1], frag))
    if hasattr(page, "outside"):  # a pdfium page: dicts only for the characters kept
        text_page = page.outside(in_tables)
    else:
        chars = page.chars
        inside_ids = {id(chars[i]) for i in in_tables}

        def outside_tables(obj: dict[str, Any]) -> bool:
            return obj.get("object_type") != "char" or id(obj) not in inside_ids

        text_page = page.filter(outside_tables)
    height = float(page.height)
    margin = height * settings.page_margin_ratio
    frags = [item for _, item in items]
    stray = 0
    for line in text_page.extract_text_lines(return_chars=True):
        stray += _between_pieces(line, frags, settings.column_tolerance)
        in_margin = line["top"] < margin or line["bottom"] > height - margin
        if in_margin and _PAGE_NUMBER.match(collapse(line["text"])):
            continue
        for chars in _split_at_gaps(line["chars"], settings.line_gap_ratio):
            text = _chars_text(chars)
            if text:
                bbox = (
                    min(c["x0"] for c in chars),
                    min(c["top"] for c in chars),
                    max(c["x1"] for c in chars),
                    max(c["bottom"] for c in chars),
                )
                items.append((line["top"], Paragraph(text, page_no, is_bold(chars), bbox)))
    if stray:
        raise DocumentError(
            "unread_rows",
            f"page {page_no}: {stray} text line(s) between two pieces of one table",
        )
    items.sort(key=lambda item: item[0])
    return items


def _between_pieces(line: dict[str, Any], frags: list[Any], tol: float) -> int:
    """1 when a text line outside the tables lies between two pieces of one table on the page
    (same columns above and below) and its characters fall in two or more of their columns: a
    row the reader saw no rules for (a table shaded in bands with no rules), which would
    otherwise vanish from the table without a word; else 0."""
    above = [f for f in frags if f.bbox[3] <= line["top"] + tol]
    below = [f for f in frags if f.bbox[1] >= line["bottom"] - tol]
    if not above or not below:
        return 0
    a = max(above, key=lambda f: f.bbox[3])
    b = min(below, key=lambda f: f.bbox[1])
    if not _compatible(a, b, tol):
        return 0
    edges = a.edges
    columns = {
        bisect_right(edges, (c["x0"] + c["x1"]) / 2) - 1
        for c in line["chars"]
        if c["text"].strip() and edges[0] <= (c["x0"] + c["x1"]) / 2 <= edges[-1]
    }
    return int(len(columns) >= 2)


class _Scans:
    """Pages without a text layer read by OCR (`reader.ocr`). Tesseract, OpenCV and pypdfium2
    are looked for and loaded only when the first such page comes: a text PDF's worker stays
    small (OpenCV alone adds ~100 MB of resident libraries) and starts no Tesseract process."""

    def __init__(self, path: Path, settings: ReaderSettings) -> None:
        self.path, self.settings = path, settings
        self.pdf: Any = None
        self.usable: bool | None = None if settings.ocr else False

    def read(self, page_no: int, warnings: list[str]) -> list[tuple[float, Any]] | None:
        if self.usable is None:
            self.usable = ocr_available()
        if not self.usable:
            return None
        if self.pdf is None:
            import pypdfium2

            self.pdf = pypdfium2.PdfDocument(self.path)
        page = self.pdf[page_no - 1]
        try:
            return ocr_page(
                page,
                page_no,
                self.settings.page_margin_ratio,
                self.settings.line_gap_ratio,
                self.settings.max_header_rows,
                warnings,
            )
        finally:
            page.close()

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None


@dataclass
class PageResult:
    """One page read but not yet stitched to its neighbours: picklable, so that page ranges can
    be read in separate processes and joined by `assemble` exactly as one process would."""

    page_no: int
    items: list[tuple[float, Fragment | Paragraph]]
    """Table fragments and text lines by their top (`_page_items`, or OCR)."""
    has_text: bool
    """The page has a text layer, or OCR read it."""
    warnings: list[str] = field(default_factory=list)


def _read_pages(
    path: Path, settings: ReaderSettings, first: int, last: int | None
) -> tuple[list[PageResult], int]:
    out: list[PageResult] = []
    scans = _Scans(path, settings)
    try:
        with open_pdf(path, settings.engine()) as pdf:
            n_pages = len(pdf.pages)
            stop = n_pages if last is None else min(last, n_pages)
            start = max(first, 1)
            for page_no, page in enumerate(pdf.pages[start - 1 : stop], start=start):
                warnings: list[str] = []
                try:
                    columns = _columns(page)
                    has_text = any(text.strip() for text in columns.text)
                    items = None if has_text else scans.read(page_no, warnings)
                    if items is None:
                        if not has_text:
                            warnings.append(f"page {page_no}: no text layer")
                        items = _page_items(page, page_no, settings, warnings, columns)
                    else:
                        has_text = True
                finally:
                    page.close()  # pdfplumber caches grow without it (see STACK.md)
                out.append(PageResult(page_no, items, has_text, warnings))
    finally:
        scans.close()
    return out, n_pages


def assemble(
    pages: list[PageResult], n_pages: int, settings: ReaderSettings = DEFAULT_SETTINGS
) -> tuple[list[Block], int, list[str]]:
    """Stitch pages read by `read_pdf_pages` (all of them, in order) into blocks: tables that run
    over page breaks joined, text lines between them. Raises `no_text_layer` when no page has
    text."""
    blocks: list[Block] = []
    warnings: list[str] = []
    open_table: _OpenTable | None = None
    """The table whose last fragment ended the previous page, if nothing followed it."""
    n_tables = 0

    def close_table() -> None:
        nonlocal open_table, n_tables
        if open_table is not None:
            blocks.append(_finish(open_table, n_tables, settings.max_header_rows))
            n_tables += 1
            open_table = None

    for page in pages:
        page_no = page.page_no
        warnings.extend(page.warnings)
        for pos, (_, item) in enumerate(page.items):
            if isinstance(item, Paragraph):
                close_table()
                blocks.append(item)
                continue
            prev = open_table.fragments[-1] if open_table is not None else None
            if (
                prev is not None
                and pos == 0
                and prev.page == page_no - 1
                and _compatible(prev, item, settings.column_tolerance)
            ):
                if item.ocr:
                    align_repeated_header(open_table.fragments[0], item, settings.max_header_rows)
                open_table.fragments.append(item)
            else:
                close_table()
                open_table = _OpenTable([item])
        if open_table is not None and open_table.fragments[-1].page != page_no:
            close_table()
    close_table()
    if not any(page.has_text for page in pages):
        raise DocumentError("no_text_layer", f"none of the {n_pages} pages has text")
    return blocks, n_pages, warnings
