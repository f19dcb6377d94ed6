"""A real nightly run on scanned cards: how each record was read reaches the facts and documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ocr import available as ocr_available
from tests.support.flows import query_marts, run_nightly
from zvit.settings import PROJECT_DIR

CARDS = PROJECT_DIR / "tests/fixtures/documents/service_card"
SCAN = CARDS / "scans/service_card_immigration_scan150.pdf"
MIXED = CARDS / "scans/service_card_immigration_mixed_scan150.pdf"
TEXT = CARDS / "service_card_immigration.pdf"

pytestmark = pytest.mark.skipif(not ocr_available(), reason="Tesseract with ukr+eng not installed")


@pytest.fixture(scope="module")
def scans_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The immigration card scanned, half scanned and as text, in one inbox."""
    _, data_dir, summary = run_nightly(
        tmp_path_factory.mktemp("nightly_scans"), [SCAN, MIXED, TEXT], keep_inbox=True
    )
    return data_dir, summary


def test_scans_load_as_their_type(scans_run) -> None:
    _, summary = scans_run
    got = {o["file_name"]: (o["state"], o["doc_type"]) for o in summary["outcomes"]}
    assert got == {p.name: ("loaded", "service_card") for p in (SCAN, MIXED, TEXT)}
    assert summary["dbt_success"] is True


def test_documents_say_how_they_were_read(scans_run) -> None:
    data_dir, _ = scans_run
    rows = query_marts(
        data_dir,
        "select file_name, extraction_method, ocr_confidence_mean is not null, "
        "ocr_confidence_mean between 0 and 100 from marts.dim_documents order by 1",
    )
    assert rows == [
        (TEXT.name, "text", False, None),
        (MIXED.name, "mixed", True, True),
        (SCAN.name, "ocr", True, True),
    ]


def test_every_step_says_how_it_was_read_and_how_sure(scans_run) -> None:
    data_dir, _ = scans_run
    rows = query_marts(
        data_dir,
        "select source_file, extraction_method, count(*), "
        "count(ocr_confidence_min), min(ocr_confidence_min), max(ocr_confidence_min) "
        "from marts.fct_service_stages group by 1, 2 order by 1, 2",
    )
    by_file: dict[str, dict[str, tuple]] = {}
    for name, method, steps, with_conf, low, high in rows:
        by_file.setdefault(name, {})[method] = (steps, with_conf, low, high)
    assert by_file[TEXT.name] == {"text": (15, 0, None, None)}
    scan = by_file[SCAN.name]
    assert set(scan) == {"ocr"} and scan["ocr"][:2] == (15, 15)
    assert 0 <= scan["ocr"][2] <= scan["ocr"][3] <= 100
    mixed = by_file[MIXED.name]
    assert set(mixed) == {"text", "ocr"}  # pages 1-2 text, 3-4 scanned
    assert sum(v[0] for v in mixed.values()) == 15
    assert mixed["text"][1] == 0 and mixed["ocr"][1] == mixed["ocr"][0]
