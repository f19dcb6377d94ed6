"""Faults: a nightly run SIGKILLed at its worst moments, three runs at once, an analyst session
held open across a publish, a failing dbt model. After each, the marts equal those of a clean run
(no row lost or doubled) and no reader ever sees a half-built file.

Runs are real `zvit run` processes against a real Prefect server; kills are real SIGKILLs at
named failpoints (warehouse/faults.py), not exceptions.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from tests.reliability.conftest import GOOD, fill_inbox, snapshot, zvit_run
from tests.reliability.figures import figure
from warehouse.faults import POINTS
from zvit.settings import PROJECT_DIR


@pytest.mark.parametrize("point", POINTS)
def test_a_run_killed_at_a_failpoint_is_repaired_by_the_next(
    point: str, prefect_api: str, clean_marts: dict, tmp_path: Path
) -> None:
    inbox, data_dir = fill_inbox(tmp_path / "inbox"), tmp_path / "data"
    killed = zvit_run(prefect_api, inbox, data_dir, env={"ZVIT_FAILPOINT": point})
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr

    # Right after the kill: nothing half-published, and the run's traces tell the next run what
    # to repair: files still claimed in processing/, or the stale-marts marker.
    claimed = [p for p in (data_dir / "processing").rglob("*") if p.suffix in (".pdf", ".docx")]
    if point == "before_publish_rename":
        assert (data_dir / "marts.stale").exists()
    else:
        assert claimed, "the killed run's claim is gone"
    assert not (data_dir / "marts.duckdb").exists()
    if point == "load_mid_transaction":
        con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
        try:  # the uncommitted document is not there, nor its ledger line
            assert con.execute("select count(*) from raw.documents").fetchone() == (0,)
            assert con.execute("select count(*) from raw.document_rows").fetchone() == (0,)
        finally:
            con.close()

    rerun = zvit_run(prefect_api, inbox, data_dir)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    if claimed:
        assert "taken back from a run that died" in rerun.stdout
    assert snapshot(data_dir / "marts.duckdb") == clean_marts
    assert list(inbox.iterdir()) == []
    assert list((data_dir / "processing").iterdir()) == []
    assert sorted(p.name for p in (data_dir / "processed").iterdir()) == sorted(
        g.name for g in GOOD
    )
    assert not list(data_dir.glob(".marts.duckdb.*")), "a killed publish left its temporary file"


def test_three_overlapping_runs_queue_and_load_each_document_once(
    prefect_api: str, clean_marts: dict, tmp_path: Path
) -> None:
    inbox, data_dir = fill_inbox(tmp_path / "inbox"), tmp_path / "data"
    started = time.monotonic()
    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(lambda _: zvit_run(prefect_api, inbox, data_dir), range(3)))
    figure("three overlapping runs: wall time (s)", round(time.monotonic() - started, 1))
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    logs = [json.loads(p.read_text()) for p in (data_dir / "logs").glob("run-*.json")]
    loaded = [o["file_name"] for log in logs for o in log["outcomes"] if o["state"] == "loaded"]
    assert sorted(loaded) == sorted(g.name for g in GOOD)  # each taken by exactly one run
    assert snapshot(data_dir / "marts.duckdb") == clean_marts


ANALYST = """
import sys, duckdb
from warehouse.publish import open_marts
con = open_marts(sys.argv[1])
count = "select count(*) from marts.fct_plan_measures"
print(con.execute(count).fetchone()[0], flush=True)
sys.stdin.readline()  # the test publishes new marts meanwhile
print(con.execute(count).fetchone()[0], flush=True)
"""


def test_an_open_analyst_session_keeps_its_snapshot_across_a_publish(
    prefect_api: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    first = fill_inbox(tmp_path / "inbox1", (GOOD[0],))
    assert zvit_run(prefect_api, first, data_dir).returncode == 0
    analyst = subprocess.Popen(
        [sys.executable, "-c", ANALYST, str(data_dir / "marts.duckdb")],
        cwd=PROJECT_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        before = int(analyst.stdout.readline())
        # A second document arrives while the analyst's session stays open: the writer is not
        # blocked by it and publishes a new file.
        plan_pdf = PROJECT_DIR / "tests/fixtures/documents/plan_execution/plan_2021.pdf"
        second = fill_inbox(tmp_path / "inbox2", (plan_pdf,))
        run = zvit_run(prefect_api, second, data_dir)
        assert run.returncode == 0, run.stdout + run.stderr
        analyst.stdin.write("\n")
        analyst.stdin.flush()
        still = int(analyst.stdout.readline())
    finally:
        analyst.kill()
        analyst.wait()
    assert still == before  # the open session reads its old snapshot, whole
    new = duckdb.connect(str(data_dir / "marts.duckdb"), read_only=True)
    try:
        (after,) = new.execute("select count(*) from marts.fct_plan_measures").fetchone()
    finally:
        new.close()
    assert after == before + 64  # a new session sees the new file


def test_a_failing_dbt_model_leaves_the_published_marts_as_they_were(
    prefect_api: str, clean_marts: dict, tmp_path: Path
) -> None:
    inbox, data_dir = fill_inbox(tmp_path / "inbox"), tmp_path / "data"
    assert zvit_run(prefect_api, inbox, data_dir).returncode == 0
    published = (data_dir / "marts.duckdb").stat()

    broken = tmp_path / "dbt_project"
    shutil.copytree(
        PROJECT_DIR / "dbt_project", broken, ignore=shutil.ignore_patterns("target", "logs")
    )
    (broken / "models/marts/fct_broken.sql").write_text(
        "select error('this model always fails') as x from {{ ref('dim_documents') }}\n"
    )
    new_doc = PROJECT_DIR / "tests/fixtures/documents/plan_execution/plan_2021.pdf"
    fill_inbox(inbox, (new_doc,))
    failed = zvit_run(prefect_api, inbox, data_dir, env={"ZVIT_DBT_PROJECT_DIR": str(broken)})
    assert failed.returncode == 1
    assert "dbt build failed" in failed.stdout and "published marts unchanged" in failed.stdout
    after = (data_dir / "marts.duckdb").stat()
    assert (after.st_ino, after.st_mtime_ns) == (published.st_ino, published.st_mtime_ns)
    assert snapshot(data_dir / "marts.duckdb") == clean_marts
    assert (data_dir / "marts.stale").exists()  # the next run must build and publish

    # Fixed: the next run has nothing new to read, builds anyway and publishes the new document.
    fixed = zvit_run(prefect_api, inbox, data_dir)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    marts = snapshot(data_dir / "marts.duckdb")
    assert len(marts["fct_plan_measures"]) == len(clean_marts["fct_plan_measures"]) + 64
    assert not (data_dir / "marts.stale").exists()
