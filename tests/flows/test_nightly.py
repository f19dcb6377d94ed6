"""Real nightly flow runs: good documents load, bad ones are quarantined, re-runs are no-ops."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly
from tests.support.flows import query_marts
from zvit.settings import PROJECT_DIR

FIXTURES = PROJECT_DIR / "tests/fixtures"
PLAN_PDF = FIXTURES / "documents/plan_execution/plan_2021.pdf"
ANTICORRUPTION_PDF = FIXTURES / "documents/anticorruption/anticorruption_2019.pdf"
BAD = {
    "empty.pdf": "empty",
    "not_a_pdf.pdf": "not_a_document",
    "truncated.pdf": "truncated",
    "encrypted.pdf": "encrypted",
    "scanned.pdf": "no_text_layer",
    "no_table.pdf": "unknown_type",
    "zebra_rows.pdf": "unread_rows",
}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    root = tmp_path_factory.mktemp("nightly")
    inbox, data_dir = root / "inbox", root / "data"
    inbox.mkdir()
    shutil.copy(PLAN_PDF, inbox)
    shutil.copy(ANTICORRUPTION_PDF, inbox)
    for name in BAD:
        shutil.copy(FIXTURES / "bad" / name, inbox)
    shutil.copy(FIXTURES / "bad/docx_renamed.pdf", inbox)
    mp = pytest.MonkeyPatch()
    mp.setenv("ZVIT_DATA_DIR", str(data_dir))
    summary = nightly(inbox=str(inbox), keep_inbox=False)
    yield inbox, data_dir, summary
    mp.undo()


def test_good_documents_load_and_marts_are_published(first_run) -> None:
    _, data_dir, summary = first_run
    states = {o["file_name"]: o["state"] for o in summary["outcomes"]}
    assert states["plan_2021.pdf"] == "loaded"
    assert states["docx_renamed.pdf"] == "loaded"
    assert summary["dbt_success"] is True
    by_status = dict(
        query_marts(
            data_dir,
            "select status, count(*) from marts.fct_plan_measures "
            "where source_file = 'plan_2021.pdf' group by 1",
        )
    )
    assert by_status == {"done": 54, "partially_done": 4, "not_done": 3, "not_held": 3}
    assert summary["marts"]["marts.fct_plan_measures"] == 128


def test_anticorruption_report_loads_beside_the_plan_report(first_run) -> None:
    """Recognised without being told, in the same run; units and references shared."""
    _, data_dir, summary = first_run
    outcome = next(o for o in summary["outcomes"] if o["file_name"] == "anticorruption_2019.pdf")
    assert outcome["state"] == "loaded"
    assert summary["marts"]["marts.fct_anticorruption_measures"] == 42
    assert query_marts(
        data_dir,
        "select appendix_number, count(*), count(distinct area_number) "
        "from marts.fct_anticorruption_measures group by 1 order by 1",
    ) == [(1, 14, 5), (2, 28, 8)]
    assert query_marts(
        data_dir,
        "select sum(measures), count(*) from marts.anticorruption_by_area "
        "where programme_year = 2019",
    ) == [(42, 13)]
    (doc_type,) = query_marts(
        data_dir,
        "select doc_type from marts.dim_documents where file_name = 'anticorruption_2019.pdf'",
    )[0]
    assert doc_type == "anticorruption"
    refs = query_marts(
        data_dir,
        "select count(*), count(anticorruption_measure_id) from marts.fct_document_references "
        "where doc_type = 'anticorruption'",
    )[0]
    assert refs[0] > 10 and refs[0] == refs[1]
    # Units carrying both plan and anticorruption measures, through the shared unit codes.
    both = query_marts(
        data_dir,
        "select distinct u.unit_code from marts.dim_units u "
        "join (select unnest(executors) as unit_code from marts.fct_plan_measures) p "
        "using (unit_code) "
        "join (select unnest(responsible_units) as unit_code "
        "      from marts.fct_anticorruption_measures) a using (unit_code) order by 1",
    )
    assert ("ДІТЗІ",) in both


@pytest.mark.parametrize(("name", "code"), sorted(BAD.items()))
def test_bad_input_is_quarantined_with_a_reason(first_run, name: str, code: str) -> None:
    inbox, data_dir, summary = first_run
    outcome = next(o for o in summary["outcomes"] if o["file_name"] == name)
    assert (outcome["state"], outcome["reason_code"]) == ("quarantined", code)
    (reason_file,) = (data_dir / "quarantine").glob(f"*-{name}.reason.json")
    assert json.loads(reason_file.read_text())["reason_code"] == code
    assert reason_file.with_name(reason_file.name.removesuffix(".reason.json")).exists()
    assert not (inbox / name).exists()


def test_ledger_records_every_document(first_run) -> None:
    _, data_dir, summary = first_run
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        states = dict(con.execute("select file_name, state from raw.documents").fetchall())
    finally:
        con.close()
    assert states == {o["file_name"]: o["state"] for o in summary["outcomes"]}


def test_rerun_with_the_same_bytes_changes_nothing(first_run) -> None:
    inbox, data_dir, _ = first_run
    before = query_marts(data_dir, "select * from marts.fct_plan_measures order by 1")
    published = (data_dir / "marts.duckdb").stat().st_mtime_ns
    shutil.copy(PLAN_PDF, inbox / "again.pdf")  # same bytes, new name
    summary = nightly(inbox=str(inbox), keep_inbox=False)
    assert summary["outcomes"] == []
    assert summary["current"] == ["again.pdf"]
    assert summary["dbt_success"] is None
    assert (data_dir / "marts.duckdb").stat().st_mtime_ns == published
    assert query_marts(data_dir, "select * from marts.fct_plan_measures order by 1") == before


def test_a_bad_document_later_costs_nothing_else(first_run) -> None:
    inbox, data_dir, _ = first_run
    before = query_marts(data_dir, "select count(*) from marts.fct_plan_measures")
    (inbox / "broken.pdf").write_bytes(PLAN_PDF.read_bytes()[:5000])
    summary = nightly(inbox=str(inbox), keep_inbox=False)
    assert [(o["file_name"], o["reason_code"]) for o in summary["outcomes"]] == [
        ("broken.pdf", "truncated")
    ]
    assert summary["dbt_success"] is True
    assert query_marts(data_dir, "select count(*) from marts.fct_plan_measures") == before
