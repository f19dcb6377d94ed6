"""The native character helper (`reader/_pdfium_chars.c`) gives exactly the characters of the
pure-Python path it replaces: every key of every character dict, bit for bit, in the same
order, and the same columns the reading layer reads. The pure-Python path stays the fallback
when the helper is not built, so both must agree on every PDF we have."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2
import pytest

from reader import pdfium
from reader.pdfium import PdfiumDocument, native_helper
from reader.read import read_document
from reader.settings import ReaderSettings
from tests.support.pdfs import turned

ROOT = Path(__file__).resolve().parents[2]
PDFS = sorted(
    [
        *(ROOT / "tests" / "fixtures").rglob("*.pdf"),
        *(ROOT / "tests" / "reader" / "variants").glob("*.pdf"),
        *(ROOT / "samples").glob("*.pdf"),
        ROOT / "benchmarks" / "data" / "plan_long.pdf",
    ]
)
COLUMNS = ("text", "fontname", "upright", "x0", "x1", "top", "bottom", "v_mid", "h_mid")

needs_helper = pytest.mark.skipif(
    native_helper() is None, reason="native helper not built (make helper)"
)


def pages(path: Path, native: bool) -> list[Any] | str:
    """Each page's character dicts and columns, or the load error's type."""
    try:
        doc = PdfiumDocument(path, native=native)
    except pypdfium2.PdfiumError as exc:
        return type(exc).__name__
    out = []
    try:
        for page in doc.pages:
            columns = page.columns
            out.append((page.chars, [getattr(columns, name) for name in COLUMNS]))
            page.close()
    finally:
        doc.close()
    return out


@needs_helper
@pytest.mark.parametrize("path", PDFS, ids=lambda p: str(p.relative_to(ROOT)))
def test_native_chars_equal_python_chars(path: Path) -> None:
    native, python = pages(path, True), pages(path, False)
    assert native == python


@needs_helper
@pytest.mark.parametrize(("rotation", "shift"), [(90, 0), (180, 15), (270, 0)])
def test_native_chars_equal_python_chars_on_turned_pages(
    tmp_path: Path, rotation: int, shift: float
) -> None:
    path = turned(ROOT / "samples" / "service_card_immigration.pdf", tmp_path, rotation, shift)
    native = pages(path, True)
    assert native and any(chars for chars, _ in native)
    assert native == pages(path, False)


@pytest.mark.parametrize("native", [True, False])
def test_outside_keeps_the_other_characters_in_order(native: bool) -> None:
    """`outside` is `page.filter` on character positions, without building the dicts of the
    characters it drops."""
    doc = PdfiumDocument(ROOT / "samples" / "service_card_immigration.pdf", native=native)
    try:
        page = next(iter(doc.pages))
        inside = set(range(0, len(page.columns), 3))
        kept = page.outside(inside)
        assert inside and kept.chars == [c for j, c in enumerate(page.chars) if j not in inside]
        assert kept.rects == page.rects and kept.lines == page.lines
        page.close()
    finally:
        doc.close()


@needs_helper
def test_reader_without_the_helper_reads_the_same_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """A checkout where `make setup` could not build the helper (no gcc) reads every document
    exactly as one where it did."""
    path = ROOT / "tests" / "fixtures" / "documents" / "plan_execution" / "plan_2021.pdf"
    settings = ReaderSettings(pdf_engine="pdfium", ocr=False)
    with_helper = read_document(path, settings)
    monkeypatch.setattr(pdfium, "_HELPER", ROOT / "no-such-helper.so")
    pdfium.native_helper.cache_clear()
    try:
        assert pdfium.native_helper() is None
        assert read_document(path, settings) == with_helper
    finally:
        pdfium.native_helper.cache_clear()


@needs_helper
def test_a_helper_built_from_another_source_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """After a pull that changed `_pdfium_chars.c`, a helper not rebuilt yet has other
    signatures: calling it could crash the worker, so the pure-Python path reads instead."""
    monkeypatch.setattr(pdfium, "_HELPER_ABI", pdfium._HELPER_ABI + 1)
    pdfium.native_helper.cache_clear()
    try:
        assert pdfium.native_helper() is None
        monkeypatch.undo()
        pdfium.native_helper.cache_clear()
        assert pdfium.native_helper() is not None  # the same file, with this source's number
    finally:
        pdfium.native_helper.cache_clear()
