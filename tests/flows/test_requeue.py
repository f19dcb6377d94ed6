"""`zvit requeue`: a quarantined document goes back into the inbox and is read again by the next
run, even at the same extractor version; real nightly runs over a real DuckDB ledger.

The document is the reworded plan whose measure column no header or cell names
(tools/reworded.py): it is quarantined as `missing_column` with a reason a data owner can act on
and no document text, and the ledger holds no title.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly
from tests.support.truth import FIXTURES
from warehouse import ledger
from zvit import cli
from zvit.settings import Settings

UNREADABLE = FIXTURES.parent / "reworded" / "plan_2021_unknown_measure.docx"


def _ledger(data_dir: Path, sha: str) -> dict:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        columns = [r[0] for r in con.execute("describe raw.documents").fetchall()]
        row = con.execute("select * from raw.documents where sha256 = ?", [sha]).fetchone()
    finally:
        con.close()
    return dict(zip(columns, row, strict=True))


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    inbox, data_dir = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    monkeypatch.setenv("ZVIT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ZVIT_INBOX", str(inbox))
    monkeypatch.setenv("ZVIT_MIN_FILE_AGE_S", "0")
    return inbox, data_dir


def test_requeue_puts_a_quarantined_document_back_for_the_next_run(env, capsys) -> None:
    inbox, data_dir = env
    shutil.copy(UNREADABLE, inbox)
    first = nightly()
    (outcome,) = first["outcomes"]
    assert (outcome["state"], outcome["reason_code"]) == ("quarantined", "missing_column")
    reason = outcome["reason"]
    assert "column 'measure' (Зміст заходу) not found" in reason
    assert "What to do:" in reason and "Що робити:" in reason
    truth = json.loads(UNREADABLE.with_suffix(".json").read_text(encoding="utf-8"))
    assert not any(line[:30] in reason for line in truth["data"]["title_lines"])
    sha = outcome["sha256"]
    entry = _ledger(data_dir, sha)
    assert "title" not in entry and entry["requeued_at"] is None
    assert list(inbox.iterdir()) == []

    # The same bytes again, not requeued: current, not read.
    shutil.copy(UNREADABLE, inbox)
    again = nightly()
    assert again["outcomes"] == [] and len(again["current"]) == 1

    # Requeued by its sha256: back in the inbox under its own name, the ledger marked.
    assert cli.main(["requeue", sha[:10]]) == 0
    out = capsys.readouterr().out
    assert f"requeued {UNREADABLE.name} (sha256 {sha[:12]})" in out
    assert "reads it again" in out
    assert [p.name for p in inbox.iterdir()] == [UNREADABLE.name]
    assert not list(Settings.from_env().quarantine_dir.glob("*.reason.json"))
    assert _ledger(data_dir, sha)["requeued_at"] is not None

    # The next run reads it although the extractor version is the same.
    third = nightly()
    (outcome,) = third["outcomes"]
    assert (outcome["state"], outcome["reason_code"]) == ("quarantined", "missing_column")
    entry = _ledger(data_dir, sha)
    assert entry["requeued_at"] is None and entry["state"] == "quarantined"
    notes = list(Settings.from_env().quarantine_dir.glob("*.reason.json"))
    assert json.loads(notes[0].read_text())["reason_code"] == "missing_column"


def test_requeue_by_quarantined_file_name_and_refusals(env, capsys) -> None:
    inbox, _ = env
    shutil.copy(UNREADABLE, inbox)
    nightly()
    (quarantined,) = [
        p for p in Settings.from_env().quarantine_dir.iterdir() if p.suffix == ".docx"
    ]
    assert cli.main(["requeue", str(quarantined)]) == 0
    assert [p.name for p in inbox.iterdir()] == [UNREADABLE.name]
    assert cli.main(["requeue", "0123456789abcdef"]) == 1
    assert "no quarantined document answers to" in capsys.readouterr().out


def test_a_loaded_document_is_not_requeued(env, capsys) -> None:
    inbox, data_dir = env
    plan = FIXTURES / "plan_execution/reworded/plan_2021_wording_c.docx"
    shutil.copy(plan, inbox)
    summary = nightly()
    (outcome,) = summary["outcomes"]
    assert outcome["state"] == "loaded"
    # Headers no vocabulary knows, recognised by their cells: said in the run's warnings.
    assert sum("recognised by its cells" in w for w in outcome["warnings"]) == 3
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        (title,) = con.execute(
            "select title from raw.document_titles where source_sha256 = ?", [outcome["sha256"]]
        ).fetchone()
    finally:
        con.close()
    assert title and "Плану роботи" in title  # analysts keep the title, outside the ledger
    assert "title" not in ledger.COLUMNS
    assert cli.main(["requeue", outcome["sha256"]]) == 1
    assert "is loaded, not quarantined" in capsys.readouterr().out
