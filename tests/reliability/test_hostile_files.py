"""Hostile files, all in one nightly run beside good documents: each one ends quarantined with
a readable reason, the run completes, the good documents load, and nothing escapes the data
folder. The files are generated here (tests/reliability/hostile.py), none is trusted fixture."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from flows.nightly import nightly
from tests.reliability import hostile
from tests.reliability.conftest import GOOD
from tests.reliability.figures import figure
from zvit.pipeline import Candidate, extract_isolated
from zvit.settings import PROJECT_DIR, Limits
from zvit.workers import run_isolated

EXPECTED = {
    "flate_bomb.pdf": "resource_limit",
    "zip_bomb.docx": "resource_limit",
    "many_members.docx": "resource_limit",
    "xxe.docx": "unsafe_xml",
    "billion_laughs.docx": "unsafe_xml",
    "circular_xobject.pdf": "no_text_layer",
    "encrypted.pdf": "encrypted",
    "truncated.pdf": "truncated",
    "zero.pdf": "empty",
    "report.pdf": "not_a_document",
    "image_only.pdf": "no_text_layer",
    "link_outside.pdf": "not_a_regular_file",
    "link_passwd.pdf": "not_a_regular_file",
    "pipe.pdf": "not_a_regular_file",
    "escape.pdf": "truncated",
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("hostile")
    inbox, data_dir, outside = root / "inbox", root / "data", root / "outside"
    inbox.mkdir()
    outside.mkdir()
    for maker in hostile.HOSTILE.values():
        maker(inbox)
    hostile.truncated(inbox, GOOD[1])
    for good in GOOD:
        shutil.copy(good, inbox / good.name)
    # The same bytes under a second name; a DOCX named .pdf (the extension lies, the bytes win).
    shutil.copy(GOOD[0], inbox / "copy of plan.docx")
    shutil.copy(PROJECT_DIR / "tests/fixtures/bad/docx_renamed.pdf", inbox / "docx_renamed.pdf")
    # A name that tries to climb out of every folder it is put into (`\\` is legal in a name).
    (inbox / "evil\\..\\..\\..\\escape.pdf").write_bytes(b"%PDF-1.4 nothing else")
    # Links and special files: never followed, never read.
    shutil.copy(GOOD[1], outside / "secret.pdf")
    os.symlink(outside / "secret.pdf", inbox / "link_outside.pdf")
    os.symlink("/etc/passwd", inbox / "link_passwd.pdf")
    os.mkfifo(inbox / "pipe.pdf")
    tried = len(list(inbox.iterdir()))

    mp = pytest.MonkeyPatch()
    mp.setenv("ZVIT_DATA_DIR", str(data_dir))
    mp.setenv("ZVIT_WORKER_MEMORY_MB", "1024")
    started = time.monotonic()
    summary = nightly(inbox=str(inbox), keep_inbox=False)
    seconds = time.monotonic() - started
    mp.undo()
    outcomes = {o["file_name"]: o for o in summary["outcomes"]}
    quarantined = [o for o in summary["outcomes"] if o["state"] == "quarantined"]
    peaks = [o["peak_mb"] for o in summary["outcomes"] if o["peak_mb"] is not None]
    figure("hostile run: files tried", tried)
    figure("hostile run: quarantined", len(quarantined))
    figure(
        "hostile run: worker crashes (not a reason code)",
        sum(o["reason_code"] == "extract_error" for o in quarantined),
    )
    figure("hostile run: peak worker memory (MB, workers that replied)", max(peaks))
    figure("hostile run: wall time (s)", round(seconds, 1))
    return root, inbox, data_dir, outside, summary, outcomes


@pytest.mark.parametrize(("name", "code"), sorted(EXPECTED.items()))
def test_each_hostile_file_is_quarantined_with_its_reason(hostile_run, name: str, code: str):
    *_, outcomes = hostile_run
    assert outcomes[name]["state"] == "quarantined"
    assert outcomes[name]["reason_code"] == code
    assert outcomes[name]["reason"]  # a sentence a person can act on


def test_the_run_completes_and_good_documents_load(hostile_run) -> None:
    _, inbox, data_dir, _, summary, outcomes = hostile_run
    assert summary["dbt_success"] is True
    assert outcomes[GOOD[1].name]["state"] == "loaded"
    # The same bytes twice: read once (under the first name), the other is a duplicate.
    assert outcomes["copy of plan.docx"]["state"] == "loaded"
    assert summary["duplicates"] == [GOOD[0].name]
    assert outcomes["docx_renamed.pdf"]["state"] == "loaded"
    assert summary["marts"]["marts.fct_anticorruption_measures"] == 42
    assert not any(o["reason_code"] == "extract_error" for o in summary["outcomes"])
    # Everything left the inbox; nothing is left claimed.
    assert list(inbox.iterdir()) == []
    assert list((data_dir / "processing").iterdir()) == []


def test_the_worker_memory_cap_held(hostile_run) -> None:
    *_, outcomes = hostile_run
    bomb = outcomes["flate_bomb.pdf"]
    # The worker either replied under the cap or was stopped by it; never the 2 GB it asks for.
    # The cap is on the data segment (1024 MB); resident memory also counts the shared libraries
    # (polars, pdfium, and OpenCV once a page without text is tried for OCR: ~100-250 MB).
    assert bomb["peak_mb"] is None or bomb["peak_mb"] < 1024 + 300


def test_names_and_links_never_escape_the_data_folder(hostile_run) -> None:
    root, _, data_dir, outside, _, outcomes = hostile_run
    assert (
        data_dir / "quarantine" / f"{outcomes['escape.pdf']['sha256'][:12]}-escape.pdf"
    ).exists()
    for p in root.rglob("*"):
        if p.is_symlink():
            # The links themselves were quarantined; their targets were never moved or read.
            assert p.parent == data_dir / "quarantine"
    assert (outside / "secret.pdf").exists()
    assert Path("/etc/passwd").exists()
    assert not list(root.parent.glob("escape.pdf"))
    assert all(p.resolve().is_relative_to(root) for p in data_dir.rglob("*") if not p.is_symlink())


def test_reason_files_carry_codes_not_content(hostile_run) -> None:
    _, _, data_dir, *_ = hostile_run
    reasons = [json.loads(p.read_text()) for p in (data_dir / "quarantine").glob("*.reason.json")]
    assert {r["reason_code"] for r in reasons} >= set(EXPECTED.values())
    for r in reasons:
        assert set(r) >= {"file_name", "sha256", "reason_code", "reason", "quarantined_at"}
        assert "/" not in r["file_name"] and "root:" not in r["reason"]


def test_a_slow_document_is_killed_at_its_deadline(tmp_path: Path, monkeypatch) -> None:
    """The 296-page benchmark report takes far longer than 2 s to read with the pdfminer engine
    (~15 s; the worker inherits the variable; pdfium would need ~4 s): the worker is killed."""
    monkeypatch.setenv("ZVIT_PDF_ENGINE", "pdfplumber")
    long_pdf = PROJECT_DIR / "benchmarks/data/plan_long.pdf"
    result, code, stats = run_isolated(long_pdf, Limits(memory_mb=1024, timeout_s=2.0))
    assert result is None and code == "timeout" and stats.killed
    figure("timeout: kill latency (s)", round(stats.kill_latency_s, 3))
    assert stats.kill_latency_s < 2.0
    # In the pipeline the kill becomes a quarantine reason naming the limit.
    candidate = Candidate(long_pdf, "0" * 64, "plan_long.pdf")
    extracted = extract_isolated(candidate, Limits(memory_mb=1024, timeout_s=2.0))
    assert (extracted.error_code, extracted.document.file_name) == ("timeout", "plan_long.pdf")
    assert "killed after 2 s" in extracted.error


def test_a_half_written_file_waits_for_the_next_run(tmp_path: Path, monkeypatch) -> None:
    inbox, data_dir = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    part = inbox / GOOD[0].name
    part.write_bytes(GOOD[0].read_bytes()[:5000])  # the copy has only begun
    monkeypatch.setenv("ZVIT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ZVIT_MIN_FILE_AGE_S", "30")
    first = nightly(inbox=str(inbox), keep_inbox=False)
    assert first["waiting"] == [GOOD[0].name]
    assert first["outcomes"] == []
    assert part.exists()  # left where the writer is still writing
    shutil.copy(GOOD[0], part)  # the copy finishes ...
    old = time.time() - 60
    os.utime(part, (old, old))  # ... and a minute passes
    second = nightly(inbox=str(inbox), keep_inbox=False)
    assert [o["state"] for o in second["outcomes"]] == ["loaded"]
