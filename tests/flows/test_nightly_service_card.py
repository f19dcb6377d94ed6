"""A real nightly flow run on service cards: recognised without being told, marts built."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.flows import query_marts, run_nightly
from zvit.settings import PROJECT_DIR

CARDS = PROJECT_DIR / "tests/fixtures/documents/service_card"
IMMIGRATION = "ОФОРМЛЕННЯ ТА ВИДАЧА ДОЗВОЛУ НА ІММІГРАЦІЮ"
RESIDENCE = "ОФОРМЛЕННЯ ТА ВИДАЧА ПОСВІДКИ НА ТИМЧАСОВЕ ПРОЖИВАННЯ"


@pytest.fixture(scope="module")
def cards_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The immigration card as PDF and DOCX plus the generated 8-stage card, in one inbox."""
    root = tmp_path_factory.mktemp("nightly_service_card")
    cards = [
        CARDS / "service_card_immigration.pdf",
        CARDS / "service_card_immigration.docx",
        CARDS / "variants/service_card_residence_permit.docx",
    ]
    _, data_dir, summary = run_nightly(root, cards, keep_inbox=True)
    return data_dir, summary


def test_cards_are_recognised_and_loaded(cards_run) -> None:
    _, summary = cards_run
    got = {o["file_name"]: (o["state"], o["doc_type"]) for o in summary["outcomes"]}
    assert set(got.values()) == {("loaded", "service_card")}
    assert len(got) == 3
    assert summary["dbt_success"] is True


def test_servicequery_marts(cards_run) -> None:
    data_dir, summary = cards_run
    assert summary["marts"]["marts.fct_service_stages"] == 15 + 15 + 9
    assert query_marts(
        data_dir,
        "select service_name, stage_count, step_count, has_numbering_gaps, cards_loaded "
        "from marts.dim_services order by 1",
    ) == [(IMMIGRATION, 13, 15, True, 2), (RESIDENCE, 8, 9, False, 1)]
    # Immigration: 0 x6, 7 (0 + 1.4), 8 (1.4), 9 (1 + 1.4), 10 (365), 11 (30), 12 (365), 18 (4.2).
    assert query_marts(
        data_dir,
        "select service_name, stages, steps, longest_path_days, same_day_stages, same_day_share "
        "from marts.service_time_budget order by 1",
    ) == [
        (IMMIGRATION, 13, 15, 769.4, 6, 0.4615),
        (RESIDENCE, 8, 9, 66.2, 3, 0.375),
    ]
    latest = query_marts(
        data_dir,
        "select count(*), count(distinct source_sha256) from marts.fct_service_stages "
        "where is_latest_card",
    )
    assert latest == [(24, 2)]


def test_cited_acts_hang_on_their_stage_step(cards_run) -> None:
    data_dir, _ = cards_run
    rows = query_marts(
        data_dir,
        "select r.reference_number, s.stage_number, count(*) "
        "from marts.fct_document_references r "
        "join marts.fct_service_stages s using (service_stage_step_id) "
        "where r.doc_type = 'service_card' group by 1, 2 order by 1",
    )
    assert rows == [("1983", 2, 2), ("321", 2, 2)]  # the immigration card's PDF and DOCX
