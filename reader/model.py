"""What the reading layer hands to the document-type layer: logical tables and text, provenance.

The reading layer knows nothing about report types. A PDF and a DOCX of the same document give the
same `Document` apart from page numbers (DOCX has no pages: they are `None` there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points on the row's first page, as pdfplumber reports them."""

RowKind = Literal["data", "group"]
ExtractionMethod = Literal["text", "ocr"]


@dataclass
class RowPart:
    """One physical piece of a row as drawn on one page, kept so callers can re-stitch by content.

    `cells` has one text per logical column ("" for empty, merged or covered slots).
    """

    cells: list[str]
    page: int | None = None
    bbox: BBox | None = None
    at_page_top: bool = False
    """First body row of a table fragment that continues a table from the previous page."""
    kind: RowKind = "data"
    vmerge: list[int] = field(default_factory=list)
    span: dict[int, int] = field(default_factory=dict)
    extraction_method: ExtractionMethod = "text"
    """"text": read from the PDF's text layer (or DOCX); "ocr": read from a scanned image."""
    word_confidences: list[float] = field(default_factory=list)
    """OCR: Tesseract's confidence (0..100) of every word read in this piece."""
    low_confidence: list[int] = field(default_factory=list)
    """OCR: cells (indices into `cells`) holding a word below the low-confidence threshold."""


@dataclass
class Row:
    """One logical table row: split parts already merged back, text normalised.

    A `group` row is a full-width spanning row (section, appendix, area, goal): `cells` holds its
    one text. A `data` row has one cell per logical column ("" for empty or vertically merged
    continuation cells).
    """

    kind: RowKind
    cells: list[str]
    index: int
    """Position of the row in its logical table, 0-based, header rows not counted."""
    page_first: int | None = None
    page_last: int | None = None
    bbox: BBox | None = None
    vmerge: list[int] = field(default_factory=list)
    """Columns whose cell continues the vertically merged cell of the row above (DOCX, or PDF
    when detected); their text is ""."""
    span: dict[int, int] = field(default_factory=dict)
    """Horizontal spans of a data row: column -> number of columns the cell covers (>1). The text
    sits in the first column; the covered columns hold ""."""
    parts: list[RowPart] = field(default_factory=list)
    """The physical pieces the row was built from (PDF: one per page it runs over)."""

    @property
    def text(self) -> str:
        """The row's text: for a group row its one cell."""
        return " ".join(c for c in self.cells if c)

    @property
    def extraction_method(self) -> ExtractionMethod:
        """ "ocr" when any piece of the row was read from a scan, else "text"."""
        return "ocr" if any(p.extraction_method == "ocr" for p in self.parts) else "text"

    @property
    def ocr_confidence(self) -> float | None:
        """Mean Tesseract word confidence of the row, 0..100 (None: not OCR, or no words)."""
        confs = [c for p in self.parts for c in p.word_confidences]
        return sum(confs) / len(confs) if confs else None

    @property
    def ocr_confidence_min(self) -> float | None:
        """Lowest Tesseract word confidence in the row, 0..100 (None: not OCR, or no words)."""
        return min((c for p in self.parts for c in p.word_confidences), default=None)

    @property
    def low_confidence_cells(self) -> list[int]:
        """Cells of the row (indices into `cells`) holding a word read with low confidence: to
        be checked by a person, not taken as certain."""
        return sorted({j for p in self.parts for j in p.low_confidence})


@dataclass
class Table:
    """One logical table: a table that runs over many pages is one `Table`."""

    header: list[str]
    """Header text per column (multi-row headers joined with a space); repeats on later pages
    are dropped from `rows`. Empty strings when the table has no header row."""
    rows: list[Row]
    index: int
    """Position of the table in the document, 0-based."""
    page_first: int | None = None
    page_last: int | None = None

    @property
    def n_columns(self) -> int:
        return len(self.header)

    def data_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "data"]


@dataclass
class Paragraph:
    """A run of text outside tables (title lines, preamble, free-text sections, signature)."""

    text: str
    page: int | None = None
    bold: bool = False
    bbox: BBox | None = None
    """PDF: where the line was drawn, so lines can be grouped into paragraphs
    (`reader.paragraphs`); DOCX paragraphs are whole paragraphs already and have none."""
    confidence: float | None = None
    """OCR: the lowest Tesseract word confidence (0..100) in the line; None when read as text."""


Block = Paragraph | Table


@dataclass
class Document:
    """A read document: tables and paragraphs in reading order, plus where it came from."""

    file_name: str
    """Base name only; never a full path (paths can leak into logs and artifacts)."""
    sha256: str
    format: Literal["pdf", "docx"]
    pages: int | None
    blocks: list[Block]
    reader_version: str
    warnings: list[str] = field(default_factory=list)
    """Things a person should check, e.g. characters in a table area that landed in no cell."""

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def title_lines(self) -> list[str]:
        """Paragraphs before the first table: the title and preamble."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Table):
                break
            out.append(b.text)
        return out

    @property
    def signature_lines(self) -> list[str]:
        """Paragraphs after the last table: usually the signer's position and name."""
        out: list[str] = []
        for b in reversed(self.blocks):
            if isinstance(b, Table):
                break
            out.append(b.text)
        return list(reversed(out))


@dataclass
class Fragment:
    """The part of one table drawn on one page, by the text path (`reader.pdf`) or OCR
    (`reader.ocr`); `reader.pdf` stitches fragments into logical tables."""

    page: int
    bbox: BBox
    edges: list[float]
    """x of each column's left edge, then the table's right edge."""
    parts: list[RowPart]
    texts: list[list[str]]
    """Cell texts per physical row, for comparing header rows across pages."""
    bold: list[bool]
    """Per physical row: every character in it is bold (header candidates)."""
    ocr: bool = False
    """Read from a scanned image (`reader.ocr`)."""
    edge_bands: list[tuple[float, float]] = field(default_factory=list)
    """When its column rules came from its text (`reader.unruled`): per edge, the band the rule
    could be anywhere in and read this page the same. Stitching compares bands, not edges: the
    gutters a page's text leaves move from page to page."""
    open_below: list[int] = field(default_factory=list)
    """Columns with no rule along the bottom edge while others have one: the rows above ended
    at the page foot and only these columns' (merged) cells run on to the next page."""
