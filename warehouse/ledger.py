"""The document ledger `raw.documents`: one row per distinct file content (sha256).

It answers "is there anything to do for these bytes?" and tells analysts (through `dim_documents`)
what happened to every document. It holds file names, hashes, types, states and text-free reasons,
never document text: a loaded document's title is in `raw.document_titles`, written with its rows
(`zvit.provenance`). A document can also be marked `requeued` (`requeue`): read again next run.
States:

- `loaded`: the document's rows are in the raw tables, written by `load.load_document`.
- `quarantined`: the document cannot be read or failed validation with this extractor version.
  Deterministic, so the same bytes are not read again until the extractor version changes.

Versions are per document type (`transforms.registry.extractor_version`, passed in as `version_of`
so this module knows no types): bumping one type re-reads only the documents of that type, and a
document of no known type whenever any type changes.
- `failed`: something outside the document went wrong (a timeout, a busy file); retried next run.

Recording a failure never deletes raw rows. A new version of a file has a new sha256, so the rows
of an earlier good version stay. If the same bytes loaded under an older extractor and now fail
under a newer one, the old rows stay too: the ledger then says `quarantined` with the new reason,
while `loaded_at` and `rows_loaded` still describe the rows that are there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the extraction worker builds DocumentMeta without loading DuckDB
    import duckdb

TABLE = "raw.documents"
STATES = ("loaded", "quarantined", "failed")
CURRENT_STATES = ("loaded", "quarantined")
"""States that need no new attempt while the extractor version stays the same."""

COLUMNS = (
    "sha256",
    "file_name",
    "doc_type",
    "report_year",
    "pages",
    "format",
    "state",
    "reason_code",
    "reason",
    "extractor_version",
    "rows_loaded",
    "first_seen_at",
    "processed_at",
    "loaded_at",
    "requeued_at",
)

DDL = f"""
create table if not exists {TABLE} (
    sha256            varchar primary key,
    file_name         varchar not null,
    doc_type          varchar,
    report_year       integer,
    pages             integer,
    format            varchar,
    state             varchar not null check (state in ('loaded', 'quarantined', 'failed')),
    reason_code       varchar,
    reason            varchar,
    extractor_version varchar,
    rows_loaded       bigint not null default 0,
    first_seen_at     timestamp not null,  -- UTC
    processed_at      timestamp not null,  -- UTC, the latest attempt
    loaded_at         timestamp,           -- UTC, when the rows now in raw were loaded
    requeued_at       timestamp            -- UTC, set by `zvit requeue`: read again next run
)
"""


@dataclass(frozen=True)
class DocumentMeta:
    """What the pipeline knows about a document; only sha256 and file_name are always known."""

    sha256: str
    file_name: str
    doc_type: str | None = None
    report_year: int | None = None
    pages: int | None = None
    format: str | None = None
    extractor_version: str | None = None


def create_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ledger if missing (called by `db.connect`). A ledger from before titles moved
    to `raw.document_titles` loses its `title` column: the ledger holds no document text."""
    con.execute(DDL)
    columns = {r[0] for r in con.execute(f"describe {TABLE}").fetchall()}
    if "title" in columns:
        con.execute(f"alter table {TABLE} drop column title")
    if "requeued_at" not in columns:
        con.execute(f"alter table {TABLE} add column requeued_at timestamp")


def utc_now() -> datetime:
    """Naive UTC timestamp: DuckDB `timestamp` columns hold UTC without a time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def as_meta(meta: DocumentMeta | Mapping[str, Any]) -> DocumentMeta:
    """Accept a `DocumentMeta` or a mapping with at least sha256 and file_name."""
    if isinstance(meta, DocumentMeta):
        return meta
    known = {k: meta.get(k) for k in DocumentMeta.__dataclass_fields__}
    if not known["sha256"] or not known["file_name"]:
        raise ValueError("a ledger entry needs sha256 and file_name")
    return DocumentMeta(**known)


def get(con: duckdb.DuckDBPyConnection, sha256: str) -> dict[str, Any] | None:
    """The ledger row for these bytes, or None if never seen."""
    cur = con.execute(f"select {', '.join(COLUMNS)} from {TABLE} where sha256 = ?", [sha256])
    row = cur.fetchone()
    return dict(zip(COLUMNS, row, strict=True)) if row else None


def is_current(
    con: duckdb.DuckDBPyConnection, sha256: str, version_of: Callable[[str | None], str]
) -> bool:
    """True when these bytes were loaded or quarantined by the current version of their type.

    `version_of(doc_type)` is today's version of a type, `version_of(None)` that of a document of
    no known type. The any-type version also counts for a typed entry: a re-read that failed before
    the type was known keeps the type recorded earlier (see `_upsert`). A different version reads
    them again (it may read them better); `failed` is retried, and so is a `requeue`d entry.
    """
    entry = get(con, sha256)
    if entry is None or entry["state"] not in CURRENT_STATES or entry["requeued_at"] is not None:
        return False
    return entry["extractor_version"] in {version_of(entry["doc_type"]), version_of(None)}


def record_loaded(con: duckdb.DuckDBPyConnection, meta: DocumentMeta, rows_loaded: int) -> None:
    """Upsert the entry as loaded; called by `load.load_document` inside its transaction."""
    now = utc_now()
    _upsert(con, meta, "loaded", None, None, rows_loaded, now, loaded_at=now)


def record_failure(
    con: duckdb.DuckDBPyConnection,
    meta: DocumentMeta | Mapping[str, Any],
    state: str,
    reason_code: str,
    reason: str,
) -> None:
    """Note a quarantined or failed attempt. Raw rows are left alone (see the module docstring)."""
    if state not in ("quarantined", "failed"):
        raise ValueError(f"record_failure state must be 'quarantined' or 'failed', got {state!r}")
    meta = as_meta(meta)
    previous = get(con, meta.sha256)
    rows = previous["rows_loaded"] if previous else 0
    loaded_at = previous["loaded_at"] if previous else None
    _upsert(con, meta, state, reason_code, reason, rows, utc_now(), loaded_at=loaded_at)


def find(con: duckdb.DuckDBPyConnection, key: str) -> list[dict[str, Any]]:
    """Entries whose sha256 starts with `key` (at least 6 hex digits), or whose file name is
    `key`: how a person names a document on the command line."""
    key = key.strip()
    if len(key) >= 6 and all(c in "0123456789abcdef" for c in key.lower()):
        where, params = "sha256 like ?", [key.lower() + "%"]
    else:
        where, params = "file_name = ?", [key]
    cur = con.execute(f"select {', '.join(COLUMNS)} from {TABLE} where {where}", params)
    return [dict(zip(COLUMNS, row, strict=True)) for row in cur.fetchall()]


def requeue(con: duckdb.DuckDBPyConnection, sha256: str) -> None:
    """Mark an entry to be read again by the next run, even at the same extractor version. Its
    state and reason stay until that run replaces them (and clears the mark)."""
    con.execute(f"update {TABLE} set requeued_at = ? where sha256 = ?", [utc_now(), sha256])


def entries(con: duckdb.DuckDBPyConnection, state: str | None = None) -> list[dict[str, Any]]:
    """Ledger rows, latest attempt first, optionally of one state (for the CLI)."""
    if state is not None and state not in STATES:
        raise ValueError(f"unknown ledger state {state!r}; expected one of {STATES}")
    where, params = ("where state = ?", [state]) if state else ("", [])
    cur = con.execute(
        f"select {', '.join(COLUMNS)} from {TABLE} {where} order by processed_at desc, file_name",
        params,
    )
    return [dict(zip(COLUMNS, row, strict=True)) for row in cur.fetchall()]


def _upsert(
    con: duckdb.DuckDBPyConnection,
    meta: DocumentMeta,
    state: str,
    reason_code: str | None,
    reason: str | None,
    rows_loaded: int,
    processed_at: datetime,
    *,
    loaded_at: datetime | None,
) -> None:
    """Insert or update one entry; `first_seen_at` keeps the first attempt's time."""
    m = asdict(meta)
    con.execute(
        f"""
        insert into {TABLE} ({", ".join(COLUMNS)})
        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (sha256) do update set
            file_name = excluded.file_name,
            doc_type = coalesce(excluded.doc_type, documents.doc_type),
            report_year = coalesce(excluded.report_year, documents.report_year),
            pages = coalesce(excluded.pages, documents.pages),
            format = coalesce(excluded.format, documents.format),
            state = excluded.state,
            reason_code = excluded.reason_code,
            reason = excluded.reason,
            extractor_version = excluded.extractor_version,
            rows_loaded = excluded.rows_loaded,
            processed_at = excluded.processed_at,
            loaded_at = excluded.loaded_at,
            requeued_at = null
        """,
        [
            m["sha256"],
            m["file_name"],
            m["doc_type"],
            m["report_year"],
            m["pages"],
            m["format"],
            state,
            reason_code,
            reason,
            m["extractor_version"],
            rows_loaded,
            processed_at,
            processed_at,
            loaded_at,
            None,
        ],
    )
