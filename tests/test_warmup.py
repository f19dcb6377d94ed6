"""The warm-up (`zvit.warmup`) hands the load step a GX validator with GX imported (its shared
file context still untouched), once, and only for the folder it was started for; the `zvit`
command's quick exit keeps its output and exit code."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from warehouse import dbt as dbt_runner
from zvit import warmup
from zvit.settings import PROJECT_DIR


def test_the_validator_comes_warmed_once(tmp_path: Path) -> None:
    docs = tmp_path / "validation"
    warmup.start(docs)
    warmup.start(docs)  # a second start (the flow after the CLI) reuses the first
    warmed = warmup.validator(docs)
    assert "great_expectations" in sys.modules  # GX imported
    # the shared file context is left alone: only the run holding the warehouse writes it
    assert "_definitions" not in warmed.__dict__
    assert not (docs / "gx").exists()
    assert dbt_runner._runner is not None  # and dbt's runner was created
    again = warmup.validator(docs)  # handed out once: the next run gets its own
    assert again is not warmed
    assert "_definitions" not in again.__dict__


def test_a_warm_up_for_another_folder_is_not_used(tmp_path: Path) -> None:
    warmup.start(tmp_path / "a")
    other = warmup.validator(tmp_path / "b")
    assert other.docs_dir == tmp_path / "b"
    assert "_definitions" not in other.__dict__


def test_imports_run_without_the_collector_and_end_out_of_its_reach() -> None:
    assert gc.isenabled()
    with warmup.frozen_imports():
        assert not gc.isenabled()
        built = [[i] for i in range(5000)]  # what an import leaves behind
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(built)
    oldest = {id(o) for o in gc.get_objects(2)}  # what a full collection walks
    assert not any(id(b) in oldest for b in built)


def _zvit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zvit.cli", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        env={"PATH": "/usr/bin:/bin", "ZVIT_DATA_DIR": str(cwd), "HOME": str(cwd)},
        timeout=120,
    )


def test_the_command_exits_with_its_code_and_whole_output(tmp_path: Path) -> None:
    missing = _zvit("run", "--inbox", str(tmp_path / "nope"), cwd=tmp_path)
    assert missing.returncode == 2
    assert "is not a folder" in missing.stdout
    config = _zvit("config", cwd=tmp_path)
    assert config.returncode == 0
    assert "ZVIT_DATA_DIR" in config.stdout
    assert "ZVIT_WORKERS" in config.stdout  # the table is printed to its end
