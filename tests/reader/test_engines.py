"""The pdfium engine reads every PDF we have exactly as the pdfplumber (pdfminer) engine does.

pdfplumber is the reference: the pdfium engine feeds pdfplumber's own table and text algorithms
with objects read by pdfium (`reader.pdfium`), so any difference is a bug in how those objects are
built. Positions may differ by float rounding (pdfium keeps coordinates as 32-bit floats and
rounds font widths to whole units): boxes are compared within `BBOX_TOLERANCE` points, everything
else (cells, row kinds, pages, spans, merges, warnings, refusal codes) exactly.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from reader.errors import DocumentError
from reader.read import read_document
from reader.settings import ReaderSettings
from tests.support.pdfs import turned

ROOT = Path(__file__).resolve().parents[2]
BBOX_TOLERANCE = 2.0
"""Points. reportlab's fractional glyph widths drift by up to ~1 pt along a long line."""

PDFS = sorted(
    [
        *(ROOT / "tests" / "fixtures").rglob("*.pdf"),
        *(ROOT / "tests" / "reader" / "variants").glob("*.pdf"),
        *(ROOT / "samples").glob("*.pdf"),
    ]
)
LONG = ROOT / "benchmarks" / "data" / "plan_long.pdf"


def read(path: Path, engine: str) -> Any:
    """The document, or the refusal's code. OCR is off: it reads rendered pixels, not the
    engine's objects, and would only double the run time here."""
    try:
        return read_document(path, ReaderSettings(pdf_engine=engine, ocr=False))
    except DocumentError as exc:
        return exc.code


def differences(a: Any, b: Any, where: str = "") -> list[str]:
    """Where two read results differ: boxes within `BBOX_TOLERANCE`, the rest exactly."""
    if dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
        if type(a) is not type(b):
            return [f"{where}: {type(a).__name__} != {type(b).__name__}"]
        out: list[str] = []
        for f in dataclasses.fields(a):
            out += differences(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
        return out
    if where.endswith(".bbox") and a is not None and b is not None:
        if len(a) != len(b) or any(abs(x - y) > BBOX_TOLERANCE for x, y in zip(a, b, strict=True)):
            return [f"{where}: {a} != {b}"]
        return []
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += differences(x, y, f"{where}[{i}]")
        return out
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: str(p.relative_to(ROOT)))
def test_pdfium_reads_as_pdfplumber(path: Path) -> None:
    reference = read(path, "pdfplumber")
    got = read(path, "pdfium")
    assert differences(reference, got) == []


def test_pdfium_reads_the_long_report_as_pdfplumber() -> None:
    reference = read(LONG, "pdfplumber")
    got = read(LONG, "pdfium")
    assert not isinstance(reference, str), reference
    assert differences(reference, got) == []


@pytest.mark.parametrize(("rotation", "shift"), [(90, 0), (180, 0), (270, 0), (0, 15), (90, 15)])
def test_pdfium_reads_rotated_and_shifted_pages_as_pdfplumber(
    tmp_path: Path, rotation: int, shift: float
) -> None:
    """/Rotate turns the page (and its text) the way pdfminer turns it; a MediaBox that does not
    start at 0,0 moves everything by the same offsets."""
    path = turned(ROOT / "samples" / "service_card_immigration.pdf", tmp_path, rotation, shift)
    reference = read(path, "pdfplumber")
    assert not isinstance(reference, str), reference
    assert differences(reference, read(path, "pdfium")) == []


def test_engine_is_chosen_by_setting_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZVIT_PDF_ENGINE", raising=False)
    assert ReaderSettings().engine() == "pdfium"
    monkeypatch.setenv("ZVIT_PDF_ENGINE", "pdfplumber")
    assert ReaderSettings().engine() == "pdfplumber"
    assert ReaderSettings(pdf_engine="pdfium").engine() == "pdfium"
    monkeypatch.setenv("ZVIT_PDF_ENGINE", "pdfminer")
    with pytest.raises(ValueError, match="ZVIT_PDF_ENGINE"):
        ReaderSettings().engine()
    with pytest.raises(ValueError, match="pdf_engine"):
        ReaderSettings(pdf_engine="poppler")


if __name__ == "__main__":  # a report of every difference, for debugging an engine change
    import sys

    for p in [Path(a) for a in sys.argv[1:]] or [*PDFS, LONG]:
        diffs = differences(read(p, "pdfplumber"), read(p, "pdfium"))
        print(f"{len(diffs):4d} {p.relative_to(ROOT) if p.is_absolute() else p}")
        for d in diffs[:6]:
            print("      ", d[:300])
