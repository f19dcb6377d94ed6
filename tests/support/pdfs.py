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
