"""Flow-test helpers: one real nightly run over given files, and read-only queries of its marts."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly


def query_marts(data_dir: Path, sql: str) -> list[tuple]:
    """Rows of `sql` on the published marts file, opened read-only as an analyst would."""
    con = duckdb.connect(str(data_dir / "marts.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def run_nightly(root: Path, files: Iterable[Path], *, keep_inbox: bool) -> tuple[Path, Path, dict]:
    """Copy `files` into `root/inbox` and run the nightly flow into `root/data`.

    Returns (inbox, data dir, run summary)."""
    inbox, data_dir = root / "inbox", root / "data"
    inbox.mkdir()
    for path in files:
        shutil.copy(path, inbox)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ZVIT_DATA_DIR", str(data_dir))
        summary = nightly(inbox=str(inbox), keep_inbox=keep_inbox)
    return inbox, data_dir, summary
