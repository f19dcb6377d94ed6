"""The nightly job as plain functions: find, extract, validate, load or quarantine, build, publish.

Prefect flows (`flows/`) only compose these; tests call them directly. Extraction runs in worker
processes (`extract` is picklable and returns small, picklable results); everything that writes
the warehouse runs in the calling process, one document per transaction.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from reader import READER_VERSION, DocumentError, read_document
from reader.sniff import sha256_file
from transforms import registry
from warehouse import db, ledger, load, publish
from zvit.provenance import SCHEMA as PROVENANCE_SCHEMA
from zvit.provenance import document_rows_frame
from zvit.settings import Settings
from zvit.validation import Validator, failure_reason

EXTRACTOR_VERSION = f"reader-{READER_VERSION}.transforms-{registry.TRANSFORMS_VERSION}"
"""Stored in the ledger: a document read by another version is read again."""

IGNORED_PREFIXES = (".", "~$")


@dataclass(frozen=True)
class Candidate:
    """A file in the inbox with its content hash."""

    path: Path
    sha256: str

    @property
    def file_name(self) -> str:
        return self.path.name


@dataclass
class Extracted:
    """What a worker process sends back: frames to load, or a reason to quarantine."""

    file_name: str
    sha256: str
    format: str | None = None
    pages: int | None = None
    doc_type: str | None = None
    title: str | None = None
    report_year: int | None = None
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error_code: str | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_code is None

    def meta(self) -> ledger.DocumentMeta:
        return ledger.DocumentMeta(
            sha256=self.sha256,
            file_name=self.file_name,
            doc_type=self.doc_type,
            title=self.title,
            report_year=self.report_year,
            pages=self.pages,
            format=self.format,
            extractor_version=EXTRACTOR_VERSION,
        )


@dataclass
class Outcome:
    """What happened to one document in a run."""

    file_name: str
    sha256: str
    state: str  # loaded | quarantined | skipped
    doc_type: str | None = None
    reason_code: str | None = None
    reason: str | None = None
    rows: int = 0
    pages: int | None = None


def discover(inbox: Path) -> list[Path]:
    """Regular files in the inbox, oldest name first; hidden files, temp files and links skipped."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a folder")
    files = []
    for p in sorted(inbox.iterdir()):
        if p.name.startswith(IGNORED_PREFIXES) or p.is_symlink() or not p.is_file():
            continue
        files.append(p)
    return files


@dataclass(frozen=True)
class Plan:
    """Inbox files split into those to process and those the ledger already has."""

    todo: list[Candidate]
    current: list[Candidate]


def find(inbox: Path, settings: Settings) -> Plan:
    """Files to process: the same bytes already read by this extractor version, loaded or
    quarantined, are not read again; the same bytes twice in one inbox are read once."""
    todo: list[Candidate] = []
    current: list[Candidate] = []
    seen: set[str] = set()
    with db.connect(settings.warehouse_path) as con:
        for p in discover(inbox):
            c = Candidate(p, sha256_file(p))
            if c.sha256 in seen or ledger.is_current(con, c.sha256, EXTRACTOR_VERSION):
                current.append(c)
            else:
                todo.append(c)
            seen.add(c.sha256)
    return Plan(todo, current)


def extract(path: Path) -> Extracted:
    """Read, recognise and normalise one document. Runs in a worker process; never raises."""
    started = time.perf_counter()
    out = Extracted(file_name=path.name, sha256="")
    try:
        out.sha256 = sha256_file(path)
        doc = read_document(path)
        out.format, out.pages, out.warnings = doc.format, doc.pages, list(doc.warnings)
        out.doc_type = registry.detect(doc)
        out.title = registry.report_title(doc)
        out.report_year = registry.report_year(doc)
        frames = dict(registry.DOC_TYPES[out.doc_type].normalise(doc))
        frames["document_rows"] = document_rows_frame(doc)
        out.frames = frames
    except DocumentError as e:
        out.error_code, out.error = e.code, e.message
    except MemoryError:
        out.error_code, out.error = "resource_limit", DocumentError("resource_limit").message
    except Exception as e:
        # Only the exception type: parser messages can carry raw document bytes.
        out.error_code = "extract_error"
        out.error = DocumentError("extract_error", type(e).__name__).message
    out.seconds = time.perf_counter() - started
    return out


def quarantine_file(
    settings: Settings, candidate: Candidate, code: str, reason: str, *, keep_inbox: bool
) -> Path:
    """Put the file into the quarantine folder with a reason file beside it."""
    settings.quarantine_dir.mkdir(parents=True, exist_ok=True)
    target = settings.quarantine_dir / f"{candidate.sha256[:12]}-{candidate.file_name}"
    if candidate.path.exists():
        if keep_inbox:
            shutil.copy2(candidate.path, target)
        else:
            shutil.move(candidate.path, target)
    reason_file = target.with_name(target.name + ".reason.json")
    reason_file.write_text(
        json.dumps(
            {
                "file_name": candidate.file_name,
                "sha256": candidate.sha256,
                "reason_code": code,
                "reason": reason,
                "extractor_version": EXTRACTOR_VERSION,
                "quarantined_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    return target


def archive_file(settings: Settings, candidate: Candidate) -> None:
    """Move a loaded file out of the inbox (only when the inbox is not kept)."""
    settings.processed_dir.mkdir(parents=True, exist_ok=True)
    if candidate.path.exists():
        shutil.move(candidate.path, settings.processed_dir / candidate.file_name)


def raw_schemas() -> dict[str, pl.Schema]:
    """Every raw table the registered document types write, plus row provenance."""
    schemas: dict[str, pl.Schema] = {"document_rows": PROVENANCE_SCHEMA}
    for module in registry.DOC_TYPES.values():
        for name, schema in module.SCHEMAS.items():
            schemas[name] = pl.Schema(schema)
    return schemas


def ensure_raw_tables(con: object) -> None:
    """Create every raw table before loading, so dbt builds even when a type has no rows yet."""
    for name, schema in raw_schemas().items():
        db.ensure_table(con, name, schema)


def mart_row_counts(marts_path: Path) -> dict[str, int]:
    """Rows per table in the published marts file (read-only, as an analyst would open it)."""
    if not marts_path.exists():
        return {}
    con = publish.open_marts(marts_path)
    try:
        tables = con.execute(
            "select table_catalog, table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2, 3"
        ).fetchall()
        counts = {}
        # Named as analysts write them: `marts.fct_plan_measures` (the catalog is the file name).
        for catalog, schema, name in tables:
            (counts[f"{catalog}.{name}"],) = con.execute(
                f'select count(*) from "{catalog}"."{schema}"."{name}"'
            ).fetchone()
        return counts
    finally:
        con.close()


def settle(
    settings: Settings,
    con: object,
    validator: Validator,
    candidate: Candidate,
    extracted: Extracted,
    *,
    keep_inbox: bool,
) -> Outcome:
    """Validate one extracted document and load it whole, or quarantine it whole."""
    meta = extracted.meta()
    if extracted.ok:
        failures = validator.validate_frames(extracted.frames)
        if failures:
            extracted.error_code, extracted.error = "validation_failed", failure_reason(failures)
    if not extracted.ok:
        code, reason = extracted.error_code or "extract_error", extracted.error or ""
        ledger.record_failure(con, meta, "quarantined", code, reason)
        quarantine_file(settings, candidate, code, reason, keep_inbox=keep_inbox)
        return Outcome(
            candidate.file_name,
            candidate.sha256,
            "quarantined",
            extracted.doc_type,
            code,
            reason,
            0,
            extracted.pages,
        )
    rows = load.load_document(con, meta, extracted.frames)
    if not keep_inbox:
        archive_file(settings, candidate)
    return Outcome(
        candidate.file_name,
        candidate.sha256,
        "loaded",
        extracted.doc_type,
        rows=rows,
        pages=extracted.pages,
    )
