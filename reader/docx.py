"""Read a DOCX with python-docx: paragraphs and tables in body order.

Word rows are logical already (a row that breaks across a page is one `w:tr`), so there is no
stitching; merges are read from the cell properties:

- a row whose one cell spans the whole grid is a group row;
- a cell spanning part of the grid (`w:gridSpan`) keeps one cell per grid column: its text in the
  first column of the span, "" in the columns it covers, and the width in `Row.span`;
- a `w:vMerge` continuation cell is "" and its column is listed in `Row.vmerge`.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from reader.errors import DocumentError
from reader.header import header_text, is_column_numbering
from reader.model import Block, Paragraph, RowPart, Table
from reader.settings import DEFAULT_SETTINGS, ReaderSettings
from reader.stitch import build_rows
from reader.text import collapse, join_pieces, normalise

_DIGIT = re.compile(r"\d")


def check_zip(path: Path, settings: ReaderSettings = DEFAULT_SETTINGS) -> None:
    """Refuse zips python-docx would inflate without limit: too many members, too large, or a
    member compressed far beyond what text compresses to (a zip bomb)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, OSError):
        raise DocumentError("truncated", "the zip container is damaged") from None
    if len(infos) > settings.max_zip_entries:
        raise DocumentError(
            "resource_limit", f"zip has {len(infos)} members (limit {settings.max_zip_entries})"
        )
    total = sum(i.file_size for i in infos)
    if total > settings.max_uncompressed_bytes:
        raise DocumentError(
            "resource_limit",
            f"zip declares {total} bytes uncompressed (limit {settings.max_uncompressed_bytes})",
        )
    for info in infos:
        if info.file_size > 1024 * 1024:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > settings.max_compression_ratio:
                raise DocumentError(
                    "resource_limit",
                    f"a zip member expands {ratio:.0f}x"
                    f" (limit {settings.max_compression_ratio:.0f}x)",
                )
    if "word/document.xml" not in {i.filename for i in infos}:
        raise DocumentError("not_a_document", "zip without word/document.xml")
    _refuse_dtds(path, infos)


_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PROLOG_BYTES = 64 * 1024


def _refuse_dtds(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse XML parts that declare a DTD: Word never writes one, and a DTD is how external
    entities (XXE) and entity expansion (billion laughs) get in. A DTD must precede the root
    element, so the first bytes of each part decide; lxml never sees such a part."""
    with zipfile.ZipFile(path) as zf:
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            with zf.open(info) as member:
                head = member.read(_PROLOG_BYTES)
            if _DTD.search(head.split(b"?>", 1)[-1][:_PROLOG_BYTES]):
                raise DocumentError("unsafe_xml", f"{_base(info.filename)} declares a DTD")


def _base(member: str) -> str:
    """A zip member's base name: member names are attacker-chosen, never used as paths."""
    return member.rsplit("/", 1)[-1][:80]


_T, _R = qn("w:t"), qn("w:r")
_RUN_TEXT = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def _raw_text(p: Any) -> str:
    """A paragraph's text from every run in it, including runs inside tracked insertions,
    hyperlinks, fields and smart tags (python-docx's `Paragraph.text` reads only some of
    these). Deleted text (`w:delText`) is left out."""
    out: list[str] = []
    for el in p.iter(_T, *_RUN_TEXT):
        if el.getparent() is None or el.getparent().tag != _R:
            continue  # e.g. tab stops in the paragraph properties
        out.append(el.text or "" if el.tag == _T else _RUN_TEXT[el.tag])
    return "".join(out)


def _paragraph_text(p: Any, parent: Any) -> str:
    return collapse(_raw_text(p))


def _paragraph_bold(p: Any, parent: Any) -> bool:
    para = DocxParagraph(p, parent)
    runs = [r for r in para.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = bool(para.style is not None and para.style.font.bold)
    return all(r.bold or (r.bold is None and style_bold) for r in runs)


def _cell_text(tc: Any, parent: Any) -> str:
    """A cell's paragraphs joined with a space (hyphen wraps without), nested tables included."""
    out = ""
    for p in tc.iter(qn("w:p")):
        out = join_pieces(out, normalise(_raw_text(p)))
    return out


def _children(parent: Any, tag: str) -> Any:
    """Direct children with `tag`, looking inside content controls (`w:sdt`) wrapping them."""
    for el in parent.iterchildren():
        if el.tag == tag:
            yield el
        elif el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _children(content, tag)


def _tc_span(tc: Any) -> int:
    return int(tc.grid_span or 1)


def _tc_vmerge_continue(tc: Any) -> bool:
    return tc.vMerge == "continue"


def _is_header_row(tr: Any) -> bool:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        return False
    el = trpr.find(qn("w:tblHeader"))
    if el is None:
        return False
    return el.get(qn("w:val"), "true") not in ("0", "false", "off")


def _read_table(tbl: Any, parent: Any, index: int, max_header: int) -> Table:
    grid = tbl.find(qn("w:tblGrid"))
    n_columns = len(grid.findall(qn("w:gridCol"))) if grid is not None else 0
    parts: list[RowPart] = []
    bold_rows: list[bool] = []
    header_flags: list[bool] = []
    for tr in _children(tbl, qn("w:tr")):
        cells: list[str] = []
        vmerge: list[int] = []
        span: dict[int, int] = {}
        trpr = tr.find(qn("w:trPr"))
        before = 0
        if trpr is not None and trpr.find(qn("w:gridBefore")) is not None:
            before = int(trpr.find(qn("w:gridBefore")).get(qn("w:val"), "0"))
        cells.extend([""] * before)
        bold = True
        for tc in _children(tr, qn("w:tc")):
            width = _tc_span(tc)
            col = len(cells)
            if _tc_vmerge_continue(tc):
                cells.append("")
                vmerge.append(col)
            else:
                cells.append(_cell_text(tc, parent))
                for p in tc.iter(qn("w:p")):
                    if _paragraph_text(p, parent) and not _paragraph_bold(p, parent):
                        bold = False
            if width > 1:
                span[col] = width
                cells.extend([""] * (width - 1))
        n_columns = max(n_columns, len(cells))
        cells.extend([""] * (n_columns - len(cells)))
        if len(span) == 1 and span.get(0) == n_columns and n_columns > 1:
            parts.append(RowPart(cells=[cells[0]], kind="group"))
        else:
            parts.append(RowPart(cells=cells, vmerge=vmerge, span=span))
        bold_rows.append(bold)
        header_flags.append(_is_header_row(tr))
    for part in parts:
        if part.kind == "data" and len(part.cells) < n_columns:
            part.cells.extend([""] * (n_columns - len(part.cells)))
    n_header = 0
    while n_header < len(parts) and header_flags[n_header]:
        n_header += 1
    if n_header == 0 and len(parts) > 1:
        first = parts[0]
        if (
            first.kind == "data"
            and bold_rows[0]
            and not _DIGIT.search(first.cells[0])
            and not any(header_flags)
        ):
            n_header = 1
    n_header = min(n_header, max_header)
    if n_header < len(parts) - 1 and is_column_numbering(parts[n_header]):
        n_header += 1
    header = header_text(parts[:n_header], n_columns)
    return Table(header=header, rows=build_rows(parts[n_header:]), index=index)


def _body_elements(parent: Any) -> Any:
    """Paragraphs and tables of the body in order, looking inside content controls (`w:sdt`)."""
    for el in parent.iterchildren():
        if el.tag == qn("w:sdt"):
            content = el.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_elements(content)
        else:
            yield el


def read_docx(
    path: Path, settings: ReaderSettings = DEFAULT_SETTINGS
) -> tuple[list[Block], list[str]]:
    """Blocks in body order and warnings. Raises `DocumentError`."""
    check_zip(path, settings)
    try:
        document = docx.Document(str(path))
    except MemoryError:
        raise DocumentError("resource_limit") from None
    except Exception:  # lxml/zip errors; their text can carry document bytes
        raise DocumentError("truncated", "the DOCX parts cannot be parsed") from None
    body = document.element.body
    blocks: list[Block] = []
    n_tables = 0
    for el in _body_elements(body):
        if el.tag == qn("w:p"):
            bold = _paragraph_bold(el, document)
            # A tab sets texts apart on one line (a signer's position and name): one each.
            for piece in _raw_text(el).split("\t"):
                text = collapse(piece)
                if text:
                    blocks.append(Paragraph(text=text, bold=bold))
        elif el.tag == qn("w:tbl"):
            blocks.append(_read_table(el, document, n_tables, settings.max_header_rows))
            n_tables += 1
    return blocks, []
