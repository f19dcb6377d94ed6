"""Tell, before Prefect starts, that a run would find nothing new (a no-op costs ~1-2 s, not ~9 s).

Starting Prefect's temporary server for an empty flow is most of a no-op run's cost, so `zvit run`
first asks the same questions the flow asks (`zvit.pipeline.find`, the publish step's marker) with
the same functions, reading the ledger read-only. Any doubt means "not a no-op": the flow then runs
as always and decides for itself. Nothing here writes the warehouse, moves a file or imports
Prefect, dbt or Great Expectations.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from reader.sniff import sha256_file
from warehouse.lock import LockTimeout, writer_lock
from zvit import inbox as inbox_files
from zvit.settings import Settings


def nothing_new(inbox_dir: Path, settings: Settings, *, keep: bool) -> dict[str, Any] | None:
    """The summary a run over `inbox_dir` would print when it has nothing to do, else None.

    Nothing to do means all of: the published marts file and the ledger's published copy exist
    and no earlier run left the stale-marts marker (a build to redo); for a claimed inbox (`keep`
    false) no file at all in the inbox (even a current file would be moved to processed/) and no
    claim folder of a run that may have died; for an inbox read in place only regular files that
    have stopped changing, no two with the same bytes, each one current in the ledger
    (`ledger.is_current`: loaded or quarantined by today's version of its type, not requeued).
    """
    if settings.marts_stale_path.exists() or not settings.marts_path.exists():
        return None
    if not settings.ledger_path.exists():
        return None  # every run ends by publishing the ledger's read-only copy
    if not keep and _claims_left(settings.processing_dir):
        return None
    found = inbox_files.scan(inbox_dir, settings.min_file_age_s)
    if found.waiting or found.rejected or (found.ready and not keep):
        return None
    hashes: dict[str, str] = {}
    for path in found.ready:
        before = path.stat()
        sha = sha256_file(path)
        if sha in hashes.values() or not inbox_files.is_stable(path, before):
            return None  # a duplicate to report, or a file still being written
        hashes[inbox_files.safe_name(path.name)] = sha
    if hashes and not _all_current(settings, list(hashes.values())):
        return None
    from warehouse.publish import published_row_counts

    return {
        "outcomes": [],
        "current": list(hashes),
        "duplicates": [],
        "waiting": [],
        "recovered": [],
        "marts": published_row_counts(settings.marts_path),
        "dbt_success": None,
        "dbt_failures": [],
        "marts_path": str(settings.marts_path),
        "run_id": "",
    }


def _claims_left(processing_dir: Path) -> bool:
    """Any claim folder: a living run's, or a dead one's whose files the flow would take back."""
    return processing_dir.is_dir() and any(p.is_dir() for p in processing_dir.iterdir())


def _all_current(settings: Settings, shas: list[str]) -> bool:
    """Every hash is current in the ledger (False when the ledger cannot be read now)."""
    current = current_in_ledger(settings, shas)
    return current is not None and current == set(shas)


def current_in_ledger(settings: Settings, shas: list[str]) -> set[str] | None:
    """The hashes current in the ledger, read read-only under the writer lock; None if busy.

    The lock is only tried, never waited for: DuckDB refuses a read-only open while a writer holds
    the file, and a run that is writing may be about to change the answer. Busy means "ask the
    flow" (None). No warehouse yet: nothing is current.
    """
    if not settings.warehouse_path.exists():
        return set()
    import duckdb

    from transforms.registry import extractor_version
    from warehouse import ledger

    try:
        with writer_lock(settings.lock_path, 0.0):
            con = duckdb.connect(str(settings.warehouse_path), read_only=True)
            try:
                return {sha for sha in shas if ledger.is_current(con, sha, extractor_version)}
            finally:
                con.close()
    except (LockTimeout, duckdb.Error, OSError):
        return None


def enabled() -> bool:
    """`ZVIT_PREFLIGHT=0` turns the shortcut off (always start the flow)."""
    return os.environ.get("ZVIT_PREFLIGHT", "1") != "0"
