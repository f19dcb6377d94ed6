"""One typed settings object holds every `ZVIT_*` variable; the README table and `zvit config` show
them all; the capped extraction worker does not load pydantic."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from zvit.cli import main
from zvit.settings import PROJECT_DIR, Settings, env_name

VARIABLE = re.compile(r"\bZVIT_[A-Z0-9_]*[A-Z0-9]\b")
TEXT_SUFFIXES = {".py", ".yml", ".yaml", ".toml", ".sql", ".cfg", ".sh", ".json", ""}


def _variables_in_code() -> dict[str, set[str]]:
    """Every `ZVIT_*` name in the checkout's tracked files (the README is the documentation)."""
    files = subprocess.run(
        ["git", "ls-files"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    found: dict[str, set[str]] = {}
    for name in files:
        path = PROJECT_DIR / name
        if (
            path.suffix not in TEXT_SUFFIXES
            or name.startswith("tests/fixtures")
            or not path.exists()
        ):
            continue
        for var in VARIABLE.findall(path.read_text(encoding="utf-8", errors="replace")):
            found.setdefault(var, set()).add(name)
    return found


def _readme_table() -> set[str]:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| `(ZVIT_[A-Z0-9_]+)` \|", readme, flags=re.M))


def test_every_variable_in_the_code_is_a_setting_and_in_the_readme_table() -> None:
    in_code = _variables_in_code()
    settings = {env_name(f) for f in Settings.model_fields}
    assert {"ZVIT_DATA_DIR", "ZVIT_INBOX", "ZVIT_FAILPOINT"} <= set(in_code)
    missing = {v: sorted(files) for v, files in in_code.items() if v not in settings}
    assert not missing, f"ZVIT_* variables used but not in zvit.settings.Settings: {missing}"
    assert _readme_table() == settings, "the README configuration table must list every setting"


def test_settings_are_typed_and_say_where_they_came_from(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ZVIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ZVIT_WORKERS", "3")
    monkeypatch.delenv("ZVIT_INBOX", raising=False)
    settings = Settings()
    assert settings.workers == 3 and settings.source("workers") == "env"
    assert settings.source("document_timeout_s") == "default"
    assert settings.inbox_dir == tmp_path / "inbox"
    assert settings.with_workers(1).workers == 1


def test_an_invalid_setting_is_one_sentence(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ZVIT_WORKER_MEMORY_MB", "12")
    assert main(["config"]) == 2
    out = capsys.readouterr().out
    assert "ZVIT_WORKER_MEMORY_MB='12'" in out and "greater than or equal to 256" in out
    assert "Traceback" not in out


def test_config_prints_every_setting_with_value_and_source(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("ZVIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZVIT_INBOX", str(tmp_path / "arrivals"))
    monkeypatch.delenv("ZVIT_LOCK_TIMEOUT_S", raising=False)
    assert main(["config"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for field in Settings.model_fields:
        assert any(env_name(field) in line for line in lines), env_name(field)
    inbox = next(line for line in lines if "ZVIT_INBOX" in line)
    assert str(tmp_path / "arrivals") in inbox and "│ env" in inbox
    lock = next(line for line in lines if "ZVIT_LOCK_TIMEOUT_S" in line)
    assert "14400.0" in lock and "│ default" in lock


def test_run_help_shows_the_resolved_defaults(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("ZVIT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ZVIT_INBOX", raising=False)
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    out = "".join(capsys.readouterr().out.split())  # argparse wraps long paths at hyphens
    assert f"now{tmp_path}/inbox,default" in out
    assert "ZVIT_WORKERS" in out and "--samples" in out


def test_run_reads_zvit_inbox_never_the_samples(monkeypatch, tmp_path, capsys) -> None:
    monkeypatch.setenv("ZVIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ZVIT_INBOX", str(tmp_path / "arrivals"))
    samples = sorted(p.name for p in (PROJECT_DIR / "samples").iterdir())
    assert main(["run"]) == 2  # the configured inbox does not exist: said, nothing read
    out = " ".join(capsys.readouterr().out.split())
    assert str(tmp_path / "arrivals") in out and "--samples" in out
    assert sorted(p.name for p in (PROJECT_DIR / "samples").iterdir()) == samples


def test_the_capped_worker_loads_no_pydantic() -> None:
    """The extraction child caps its memory before importing anything heavy (`zvit.workers`)."""
    code = "import sys, zvit.workers; print(sorted(m for m in sys.modules if 'pydantic' in m))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_samples_deployment_writes_its_own_data_dir() -> None:
    deployments = {
        d["name"]: d
        for d in yaml.safe_load((PROJECT_DIR / "prefect.yaml").read_text())["deployments"]
    }
    env = deployments["samples"]["work_pool"]["job_variables"]["env"]
    assert env["ZVIT_DATA_DIR"] not in ("", "data", "./data")
    assert "ZVIT_DATA_DIR" not in (deployments["nightly"]["work_pool"].get("job_variables") or {})


def test_prefect_telemetry_is_off_in_the_project_config() -> None:
    prefect = str(Path(sys.executable).with_name("prefect"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    out = subprocess.run(
        [prefect, "config", "view", "--show-sources"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "PREFECT_SERVER_ANALYTICS_ENABLED='False' (from prefect.toml)" in out


def test_the_dbt_process_can_be_turned_off(monkeypatch, tmp_path: Path) -> None:
    from zvit.pipeline import dbt_args

    monkeypatch.setenv("ZVIT_DATA_DIR", str(tmp_path))
    args = dbt_args(Settings())
    assert args is not None and args[2] == tmp_path and "vocabularies" in args[3]
    monkeypatch.setenv("ZVIT_DBT_PROCESS", "0")
    assert dbt_args(Settings()) is None  # the build stays in the run's process
