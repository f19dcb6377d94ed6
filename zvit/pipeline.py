"""The nightly job as plain functions: find, extract, validate, load or quarantine, build, publish.

Prefect flows (`flows/`) only compose these; tests call them directly. Extraction runs in worker
processes (`zvit.extract`); everything that writes the warehouse runs in the calling process, one
document per transaction. Where files go is the inbox's business (`zvit.inbox.Inbox`: read in place
or claimed); the pipeline only says which file goes where.

Versions are per document type (`transforms.registry.extractor_version`): the ledger keeps the
version each document was read with, and only documents of a changed type are read again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from reader import DocumentError
from reader.sniff import sha256_file
from transforms import registry
from warehouse import db, ledger, load, publish
from warehouse.faults import failpoint
from warehouse.lock import writer_lock
from zvit import inbox as inbox_files
from zvit.extract import Extracted
from zvit.inbox import Inbox
from zvit.provenance import SCHEMA as PROVENANCE_SCHEMA
from zvit.provenance import TITLES_SCHEMA, TITLES_TABLE
from zvit.reasons import with_action
from zvit.settings import Limits, Settings
from zvit.validation import Validator, failure_reason
from zvit.workers import WorkerStats, run_isolated


@dataclass(frozen=True)
class Candidate:
    """A document taken from the inbox: where it is now (claimed), its name and content hash."""

    path: Path
    sha256: str
    name: str = ""

    @property
    def file_name(self) -> str:
        return self.name or self.path.name


@dataclass
class Outcome:
    """What happened to one document in a run."""

    file_name: str
    sha256: str
    state: str  # loaded | quarantined | current (another run loaded the same bytes meanwhile)
    doc_type: str | None = None
    reason_code: str | None = None
    reason: str | None = None
    rows: int = 0
    pages: int | None = None
    seconds: float | None = None
    peak_mb: float | None = None
    warnings: list[str] = field(default_factory=list)
    """What a person should check (text-free): columns recognised by their cells, lost
    characters, edges closed without a rule."""


@dataclass
class Plan:
    """What a run found: documents to read, and everything it will not read, with why."""

    todo: list[Candidate]
    current: list[Candidate] = field(default_factory=list)
    """The same bytes were already read by the current version of their type (loaded or
    quarantined)."""
    duplicates: list[Candidate] = field(default_factory=list)
    """The same bytes as another file of this run, under another name."""
    waiting: list[str] = field(default_factory=list)
    """Names of files still being written: left for the next run."""
    rejected: list[Outcome] = field(default_factory=list)
    """Links and special files, refused unread."""
    recovered: list[str] = field(default_factory=list)
    """Files a killed run had claimed, put back and taken by this run."""


def find(inbox: Inbox, settings: Settings, *, on_wait: Callable[[str], None] | None = None) -> Plan:
    """Scan, take and hash the inbox, then ask the ledger which documents are new.

    A claimed inbox first moves each file into this run's claim folder, so overlapping runs never
    read the same file; an inbox read in place leaves files where they are. The same bytes already
    read by the current version of their type, loaded or quarantined, are not read again; the same
    bytes twice in one inbox are read once.
    """
    recovered = inbox.recover()  # back into the inbox first, so this scan sees them
    found = inbox.scan(settings.min_file_age_s)
    plan = Plan(
        todo=[],
        recovered=recovered,
        waiting=[e.path.name for e in found.waiting],
        rejected=[reject(inbox, e) for e in found.rejected],
    )

    hashed: list[Candidate] = []
    for path in found.ready:
        name = inbox_files.safe_name(path.name)
        before = path.stat()
        taken = inbox.take(path)
        if taken is None:
            continue  # another run claimed it between our scan and our rename
        sha = sha256_file(taken)
        if not inbox_files.is_stable(taken, before):
            inbox.give_back(taken)
            plan.waiting.append(name)
            continue
        hashed.append(Candidate(taken, sha, name))

    seen: set[str] = set()
    with (
        writer_lock(settings.lock_path, settings.lock_timeout_s, on_wait),
        db.connect(settings.warehouse_path) as con,
    ):
        for c in hashed:
            if c.sha256 in seen:
                plan.duplicates.append(c)
            elif ledger.is_current(con, c.sha256, registry.extractor_version):
                plan.current.append(c)
            else:
                plan.todo.append(c)
            seen.add(c.sha256)
    return plan


def extract_isolated(
    candidate: Candidate, limits: Limits, spare: threading.Semaphore | None = None
) -> Extracted:
    """`extract` in a capped, killable worker process; a kill or crash becomes a reason.

    `spare`: the run's worker slots, to read a long PDF in page ranges (`run_isolated`)."""
    return extracted(candidate, limits, *run_isolated(candidate.path, limits, spare))


def extracted(
    candidate: Candidate,
    limits: Limits,
    result: Extracted | None,
    code: str | None,
    stats: WorkerStats,
) -> Extracted:
    """A worker's read of `candidate` (`run_isolated`'s return) as the run records it."""
    if result is None:
        detail = ""
        if code == "timeout":
            detail = f"killed after {limits.timeout_s:.0f} s"
        elif code == "resource_limit":
            detail = f"the worker died at the {limits.memory_mb} MB cap"
        elif stats.exit_code is not None:
            detail = f"the worker exited with code {stats.exit_code}"
        result = Extracted(
            ledger.DocumentMeta(candidate.sha256, candidate.file_name),
            error_code=code,
            error=DocumentError(code or "extract_error", detail).message,
        )
    result.document = replace(
        result.document, sha256=candidate.sha256, file_name=candidate.file_name
    )
    result.seconds = stats.seconds
    result.peak_mb = stats.peak_rss_mb
    return result


def reject(inbox: Inbox, entry: inbox_files.Entry) -> Outcome:
    """Refuse a link or special file unread: quarantined (the entry itself, never its target)."""
    name = inbox_files.safe_name(entry.path.name)
    reason = with_action(entry.reason_code, DocumentError(entry.reason_code, entry.detail).message)
    outcome = Outcome(name, "", "quarantined", reason_code=entry.reason_code, reason=reason)
    quarantine(inbox, entry.path, name, outcome, registry.extractor_version(None))
    return outcome


def quarantine(inbox: Inbox, path: Path, name: str, outcome: Outcome, version: str) -> None:
    """Put the file into the quarantine folder as `name`, the outcome's reason beside it."""
    reason = {
        "file_name": outcome.file_name,
        "sha256": outcome.sha256 or None,
        "reason_code": outcome.reason_code,
        "reason": outcome.reason,
        "extractor_version": version,
    }
    inbox.quarantine(path, name, reason)


def archive_unread(inbox: Inbox, plan: Plan) -> None:
    """Files the ledger already had, and same-bytes duplicates, are done with unread."""
    for c in [*plan.current, *plan.duplicates]:
        inbox.archive(c.path, c.file_name)


def raw_schemas() -> dict[str, pl.Schema]:
    """Every raw table the registered document types write, plus row provenance and titles."""
    return {
        "document_rows": PROVENANCE_SCHEMA,
        TITLES_TABLE: TITLES_SCHEMA,
        **registry.raw_schemas(),
    }


def dbt_call(settings: Settings) -> tuple[Path, Path, Path, dict[str, object]]:
    """What the run's dbt build is called with besides its selection: project dir, profiles
    dir (the project's own), data dir, vars."""
    return (settings.dbt_project_dir, settings.dbt_project_dir, settings.data_dir, dbt_vars())


def dbt_args(settings: Settings) -> tuple[Path, Path, Path, dict[str, object]] | None:
    """`dbt_call` for a dbt process prepared in advance (`zvit.warmup`); None when
    `ZVIT_DBT_PROCESS=0` keeps dbt in the run's own process."""
    return dbt_call(settings) if settings.dbt_process else None


def dbt_vars() -> dict[str, object]:
    """What dbt takes from the Python side (`--vars`): the vocabularies its sources are tested
    against and its status marts are built from, so the Python lists are the only ones, and
    their Ukrainian labels (`labels_uk`: `status_label_uk` columns, `dim_statuses`)."""
    return {
        "vocabularies": {k: list(v) for k, v in registry.vocabularies().items()},
        "labels_uk": registry.labels_uk(),
    }


def ensure_raw_tables(con: object) -> None:
    """Create every raw table before loading, so dbt builds even when a type has no rows yet."""
    existing = db.raw_columns(con)
    for name, schema in raw_schemas().items():
        db.ensure_table(con, name, schema, existing.get(name, {}))


def mart_row_counts(marts_path: Path) -> dict[str, int]:
    """Rows per table in the published marts file (read-only, as an analyst would open it)."""
    return publish.published_row_counts(marts_path)


def tables_touched(con: object, sha256: str, extracted: Extracted) -> set[str]:
    """Raw tables that settling this document may change (before it is settled): the ledger,
    every table its frames go to, and every raw table already holding rows of these bytes (a
    re-read replaces them). dbt rebuilds only what is downstream of these."""
    tables = {ledger.TABLE.split(".")[-1], *extracted.frames}
    for name, columns in db.raw_columns(con).items():
        if name in tables or name in db.RESERVED_TABLES:
            continue
        if (
            "source_sha256" in columns
            and con.execute(
                f"select 1 from {db.RAW_SCHEMA}.{name} where source_sha256 = ? limit 1", [sha256]
            ).fetchall()
        ):
            tables.add(name)
    return tables


def settle(
    con: object,
    validator: Validator,
    inbox: Inbox,
    candidate: Candidate,
    extracted: Extracted,
) -> Outcome:
    """Validate one extracted document and load it whole, or quarantine it whole.

    Runs under the writer lock; the ledger is asked again because an overlapping run may have
    loaded the same bytes since `find`."""
    doc_type = extracted.document.doc_type
    if ledger.is_current(con, candidate.sha256, registry.extractor_version):
        inbox.archive(candidate.path, candidate.file_name)
        return Outcome(candidate.file_name, candidate.sha256, "current", doc_type)
    meta = replace(extracted.document, extractor_version=registry.extractor_version(doc_type))
    outcome = Outcome(
        candidate.file_name,
        candidate.sha256,
        "loaded",
        doc_type,
        pages=meta.pages,
        seconds=extracted.seconds,
        peak_mb=extracted.peak_mb,
        warnings=list(extracted.warnings),
    )
    if extracted.ok:
        document = f"{candidate.sha256[:12]}-{candidate.file_name}"
        failures = validator.validate_frames(extracted.frames, document)
        if failures:
            reason = failure_reason(failures, extracted.frames, candidate.sha256)
            extracted.error_code, extracted.error = "validation_failed", reason
    if not extracted.ok:
        code, reason = extracted.error_code or "extract_error", extracted.error or ""
        if code != "validation_failed":
            reason = with_action(code, reason, candidate.sha256)
        ledger.record_failure(con, meta, "quarantined", code, reason)
        outcome = replace(outcome, state="quarantined", reason_code=code, reason=reason)
        name = f"{candidate.sha256[:12]}-{candidate.file_name}"
        quarantine(inbox, candidate.path, name, outcome, meta.extractor_version)
        return outcome
    outcome.rows = load.load_document(con, meta, extracted.frames)
    failpoint("after_load_commit")
    inbox.archive(candidate.path, candidate.file_name)
    return outcome


@dataclass(frozen=True)
class Requeued:
    """What `requeue` did: which document, where its file went, whether the ledger was marked."""

    sha256: str
    file_name: str
    moved_to: Path | None
    ledger_marked: bool


class RequeueError(LookupError):
    """Nothing (or more than one document) answers to the name or hash given."""


def requeue(settings: Settings, key: str) -> Requeued:
    """Put a quarantined document back for the next run.

    `key` is a quarantined file (its path or name in the quarantine folder), the document's file
    name, or its sha256 (or a prefix of at least 6 hex digits). The file moves from quarantine
    back into the inbox (`ZVIT_INBOX`, else `<data dir>/inbox`) under its own name, its reason note
    is removed, and its ledger entry is marked `requeued_at`, so the next run reads it even when
    the extractor version has not changed (a vocabulary or data fix outside the version, or a
    cause outside the document). The entry keeps its state and reason until that run replaces
    them. A document the ledger has as loaded is not requeued.
    """
    notes = inbox_files.quarantine_notes(settings.quarantine_dir)
    matched = inbox_files.match_notes(notes, key)
    with (
        writer_lock(settings.lock_path, settings.lock_timeout_s),
        db.connect(settings.warehouse_path) as con,
    ):
        entries = ledger.find(con, key) if not matched else []
        shas = {n.sha256 for n in matched if n.sha256} | {e["sha256"] for e in entries}
        if not shas and not matched:
            raise RequeueError(f"no quarantined document answers to {key!r}")
        if len(shas) > 1:
            raise RequeueError(
                f"{key!r} names {len(shas)} documents: give more of the sha256 "
                f"({', '.join(sorted(s[:12] for s in shas))})"
            )
        sha = next(iter(shas), "")
        entry = ledger.get(con, sha) if sha else None
        if entry is not None and entry["state"] == "loaded":
            raise RequeueError(f"{sha[:12]} is loaded, not quarantined: nothing to requeue")
        if entry is not None:
            ledger.requeue(con, sha)
    notes_of = [n for n in notes if (n.sha256 == sha and sha) or n in matched]
    moved = None
    for note in notes_of:  # the same bytes quarantined twice leave two copies: one goes back
        target = inbox_files.unquarantine(note, settings.inbox_dir, keep=moved is not None)
        moved = moved or target
    name = (notes_of[0].file_name if notes_of else None) or (entry or {}).get("file_name") or ""
    return Requeued(sha, name, moved, entry is not None)
