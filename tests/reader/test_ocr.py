"""Golden tests for scanned PDFs: the scans `tools/scan.py` makes from the samples (150 and 300 dpi
grayscale, turned 0.5–1°, grain and specks; a text PDF with two scanned pages) read by OCR.

Every record of the type and every status class must come out right, with at least 98% of the
characters of all cells (whitespace ignored), and every row must say it was read by OCR, with a
confidence. Each scan is read once per session (~3–6 s a page). The contract tests
(tests/contract/test_doc_types.py) run over these scans too, as they sit under the type's fixtures.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from reader_golden import FIXTURES, truth_tables

from reader import Document, read_document
from reader.ocr import available, fix_text
from tests.support.truth import document_from_truth, load_truth
from transforms import registry
from transforms.base import RECORD_KEY

SCANS = sorted(FIXTURES.glob("*/scans/*.json"))
MIN_CHAR_ACCURACY = 0.98

pytestmark = pytest.mark.skipif(not available(), reason="Tesseract (ukr) is not installed")


@cache
def read_scan(truth_path: Path) -> Document:
    return read_document(truth_path.with_suffix(".pdf"))


def _ids(path: Path) -> str:
    return path.stem


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def char_accuracy(doc: Document, truth: dict[str, Any]) -> tuple[int, int]:
    """(characters matched, characters compared) over all cells, whitespace ignored; a missing
    or extra cell counts all its characters as wrong."""
    matched = total = 0
    for got, want in zip(doc.tables, truth_tables(truth), strict=True):
        for got_row, want_row in zip(got.rows, want["rows"], strict=False):
            cells = [want_row["text"]] if want_row["kind"] == "group" else want_row["cells"]
            for a, b in zip(got_row.cells, cells, strict=False):
                a, b = _squash(a), _squash(b)
                sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
                matched += sum(m.size for m in sm.get_matching_blocks())
                total += max(len(a), len(b))
    return matched, total


@pytest.mark.parametrize("path", SCANS, ids=_ids)
def test_scan_has_no_text_layer(path: Path) -> None:
    """The fixture really is a scan: pdfplumber finds no characters on its scanned pages."""
    import pdfplumber

    truth = load_truth(path)
    with pdfplumber.open(path.with_suffix(".pdf")) as pdf:
        empty = [i for i, page in enumerate(pdf.pages, start=1) if not page.chars]
    assert empty, "no image-only page"
    assert len(pdf.pages) == truth["pdf"]["pages"]


@pytest.mark.parametrize("path", SCANS, ids=_ids)
def test_rows_pages_and_characters(path: Path) -> None:
    doc, truth = read_scan(path), load_truth(path)
    assert doc.pages == truth["pdf"]["pages"]
    tables = truth_tables(truth)
    assert len(doc.tables) == len(tables)
    for got, want in zip(doc.tables, tables, strict=True):
        assert [r.kind for r in got.rows] == [r["kind"] for r in want["rows"]]
        pages = [[r.page_first, r.page_last] for r in got.rows]
        assert pages == [truth["pdf"]["rows"][r["ref"]] for r in want["rows"]]
    matched, total = char_accuracy(doc, truth)
    assert matched / total >= MIN_CHAR_ACCURACY, f"{matched}/{total} = {matched / total:.4f}"


@pytest.mark.parametrize("path", SCANS, ids=_ids)
def test_every_record_and_status_class(path: Path) -> None:
    """The type's records from the scan equal those from the truth: the same record keys, and
    every vocabulary column (status class, deadline kind ...) equal record by record."""
    doc, truth = read_scan(path), load_truth(path)
    doc_type = truth["doc_type"]
    assert registry.detect(doc) == doc_type
    module = registry.doc_type(doc_type)
    got, want = module.normalise(doc), module.normalise(document_from_truth(path))
    vocab = registry.vocabularies()
    for table, frame in want.items():
        if table == "document_references":
            continue  # citations are parsed from free text; a misread digit moves one
        assert got[table].get_column(RECORD_KEY).to_list() == frame.get_column(RECORD_KEY).to_list()
        columns = [k.split(".")[1] for k in vocab if k.split(".")[0] == table]
        for column in columns:
            a = got[table].get_column(column).to_list()
            b = frame.get_column(column).to_list()
            assert a == b, f"{table}.{column}"
    assert got[doc_type].height > 0


@pytest.mark.parametrize("path", SCANS, ids=_ids)
def test_rows_say_how_they_were_read(path: Path) -> None:
    doc = read_scan(path)
    import pdfplumber

    with pdfplumber.open(path.with_suffix(".pdf")) as pdf:
        scanned = {i for i, page in enumerate(pdf.pages, start=1) if not page.chars}
    for row in (r for t in doc.tables for r in t.rows):
        on_scan = bool({row.page_first, row.page_last} & scanned)
        assert row.extraction_method == ("ocr" if on_scan else "text")
        if row.page_first in scanned and row.page_last in scanned:
            assert row.ocr_confidence is not None and 0 <= row.ocr_confidence <= 100
            assert row.ocr_confidence_min is not None
            assert row.ocr_confidence_min <= row.ocr_confidence
            assert all(0 <= j < len(row.cells) for j in row.low_confidence_cells)
        if not on_scan:
            assert row.ocr_confidence is None and row.low_confidence_cells == []


def test_document_rows_carry_the_method_and_confidence() -> None:
    from zvit.provenance import SCHEMA, document_rows_frame

    path = FIXTURES / "service_card/scans/service_card_immigration_mixed_scan150.json"
    frame = document_rows_frame(read_scan(path))
    assert frame.schema == SCHEMA
    methods = set(frame.get_column("extraction_method"))
    assert methods == {"text", "ocr"}
    ocr = frame.filter(pl.col("extraction_method") == "ocr")
    assert ocr.get_column("ocr_confidence").null_count() == 0
    text = frame.filter(pl.col("extraction_method") == "text")
    assert text.get_column("ocr_confidence").null_count() == text.height


def test_ocr_fits_the_worker_limits() -> None:
    """Tesseract runs as a child of the capped worker (RLIMIT_DATA is inherited): a scan still
    loads within the default memory cap and timeout."""
    from zvit.settings import Limits
    from zvit.workers import run_isolated

    path = FIXTURES / "service_card/scans/service_card_immigration_mixed_scan150.pdf"
    result, code, _ = run_isolated(path, Limits())
    assert code is None and result is not None and result.ok, (code, result and result.error)
    rows = result.frames["document_rows"]
    assert set(rows.get_column("extraction_method")) == {"text", "ocr"}


def test_text_pdfs_are_not_touched_by_ocr() -> None:
    doc = read_document(FIXTURES / "service_card/service_card_immigration.pdf")
    rows = [r for t in doc.tables for r in t.rows]
    assert {r.extraction_method for r in rows} == {"text"}
    assert all(r.ocr_confidence is None for r in rows)


def test_too_coarse_scans_stay_unread() -> None:
    """A 60 dpi scan is not guessed at: still `no_text_layer`."""
    from reader import DocumentError

    with pytest.raises(DocumentError) as err:
        read_document(FIXTURES.parent / "bad" / "scanned.pdf")
    assert err.value.code == "no_text_layer"


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("від 18.05.2021 Ме75/аг", "від 18.05.2021 №75/аг"),
        ("No з/п", "№ з/п"),
        ("Мо 3/n", "№ з/п"),
        ("1,", "1."),
        ("Мені 5 днів", "Мені 5 днів"),
        ("COVID-19", "COVID-19"),
        ("1, 2", "1, 2"),
        ("Не пізніше З робочих днів", "Не пізніше 3 робочих днів"),
        ("З метою 2З", "З метою 23"),
    ],
)
def test_known_confusions_fixed_in_context(raw: str, fixed: str) -> None:
    assert fix_text(raw) == fixed
