"""Logs, artifacts, run summaries and quarantine notes carry file names, hashes and reason codes,
never document text or person names: they travel to places (Prefect UI, chat alerts, tickets)
the documents themselves never should."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
from prefect.client.orchestration import get_client

from tests.reliability import hostile
from tests.reliability.conftest import GOOD, fill_inbox, zvit_run
from zvit.settings import PROJECT_DIR

REWORDED = PROJECT_DIR / "tests/fixtures/reworded"
TRUTHS = (
    PROJECT_DIR / "tests/fixtures/documents/anticorruption/anticorruption_2019.json",
    PROJECT_DIR / "tests/fixtures/documents/plan_execution/plan_2021.json",
    REWORDED / "plan_2021_unknown_measure.json",
    REWORDED / "plan_2021_duplicate_number.json",
)
"""Loaded documents, and documents quarantined as `missing_column` and `validation_failed`."""
_CYRILLIC = re.compile(r"[А-Яа-яІіЇїЄєҐґ]")


def _document_strings() -> set[str]:
    """Distinctive content of the loaded documents: cell texts, titles, names (>= 3 words)."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and _CYRILLIC.search(node):
            for line in node.splitlines():
                line = " ".join(line.split())
                if len(line) >= 20 and len(line.split()) >= 3:
                    found.add(line[:60])

    for truth in TRUTHS:
        walk(json.loads(truth.read_text(encoding="utf-8")))
    return found


def test_no_document_text_in_logs_or_artifacts(prefect_api: str, tmp_path: Path) -> None:
    inbox, data_dir = tmp_path / "inbox", tmp_path / "data"
    fill_inbox(
        inbox, (*GOOD, PROJECT_DIR / "tests/fixtures/documents/plan_execution/plan_2021.pdf")
    )
    fill_inbox(
        inbox,
        (REWORDED / "plan_2021_unknown_measure.docx", REWORDED / "plan_2021_duplicate_number.docx"),
    )
    hostile.xxe_docx(inbox)
    hostile.truncated(inbox, GOOD[1])
    run = zvit_run(prefect_api, inbox, data_dir)
    assert run.returncode == 0, run.stdout + run.stderr
    ledger_texts = _ledger_texts(data_dir)
    codes = {e["file_name"]: e["reason_code"] for e in ledger_texts}
    assert codes["plan_2021_unknown_measure.docx"] == "missing_column"
    assert codes["plan_2021_duplicate_number.docx"] == "validation_failed"

    texts = [run.stdout, run.stderr]
    texts += [str(v) for e in ledger_texts for v in e.values() if v is not None]
    texts += [p.read_text(encoding="utf-8") for p in (data_dir / "logs").glob("*.json")]
    texts += [p.read_text(encoding="utf-8") for p in (data_dir / "quarantine").glob("*.json")]
    with get_client(sync_client=True) as client:
        texts += [log.message for log in client.read_logs()]
        texts += [str(a.data) + str(a.description) for a in client.read_artifacts()]
    haystack = "\n".join(" ".join(t.split()) for t in texts)
    assert "plan_2021.pdf" in haystack and "loaded" in haystack  # we are looking at the right logs

    leaked = sorted(s for s in _document_strings() if s in haystack)
    assert len(_document_strings()) > 500
    assert leaked == []


def _ledger_texts(data_dir: Path) -> list[dict[str, object]]:
    """Every ledger row, every column (the ledger is read by analysts and the CLI)."""
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        cur = con.execute("select * from raw.documents")
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        con.close()
    assert "title" not in names  # titles are in raw.document_titles, with the rows
    return rows
