"""A long PDF read by several capped worker processes in page ranges: the same `Extracted` as one
worker, the run's worker slots taken and given back, and a failure kills every range."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path
from typing import Any

import pytest

from reader.ocr import available as ocr_available
from tests.support.pdfs import PLAN_PDF, plan_with_unreadable_end
from zvit.limits import OCR_PAGE_WEIGHT
from zvit.settings import PROJECT_DIR, Limits
from zvit.workers import _census, _weight, run_isolated

PLAN_LONG = PROJECT_DIR / "benchmarks/data/plan_long.pdf"  # 296 pages
SCANS = PROJECT_DIR / "tests/fixtures/documents"
PLAN_SCAN = SCANS / "plan_execution/scans/plan_2021_p1-3_scan150.pdf"  # 3 pages, no text layer
MIXED_SCAN = SCANS / "service_card/scans/service_card_immigration_mixed_scan150.pdf"


def _free(slots: threading.Semaphore) -> int:
    n = 0
    while slots.acquire(blocking=False):
        n += 1
    for _ in range(n):
        slots.release()
    return n


def _assert_same(split: Any, one: Any) -> None:
    """The document read in ranges is the one-worker document, field by field and frame by frame."""
    assert split.document == one.document
    assert split.warnings == one.warnings
    assert split.frames.keys() == one.frames.keys()
    for name, frame in one.frames.items():
        assert split.frames[name].equals(frame), name
    assert one.frames["plan_execution"].height > 0


def test_ranges_give_the_one_worker_result_and_give_back_their_slots() -> None:
    one, code, stats = run_isolated(PLAN_PDF, Limits())
    assert code is None and stats.workers == 1

    slots = threading.Semaphore(3)
    with slots:  # the document's own slot, as the flow's extract task holds it
        split, code, stats = run_isolated(PLAN_PDF, Limits(pages_per_worker=20), slots)
        assert _free(slots) == 2  # the helpers' slots are back once the document is done
    assert code is None
    assert stats.workers == 3  # 51 pages / 20 per worker, two free slots: three ranges
    assert split.ok, split.error
    _assert_same(split, one)


def test_no_free_slot_means_one_worker() -> None:
    slots = threading.Semaphore(1)
    with slots:
        result, code, stats = run_isolated(PLAN_PDF, Limits(pages_per_worker=20), slots)
    assert code is None and result.ok
    assert stats.workers == 1


def test_a_failing_range_fails_the_document_as_one_worker_does(tmp_path: Path) -> None:
    path = plan_with_unreadable_end(tmp_path)
    one, _, _ = run_isolated(path, Limits())
    slots = threading.Semaphore(2)
    with slots:
        split, code, stats = run_isolated(path, Limits(pages_per_worker=30), slots)
    assert stats.workers == 2
    assert code is None  # the lead reports the failure of the range
    assert one.error_code == split.error_code == "unmapped_glyphs"
    assert split.error == one.error
    assert split.frames == {}


def test_the_document_deadline_kills_every_range_and_gives_back_the_slots(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Read by the pdfminer engine (the workers inherit the variable): ~5 s for each range of 100
    # pages, so a 3 s deadline always strikes mid-read; pdfium reads all 296 pages in ~2.5 s.
    monkeypatch.setenv("ZVIT_PDF_ENGINE", "pdfplumber")
    slots = threading.Semaphore(2)
    with slots:
        result, code, stats = run_isolated(
            PLAN_LONG, Limits(pages_per_worker=100, timeout_s=3), slots
        )
        assert _free(slots) == 1
    assert result is None
    assert code == "timeout" and stats.killed
    assert multiprocessing.active_children() == []


def test_a_worker_reports_its_own_peak_not_its_parents() -> None:
    """A spawned worker's peak is its own: a parent holding 400 MB does not show in it (Linux
    carries `ru_maxrss` over the exec from the forked image)."""
    ballast = bytearray(400 * 2**20)
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touch every page: resident
    _, code, stats = run_isolated(PLAN_PDF, Limits())
    assert code is None and stats.peak_rss_mb is not None
    assert 20 < stats.peak_rss_mb < 300, stats.peak_rss_mb
    del ballast


def test_the_census_tells_pages_without_a_text_layer() -> None:
    assert _census(PLAN_LONG) == (296, 0.0)
    assert _census(PLAN_SCAN) == (3, 1.0)
    assert _census(MIXED_SCAN) == (4, 0.5)  # two text pages, then two scanned ones
    assert _census(SCANS / "plan_execution/plan_2021.docx") is None
    assert _weight((296, 0.0)) == 296


@pytest.mark.skipif(not ocr_available(), reason="Tesseract with ukr+eng not installed")
def test_a_scan_is_read_in_page_ranges_and_gives_the_one_worker_result() -> None:
    """OCR takes seconds a page, so a page it reads weighs `OCR_PAGE_WEIGHT` text pages: a
    3-page scan is split with the default threshold, a range to a page when slots are free."""
    assert _weight((3, 1.0)) == 3 * OCR_PAGE_WEIGHT > Limits().pages_per_worker
    one, code, stats = run_isolated(PLAN_SCAN, Limits())
    assert code is None and stats.workers == 1 and one.ok, one.error

    slots = threading.Semaphore(4)
    with slots:
        split, code, stats = run_isolated(PLAN_SCAN, Limits(), slots)
        assert _free(slots) == 3
    assert code is None and split.ok, split.error
    assert stats.workers == 3  # never more ranges than pages
    _assert_same(split, one)
