"""A real nightly flow run on ITA project monitoring reports: recognised without being told,
loaded, and the assistance marts built and published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from tests.support.flows import query_marts, run_nightly
from zvit.settings import PROJECT_DIR

DOCS = PROJECT_DIR / "tests/fixtures/documents/assistance_project"
IMMIS_PDF = DOCS / "itd_immis_final.pdf"
SEMIANNUAL_DOCX = DOCS / "variants/itd_semiannual_synthetic.docx"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("nightly_assistance")
    _, data_dir, summary = run_nightly(root, [IMMIS_PDF, SEMIANNUAL_DOCX], keep_inbox=True)
    return data_dir, summary


def test_reports_are_recognised_and_loaded(run) -> None:
    data_dir, summary = run
    states = {o["file_name"]: o["state"] for o in summary["outcomes"]}
    assert states == {"itd_immis_final.pdf": "loaded", "itd_semiannual_synthetic.docx": "loaded"}
    assert summary["dbt_success"] is True
    assert query_marts(
        data_dir, "select distinct doc_type from marts.dim_documents where is_loaded"
    ) == [("assistance_project",)]


def test_assistance_marts_are_built(run) -> None:
    data_dir, summary = run
    marts = summary["marts"]
    assert marts["marts.dim_assistance_projects"] == 2
    assert marts["marts.fct_assistance_indicators"] == 10 + 3
    assert marts["marts.fct_assistance_spending"] == 5 + 4
    # IMMIS lists 47 activities; the variant carries IMMIS indicators 3, 4 and 10 (4 + 4 + 13).
    assert marts["marts.fct_assistance_activities"] == 47 + 21
    assert query_marts(
        data_dir,
        "select project_code, monitoring_type, partner, period_start_date, period_end_date, "
        "registration_card_number, total_spent_uah, goals, indicators, "
        "spending_categories_reported from marts.dim_assistance_projects order by 1",
    ) == [
        ("IMMIS", "final", "ЄС", *_dates("2016-12-01", "2021-05-31"), "3632-06",
         Decimal("189320690.92"), 3, 10, 1),
        ("READMIT", "semiannual", "Уряд Королівства Данія", *_dates("2022-01-01", "2022-06-30"),
         "4120-01", Decimal("12450300.50"), 2, 3, 2),
    ]  # fmt: skip


def test_indicator_grain_and_measures(run) -> None:
    data_dir, _ = run
    rows = query_marts(
        data_dir,
        "select indicator_number, goal_number, activities_count, participants_total, "
        "actual_merged_into, page_first, page_last from marts.fct_assistance_indicators "
        "where project_code = 'IMMIS' order by indicator_number",
    )
    assert [r[0] for r in rows] == list(range(1, 11))
    assert [r[1] for r in rows] == [1, 1, 1, 1, 1, 2, 2, 2, 2, 3]
    assert rows[1][4] == 1  # indicator 2's actual cell is indicator 1's
    assert (rows[0][2], rows[0][3]) == (2, 0)
    assert sum(r[3] for r in rows) == 858
    assert (rows[0][5], rows[0][6]) == (2, 6)
    by_year = query_marts(
        data_dir,
        "select activity_year, sum(activities), sum(participants_total) "
        "from marts.assistance_activities_by_year a join marts.dim_assistance_projects p "
        "using (assistance_project_report_id) where p.project_code = 'IMMIS' group by 1 order by 1",
    )
    assert sum(r[1] for r in by_year) == 47
    assert [r[0] for r in by_year] == [2017, 2018, 2019, 2020, 2021]


def _dates(*iso: str) -> tuple[dt.date, ...]:
    return tuple(dt.date.fromisoformat(d) for d in iso)
