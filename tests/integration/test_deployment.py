"""Deploy from prefect.yaml to a real Prefect server on loopback; run it with a process worker."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from zvit.settings import PROJECT_DIR

pytestmark = pytest.mark.integration
PREFECT = str(Path(sys.executable).with_name("prefect"))
FIXTURE = PROJECT_DIR / "tests/fixtures/documents/plan_execution/plan_2021.pdf"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"prefect server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"prefect server at {url} not healthy after {timeout_s} s")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_nightly_deployment_runs_on_a_process_worker(tmp_path: Path) -> None:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    data_dir, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(FIXTURE, inbox / FIXTURE.name)
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect_home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "ZVIT_DATA_DIR": str(data_dir),
        "ZVIT_INBOX": str(inbox),
    }
    logs = tmp_path / "logs"
    logs.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PREFECT, *args],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )

    server = subprocess.Popen(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=(logs / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    worker = None
    try:
        _wait_healthy(api, server)
        run("work-pool", "create", "zvit-process", "--type", "process")
        deployed = run("--no-prompt", "deploy", "--all")
        assert "nightly" in deployed.stdout

        inspected = json.loads(
            run("deployment", "inspect", "zvit-nightly/nightly", "-o", "json").stdout
        )
        schedule = inspected["schedules"][0]["schedule"]
        assert schedule["cron"] == "30 2 * * *"
        assert schedule["timezone"] == "Europe/Kyiv"
        assert inspected["description"].startswith("Nightly load")
        samples = json.loads(
            run("deployment", "inspect", "zvit-nightly/samples", "-o", "json").stdout
        )
        # The samples never share the nightly data dir (the worker's ZVIT_DATA_DIR).
        assert samples["job_variables"]["env"]["ZVIT_DATA_DIR"] == "data-samples"

        worker = subprocess.Popen(
            [PREFECT, "worker", "start", "--pool", "zvit-process", "--type", "process"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=(logs / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        started = run(
            "deployment", "run", "zvit-nightly/nightly", "--watch", "--watch-timeout", "600"
        )
        assert "Completed" in started.stdout + started.stderr, started.stdout + started.stderr
    finally:
        if worker is not None:
            _stop(worker)
        _stop(server)

    con = duckdb.connect(str(data_dir / "marts.duckdb"), read_only=True)
    try:
        (measures,) = con.execute("select count(*) from marts.fct_plan_measures").fetchone()
    finally:
        con.close()
    assert measures == 64
    # The nightly deployment moves what it loaded out of the inbox.
    assert not any(inbox.iterdir())
    assert (data_dir / "processed" / FIXTURE.name).exists()
