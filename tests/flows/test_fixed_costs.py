"""Fixed costs of a run: a no-op `zvit run` starts no Prefect, a run with nothing to validate or
build imports neither Great Expectations nor dbt, and dbt rebuilds only what new rows feed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from prefect.settings import PREFECT_API_URL

from flows.nightly import nightly
from tests.support.flows import query_marts
from warehouse import dbt as dbt_runner
from warehouse.dbt_process import DbtProcess
from warehouse.lock import writer_lock
from zvit import preflight
from zvit.settings import PROJECT_DIR, Settings

FIXTURES = PROJECT_DIR / "tests/fixtures/documents"
FIRST = [
    FIXTURES / "plan_execution/plan_2021.pdf",
    FIXTURES / "anticorruption/anticorruption_2019.pdf",
]
SERVICE_CARD = FIXTURES / "service_card/service_card_immigration.pdf"

PROBE = """
import json, sys
from zvit.cli import main
rc = {call}
print(json.dumps({{"rc": rc, "modules": sorted(
    m for m in ("prefect", "great_expectations", "dbt", "flows.nightly") if m in sys.modules
)}}))
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    """Two reports loaded by a real flow run from an inbox read in place."""
    root = tmp_path_factory.mktemp("fixed")
    inbox, data_dir = root / "inbox", root / "data"
    inbox.mkdir()
    for path in FIRST:
        shutil.copy(path, inbox)
    mp = pytest.MonkeyPatch()
    mp.setenv("ZVIT_DATA_DIR", str(data_dir))
    summary = nightly(inbox=str(inbox), keep_inbox=True)
    assert summary["dbt_success"] is True
    yield inbox, data_dir
    mp.undo()


def _probe(code: str, data_dir: Path, **env: str) -> tuple[dict, str]:
    """Run `code` in a fresh interpreter; its last line reports which frameworks it imported."""
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={**os.environ, "ZVIT_DATA_DIR": str(data_dir), "ZVIT_MIN_FILE_AGE_S": "0", **env},
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1]), out.stdout + out.stderr


def test_noop_run_says_so_without_starting_prefect(loaded) -> None:
    inbox, data_dir = loaded
    call = f"main(['run', '--inbox', {str(inbox)!r}, '--keep-inbox'])"
    report, output = _probe(PROBE.format(call=call), data_dir)
    assert report == {"rc": 0, "modules": []}
    assert "Nothing new in the inbox" in output
    assert "2 document(s) already current" in output
    assert "marts.fct_anticorruption_measures" in output  # the published marts, as a run prints
    assert "temporary server" not in output


def test_a_run_with_nothing_new_imports_neither_gx_nor_dbt(loaded) -> None:
    """The flow itself (as a deployment runs it, server already up) with nothing to do."""
    inbox, data_dir = loaded
    code = (
        "import json, sys\n"
        "from flows.nightly import nightly\n"
        f"s = nightly(inbox={str(inbox)!r}, keep_inbox=True)\n"
        "print(json.dumps({'current': len(s['current']), 'dbt': s['dbt_success'], "
        "'gx': 'great_expectations' in sys.modules, 'dbt_imported': 'dbt' in sys.modules}))"
    )
    report, _ = _probe(code, data_dir, PREFECT_API_URL=PREFECT_API_URL.value())
    assert report == {"current": 2, "dbt": None, "gx": False, "dbt_imported": False}


def test_preflight_leaves_every_kind_of_work_to_the_flow(loaded, tmp_path: Path) -> None:
    inbox, data_dir = loaded
    settings = Settings.from_env().model_copy(update={"data_dir": data_dir, "min_file_age_s": 0})
    quiet = preflight.nothing_new(inbox, settings, keep=True)
    assert quiet is not None and sorted(quiet["current"]) == sorted(p.name for p in FIRST)
    assert quiet["marts"]["marts.fct_plan_measures"] == 64

    # A claimed inbox would move even a current file to processed/.
    assert preflight.nothing_new(inbox, settings, keep=False) is None
    # A file still being written.
    waiting = settings.model_copy(update={"min_file_age_s": 3600})
    assert preflight.nothing_new(inbox, waiting, keep=True) is None
    # Another run holds the warehouse.
    with writer_lock(settings.lock_path, 1):
        assert preflight.nothing_new(inbox, settings, keep=True) is None
    # An earlier run died between load and publish.
    settings.marts_stale_path.touch()
    assert preflight.nothing_new(inbox, settings, keep=True) is None
    settings.marts_stale_path.unlink()
    # A requeued document.
    con = duckdb.connect(str(settings.warehouse_path))
    con.execute("update raw.documents set requeued_at = now() where file_name = 'plan_2021.pdf'")
    con.close()
    assert preflight.nothing_new(inbox, settings, keep=True) is None
    con = duckdb.connect(str(settings.warehouse_path))
    con.execute("update raw.documents set requeued_at = null")
    con.close()
    assert preflight.nothing_new(inbox, settings, keep=True) is not None

    other = tmp_path / "inbox"
    other.mkdir()
    shutil.copy(FIRST[0], other / "a.pdf")
    shutil.copy(FIRST[0], other / "b.pdf")  # the same bytes twice: reported as a duplicate
    assert preflight.nothing_new(other, settings, keep=True) is None
    (other / "b.pdf").unlink()
    assert preflight.nothing_new(other, settings, keep=True) is not None
    shutil.copy(SERVICE_CARD, other)  # new bytes
    assert preflight.nothing_new(other, settings, keep=True) is None
    empty = tmp_path / "empty"
    empty.mkdir()
    assert preflight.nothing_new(empty, settings, keep=False) is not None


def test_dbt_rebuilds_only_what_the_new_rows_feed(loaded, tmp_path: Path) -> None:
    _, data_dir = loaded
    anticorruption = "select * from marts.fct_anticorruption_measures order by all"
    before = query_marts(data_dir, anticorruption)
    assert len(before) == 42
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SERVICE_CARD, inbox)
    summary = nightly(inbox=str(inbox), keep_inbox=True)
    assert summary["dbt_success"] is True
    assert [o["state"] for o in summary["outcomes"]] == ["loaded"]

    target, _ = dbt_runner.target_dirs(data_dir)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    built = {r["unique_id"] for r in results if r["unique_id"].startswith("model.")}
    assert "model.zvit.fct_service_stages" in built
    assert "model.zvit.dim_documents" in built  # the ledger changed too
    assert "model.zvit.fct_anticorruption_measures" not in built
    assert "model.zvit.fct_plan_measures" not in built
    tested = [r for r in results if r["unique_id"].startswith("test.")]
    assert any("service" in r["unique_id"] for r in tested)
    assert all(r["status"] == "pass" for r in tested)

    # The marts not rebuilt are published whole and unchanged beside the new ones.
    assert query_marts(data_dir, anticorruption) == before
    assert summary["marts"]["marts.fct_plan_measures"] == 64
    assert summary["marts"]["marts.fct_service_stages"] > 0
    (docs,) = query_marts(data_dir, "select count(*) from marts.dim_documents")
    assert docs == (3,)


def test_a_changed_dbt_project_is_built_with_the_new_rows(
    loaded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model added since the last build is built even though no new row feeds it."""
    _, data_dir = loaded
    project = tmp_path / "dbt_project"
    shutil.copytree(
        PROJECT_DIR / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs")
    )
    (project / "models/marts/zz_anticorruption_count.sql").write_text(
        "select count(*) as measures from {{ ref('fct_anticorruption_measures') }}\n"
    )
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURES / "service_card/variants/service_card_residence_permit.docx", inbox)
    monkeypatch.setenv("ZVIT_DBT_PROJECT_DIR", str(project))
    summary = nightly(inbox=str(inbox), keep_inbox=True)
    assert summary["dbt_success"] is True
    target, _ = dbt_runner.target_dirs(data_dir)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    built = {r["unique_id"] for r in results}
    assert "model.zvit.zz_anticorruption_count" in built
    assert "model.zvit.fct_anticorruption_measures" not in built
    assert query_marts(data_dir, "select measures from marts.zz_anticorruption_count") == [(42,)]


def test_unit_tests_run_again_only_when_the_project_changed(loaded, tmp_path: Path) -> None:
    """Unit tests check model code against fixed inputs: a selective build of an unchanged
    project leaves them out (they passed on this very code), a changed project runs them. An
    unchanged project's manifest is not written again (the kept one holds), its run results
    are; a changed project's manifest is written and kept for the next state comparison."""
    from zvit.pipeline import dbt_vars

    _, data_dir = loaded
    target, _ = dbt_runner.target_dirs(data_dir)
    select = dbt_runner.downstream_of({"plan_execution"})
    manifest, run_results = target / "manifest.json", target / "run_results.json"
    written: list[bool] = []

    def kinds(project: Path) -> set[str]:
        before = manifest.stat().st_mtime_ns, run_results.stat().st_mtime_ns
        result = dbt_runner.build(project, project, data_dir, dbt_vars(), select=select)
        assert result.success, result.failures
        assert run_results.stat().st_mtime_ns != before[1]
        written.append(manifest.stat().st_mtime_ns != before[0])
        results = json.loads(run_results.read_text(encoding="utf-8"))
        return {r["unique_id"].split(".")[0] for r in results["results"]}

    assert kinds(PROJECT_DIR / "dbt_project") >= {"model", "test"}
    assert "unit_test" not in kinds(PROJECT_DIR / "dbt_project")
    project = tmp_path / "dbt_project"
    shutil.copytree(
        PROJECT_DIR / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs")
    )
    model = project / "models/marts/plan_execution/plan_execution_by_section.sql"
    model.write_text(model.read_text(encoding="utf-8") + "\n-- reworded\n", encoding="utf-8")
    assert "unit_test" in kinds(project)  # changed since the last good build
    assert "unit_test" not in kinds(project)  # and unchanged since this one
    # (the first build may follow another test's project: only the later ones are known)
    assert written[1:] == [False, True, False]
    kept = (data_dir / "dbt" / "state" / "manifest.json").read_text(encoding="utf-8")
    assert "-- reworded" in kept  # the changed project's manifest is the one compared against
    assert dbt_runner.project_fingerprint(project) != dbt_runner.project_fingerprint(
        PROJECT_DIR / "dbt_project"
    )


def test_a_prepared_dbt_process_builds_as_the_run_would(loaded) -> None:
    """The process the run starts early parses the project, then builds the selection it is
    handed, from that parse; it leaves no parse folder behind."""
    from zvit.pipeline import dbt_vars

    _, data_dir = loaded
    project = PROJECT_DIR / "dbt_project"
    args = (project, project, data_dir, dbt_vars())
    process = DbtProcess(*args)
    assert process.matches(*args)
    assert not process.matches(project, project, data_dir, {**dbt_vars(), "labels_uk": {}})
    result = process.build(dbt_runner.downstream_of({"plan_execution"}))
    assert result.success, result.failures
    assert result.row_counts["marts.fct_plan_measures"] == 64
    target, logs = dbt_runner.target_dirs(data_dir)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    built = {r["unique_id"] for r in results}
    assert "model.zvit.fct_plan_measures" in built
    assert "model.zvit.fct_anticorruption_measures" not in built
    assert "Unable to do partial parsing" not in (logs / "dbt.log").read_text(encoding="utf-8")
    process._process.join(60)
    assert process._process.exitcode == 0
    assert not list(target.parent.glob(f"{dbt_runner.WARM_PREFIX}*"))


def test_an_unused_dbt_process_exits_and_clears_its_parse(loaded) -> None:
    from zvit.pipeline import dbt_vars

    _, data_dir = loaded
    project = PROJECT_DIR / "dbt_project"
    process = DbtProcess(project, project, data_dir, dbt_vars())
    process.close()  # the run needed no build
    process._process.join(120)
    assert process._process.exitcode == 0
    target, _ = dbt_runner.target_dirs(data_dir)
    assert not list(target.parent.glob(f"{dbt_runner.WARM_PREFIX}*"))


def test_a_dbt_process_that_died_fails_the_build_with_its_exit_code(loaded) -> None:
    from zvit.pipeline import dbt_vars

    _, data_dir = loaded
    project = PROJECT_DIR / "dbt_project"
    process = DbtProcess(project, project, data_dir, dbt_vars())
    process._process.kill()
    process._process.join(30)
    result = process.build(["model.zvit.dim_units"])
    assert not result.success
    assert result.failures == ("dbt: its process ended (exit code -9)",)


def test_changed_vocabularies_build_everything(loaded) -> None:
    """dbt's state comparison cannot see `--vars`: a vocabulary change makes a selected build a
    full one, and the next build with the same vars is selective again."""
    from zvit.pipeline import dbt_vars

    _, data_dir = loaded
    project = PROJECT_DIR / "dbt_project"
    target, _ = dbt_runner.target_dirs(data_dir)

    def built(vocabularies: dict) -> set[str]:
        select = dbt_runner.downstream_of({"service_card"})
        result = dbt_runner.build(project, project, data_dir, vocabularies, select=select)
        assert result.success, result.failures
        results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
        return {r["unique_id"] for r in results["results"]}

    changed = {**dbt_vars(), "labels_uk": {**dbt_vars()["labels_uk"], "zz": "нова мітка"}}
    assert "model.zvit.fct_anticorruption_measures" in built(changed)
    assert "model.zvit.fct_anticorruption_measures" not in built(changed)
    assert "model.zvit.fct_anticorruption_measures" in built(dbt_vars())
