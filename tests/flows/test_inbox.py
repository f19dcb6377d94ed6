"""The two kinds of inbox, through the methods the pipeline calls: read in place (the bundled
samples: nothing moves, quarantine is a copy) and claimed (files go through processing/<run id>/
to processed/ or quarantine/, and a dead run's claim is put back)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from zvit.inbox import ClaimedInbox, Inbox, open_inbox
from zvit.settings import Settings

REASON = {"reason_code": "truncated"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(tmp_path / "data")
    settings.ensure_dirs()
    return settings


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (folder / name).write_bytes(name.encode())
    os.symlink("/etc/passwd", folder / "link.pdf")
    return folder


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_keep_chooses_the_kind(inbox: Path, settings: Settings) -> None:
    assert type(open_inbox(inbox, settings, "run", keep=True)) is Inbox
    with open_inbox(inbox, settings, "run", keep=False) as claimed:
        assert isinstance(claimed, ClaimedInbox)


def test_read_in_place_moves_nothing_and_copies_into_quarantine(
    inbox: Path, settings: Settings
) -> None:
    with Inbox(inbox, settings) as files:
        assert files.recover() == []
        taken = [files.take(p) for p in files.scan(0).ready]
        assert taken == [inbox / "a.pdf", inbox / "b.pdf", inbox / "c.pdf"]
        files.archive(inbox / "a.pdf", "a.pdf")
        copy = files.quarantine(inbox / "b.pdf", "x-b.pdf", REASON)
        assert files.quarantine(inbox / "link.pdf", "link.pdf", REASON) is None  # never followed
    assert names(inbox) == ["a.pdf", "b.pdf", "c.pdf", "link.pdf"]
    assert copy == settings.quarantine_dir / "x-b.pdf" and copy.read_bytes() == b"b.pdf"
    assert json.loads(Path(f"{copy}.reason.json").read_text())["reason_code"] == "truncated"
    assert names(settings.quarantine_dir) == ["x-b.pdf", "x-b.pdf.reason.json"]
    assert names(settings.processed_dir) == []


def test_claimed_files_move_through_the_run_folder(inbox: Path, settings: Settings) -> None:
    with ClaimedInbox(inbox, settings, "run-1") as files:
        a, b, c = (files.take(inbox / n) for n in ("a.pdf", "b.pdf", "c.pdf"))
        assert names(settings.processing_dir / "run-1") == [".owner", "a.pdf", "b.pdf", "c.pdf"]
        assert files.take(inbox / "a.pdf") is None  # already taken
        files.archive(a, "a.pdf")
        files.quarantine(b, "x-b.pdf", REASON)
        files.quarantine(inbox / "link.pdf", "link.pdf", REASON)  # the link itself moves
        files.give_back(c)  # it changed while we hashed it
    assert names(inbox) == ["c.pdf"]
    assert names(settings.processed_dir) == ["a.pdf"]
    assert names(settings.quarantine_dir) == [
        "link.pdf",
        "link.pdf.reason.json",
        "x-b.pdf",
        "x-b.pdf.reason.json",
    ]
    assert (settings.quarantine_dir / "link.pdf").is_symlink()
    assert names(settings.processing_dir) == []  # released: the empty claim folder is gone


def test_a_dead_runs_claim_is_put_back_by_the_next_run(inbox: Path, settings: Settings) -> None:
    dead = settings.processing_dir / "dead-run"
    dead.mkdir()
    (dead / ".owner").write_text("12345\n")  # nobody holds its lock
    os.rename(inbox / "a.pdf", dead / "a.pdf")
    alive = ClaimedInbox(inbox, settings, "alive")
    alive.take(inbox / "b.pdf")
    with ClaimedInbox(inbox, settings, "next") as files:
        assert files.recover() == ["a.pdf"]  # the living run's claim is left alone
    assert names(inbox) == ["a.pdf", "c.pdf", "link.pdf"]
    assert names(settings.processing_dir) == ["alive"]
    alive.release()
    assert names(settings.processing_dir) == ["alive"]  # it still holds b.pdf
