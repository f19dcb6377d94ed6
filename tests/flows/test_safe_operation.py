"""Operating zvit as an operator does: one real `zvit run` from a shell-like subprocess, its output
to a pipe (not a terminal), with its own temporary Prefect server, offline; then the read
commands while another process holds the warehouse read-write."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from zvit.settings import PROJECT_DIR
from zvit.validation import Validator

LONG_NAME = "service_card_residence_permit_with_a_rather_long_file_name_for_the_summary_2026.docx"
GOOD = PROJECT_DIR / "samples/service_card_residence_permit.docx"
BAD = PROJECT_DIR / "tests/fixtures/reworded/plan_2021_duplicate_number.docx"
"""Fails validation (an item number read twice): quarantined as `validation_failed`."""


@dataclass(frozen=True)
class Run:
    proc: subprocess.CompletedProcess[str]
    data_dir: Path
    inbox: Path
    env: dict[str, str]


def _zvit(
    env: dict[str, str], cwd: Path, *args: str, timeout: float = 600
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zvit.cli", *args],
        env=env,
        cwd=cwd,
        capture_output=True,  # stdout is a pipe, not a terminal, as under cron or in a log
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """`zvit run` with no --inbox: ZVIT_INBOX says where; no PREFECT_API_URL, so it starts its
    own temporary server (fresh PREFECT_HOME), started outside the checkout (no prefect.toml)."""
    root = tmp_path_factory.mktemp("operator")
    inbox, data_dir = root / "arrivals", root / "data"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / LONG_NAME)
    shutil.copy(BAD, inbox / BAD.name)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "ZVIT_"))},
        "PREFECT_HOME": str(root / "prefect_home"),
        "ZVIT_DATA_DIR": str(data_dir),
        "ZVIT_INBOX": str(inbox),
        "ZVIT_MIN_FILE_AGE_S": "0",
    }
    proc = _zvit(env, root, "run")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return Run(proc, data_dir, inbox, env)


def test_run_reads_zvit_inbox(run: Run) -> None:
    assert not any(run.inbox.iterdir())  # both taken from ZVIT_INBOX and moved out
    assert (run.data_dir / "processed" / LONG_NAME).exists()
    assert any(p.name.endswith(BAD.name) for p in (run.data_dir / "quarantine").iterdir())


def test_summary_off_a_terminal_keeps_whole_names(run: Run) -> None:
    assert LONG_NAME in run.proc.stdout
    assert "…" not in run.proc.stdout


def test_progress_names_the_documents(run: Run) -> None:
    progress = re.findall(r"extracted (\d)/2: (\S+)", run.proc.stderr)
    assert sorted(name for _, name in progress) == sorted([BAD.name, LONG_NAME])


def test_no_telemetry_errors_offline(run: Run) -> None:
    log = run.proc.stdout + run.proc.stderr
    errors = [line for line in log.splitlines() if "ERROR" in line or "Traceback" in line]
    telemetry = [e for e in errors if re.search(r"telemetry|analytics|usage.stats", e, re.I)]
    assert telemetry == []
    assert errors == []


def test_validation_results_are_kept_as_data_docs(run: Run) -> None:
    index = Validator.docs_index(run.data_dir / "validation")
    html = index.read_text(encoding="utf-8")
    for suite in ("plan_execution", "service_card", "document_references"):
        assert f"validations/{suite}/" in html
    pages = list(index.parent.glob(f"validations/plan_execution/*-{BAD.name}/*/*.html"))
    assert len(pages) == 1, "the quarantined document's result is viewable"
    page = " ".join(re.sub(r"<[^>]+>", " ", pages[0].read_text(encoding="utf-8")).split())
    assert "Failed" in page
    assert "values must be unique. 2 unexpected values found" in page


@pytest.fixture
def held_warehouse(run: Run) -> Iterator[Path]:
    """Another process holding the warehouse read-write, as a run loading or building does."""
    path = run.data_dir / "warehouse.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, duckdb; con = duckdb.connect(sys.argv[1]); "
            "print('held', flush=True); time.sleep(300)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(duckdb.IOException):  # it really is held: no reader gets in
            duckdb.connect(str(path), read_only=True)
        yield path
    finally:
        holder.kill()
        holder.wait()


def test_read_commands_answer_while_a_run_holds_the_warehouse(
    run: Run, held_warehouse: Path
) -> None:
    cwd = run.data_dir.parent
    ledger = _zvit(run.env, cwd, "ledger", timeout=120)
    assert ledger.returncode == 0, ledger.stdout + ledger.stderr
    assert LONG_NAME in ledger.stdout and BAD.name in ledger.stdout
    quarantine = _zvit(run.env, cwd, "quarantine", timeout=120)
    assert quarantine.returncode == 0, quarantine.stdout + quarantine.stderr
    assert BAD.name in quarantine.stdout and LONG_NAME not in quarantine.stdout
    assert "validation_failed" in quarantine.stdout
    marts = _zvit(run.env, cwd, "marts", timeout=120)
    assert marts.returncode == 0, marts.stdout + marts.stderr
    assert "marts.fct_service_stages" in marts.stdout
    for proc in (ledger, quarantine, marts):
        assert "Traceback" not in proc.stdout + proc.stderr


def test_without_a_published_ledger_a_held_warehouse_is_a_sentence(
    run: Run, held_warehouse: Path, tmp_path: Path
) -> None:
    """A data dir from before the published ledger existed: no traceback, a sentence."""
    moved = tmp_path / "ledger.duckdb"
    shutil.move(run.data_dir / "ledger.duckdb", moved)
    try:
        proc = _zvit(run.env, run.data_dir.parent, "ledger", timeout=120)
    finally:
        shutil.move(moved, run.data_dir / "ledger.duckdb")
    assert proc.returncode == 1
    assert "a run holds the warehouse" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
