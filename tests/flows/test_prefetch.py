"""`zvit.prefetch`: `zvit run` reads new documents before the flow starts; the flow takes a read
only for the same bytes, never reads a current document early, and shares the worker slots."""

from __future__ import annotations

import shutil
from concurrent.futures import Future
from pathlib import Path

import pytest

from reader.sniff import sha256_file
from tests.support.flows import run_nightly
from zvit import prefetch
from zvit.settings import PROJECT_DIR, Settings
from zvit.workers import run_isolated

FIXTURES = PROJECT_DIR / "tests/fixtures/documents"
PLAN = FIXTURES / "plan_execution/plan_2021.pdf"
CARD = FIXTURES / "service_card/service_card_immigration.pdf"


def _settings(data_dir: Path) -> Settings:
    return Settings.from_env().model_copy(
        update={"data_dir": data_dir, "min_file_age_s": 0, "workers": 2}
    )


def _wait(shas: list[str]) -> dict[str, prefetch.Read | None]:
    return {sha: prefetch.take(sha) for sha in shas}


def test_a_prefetched_read_is_the_read_the_flow_would_make(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in (PLAN, CARD):
        shutil.copy(path, inbox)
    settings = _settings(tmp_path / "data")
    prefetch.start(inbox, settings)
    shas = [sha256_file(inbox / p.name) for p in (PLAN, CARD)]
    reads = _wait(shas)  # take() waits for a read under way
    for path, sha in zip((PLAN, CARD), shas, strict=True):
        read = reads[sha]
        assert read is not None
        result, code, stats = read
        direct, direct_code, _ = run_isolated(inbox / path.name, settings.limits)
        assert code is None and direct_code is None and stats.workers == 1
        assert result.document == direct.document
        assert result.frames.keys() == direct.frames.keys()
        for name, frame in result.frames.items():
            assert frame.equals(direct.frames[name]), name
    assert prefetch.take(shas[0]) is None  # handed out once
    prefetch.wait_unused()
    assert not list(settings.data_dir.glob(".prefetch-*"))  # the snapshots are gone


def test_a_read_survives_the_claim_moving_its_file(tmp_path: Path) -> None:
    """The flow claims a file by moving it; the read runs on a snapshot of the bytes."""
    inbox, claimed = tmp_path / "inbox", tmp_path / "claimed"
    inbox.mkdir()
    claimed.mkdir()
    shutil.copy(PLAN, inbox)
    snapshot = prefetch._snapshot(inbox / PLAN.name, tmp_path / "snap" / "0")
    assert snapshot is not None and snapshot.name == PLAN.name
    (inbox / PLAN.name).rename(claimed / PLAN.name)
    assert sha256_file(snapshot) == sha256_file(claimed / PLAN.name)
    assert prefetch._snapshot(inbox / PLAN.name, tmp_path / "snap" / "1") is None  # gone


def test_a_read_of_other_bytes_is_not_used(tmp_path: Path) -> None:
    """The worker hashes what it read: bytes that changed (or a file moved away) under the read
    give another hash than the claimed file's, and the flow reads the file again."""
    read = run_isolated(PLAN, _settings(tmp_path / "data").limits)
    assert read[0] is not None and read[0].document.sha256 == sha256_file(PLAN)
    claimed = "0" * 64  # what the flow hashed when it claimed the file
    future: Future[prefetch.Read] = Future()
    future.set_result(read)
    prefetch._reads[claimed] = future
    assert prefetch.take(claimed) is None
    assert claimed not in prefetch._reads


def test_current_documents_are_not_read_early(tmp_path: Path) -> None:
    inbox, data_dir, summary = run_nightly(tmp_path, [CARD], keep_inbox=True)
    assert [o["state"] for o in summary["outcomes"]] == ["loaded"]
    settings = _settings(data_dir)
    assert prefetch._new_files(inbox, settings) == []  # current in the ledger
    shutil.copy(PLAN, inbox)
    assert [p.name for p, _ in prefetch._new_files(inbox, settings)] == [PLAN.name]


def test_the_flow_and_prefetch_share_one_set_of_slots() -> None:
    assert prefetch.slots(3) is prefetch.slots(3)
    assert prefetch.slots(3) is not prefetch.slots(2)


@pytest.fixture(autouse=True)
def _no_leftover_reads():
    yield
    prefetch.wait_unused()
