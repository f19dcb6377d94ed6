"""PDFs made for a test from the committed fixtures (pypdfium2 joins pages; no LibreOffice)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

from zvit.settings import PROJECT_DIR

FIXTURES = PROJECT_DIR / "tests/fixtures"
PLAN_PDF = FIXTURES / "documents/plan_execution/plan_2021.pdf"  # 51 pages
CID_FONTS = FIXTURES / "bad/cid_fonts.pdf"  # no ToUnicode map: unmapped_glyphs


def plan_with_unreadable_end(folder: Path) -> Path:
    """plan_2021.pdf with a page of unmapped glyphs after its last page: a document read in
    page ranges meets the bad page only in its last range."""
    out = pypdfium2.PdfDocument.new()
    for source in (PLAN_PDF, CID_FONTS):
        src = pypdfium2.PdfDocument(source)
        out.import_pages(src)
        src.close()
    path = folder / "plan_bad_end.pdf"
    out.save(path)
    out.close()
    return path


def turned(source: Path, folder: Path, rotation: int, shift: float) -> Path:
    """`source` with every page turned by /Rotate and its MediaBox moved `shift` points off 0,0
    (twice that at the bottom): text off the page axes, pages not starting at the origin."""
    doc = pypdfium2.PdfDocument(source)
    for i in range(len(doc)):
        page = doc[i]
        page.set_rotation(rotation)
        left, bottom, right, top = page.get_mediabox()
        page.set_mediabox(left - shift, bottom - 2 * shift, right + shift, top + shift)
    path = folder / f"turned-{rotation}-{shift:g}.pdf"
    doc.save(path)
    doc.close()
    return path
