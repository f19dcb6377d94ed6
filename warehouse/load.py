"""Load one document's frames into the raw tables, whole or not at all.

A document is replaced, never appended to: its earlier rows (same sha256, e.g. read by an older
extractor) are deleted from every raw table that has them, the new frames are inserted from Arrow,
and the ledger says `loaded`, all in one DuckDB transaction. Any error rolls all of it back, so the
raw tables and the ledger stay as they were before the call.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from warehouse import db, ledger
from warehouse.faults import failpoint


class FrameError(ValueError):
    """A frame does not fit its raw table or does not belong to the document being loaded."""


def load_document(
    con: duckdb.DuckDBPyConnection,
    meta: ledger.DocumentMeta,
    frames: Mapping[str, pl.DataFrame],
) -> int:
    """Replace the document's rows in `raw.*` with `frames`; return the rows inserted."""
    con.execute("begin transaction")
    try:
        _delete_document(con, meta.sha256)
        total = 0
        for name, frame in frames.items():
            db.ensure_table(con, name, frame.schema)
            _check_frame(con, name, frame, meta.sha256)
            total += _insert(con, name, frame)
        failpoint("load_mid_transaction")
        ledger.record_loaded(con, meta, total)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return total


def _delete_document(con: duckdb.DuckDBPyConnection, sha256: str) -> None:
    """Delete the document's rows from every raw table with a source_sha256 column."""
    for name, columns in db.raw_columns(con).items():
        if name in db.RESERVED_TABLES:
            continue
        if "source_sha256" in columns:
            con.execute(f"delete from {db.RAW_SCHEMA}.{name} where source_sha256 = ?", [sha256])


def _normalise_type(sql_type: str) -> str:
    return sql_type.upper().replace('"', "").replace(" ", "")


def _check_frame(
    con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame, sha256: str
) -> None:
    """Refuse frames whose column types differ from the table's, or rows of another document.

    DuckDB would cast many mismatches silently (a string year into an integer); a type change
    in a transform must be a decision (a migration), not an accident.
    """
    table = db.table_columns(con, name)
    for col, dtype in frame.schema.items():
        want, got = table[col], db.duckdb_type(dtype)
        if _normalise_type(want) != _normalise_type(got):
            raise FrameError(f"raw.{name}.{col} is {want}, the frame has {dtype} ({got})")
    others = frame.filter(pl.col("source_sha256").ne_missing(pl.lit(sha256))).height
    if others:
        raise FrameError(f"raw.{name}: {others} row(s) whose source_sha256 is not {sha256}")


def _insert(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> int:
    """Insert through Arrow by column name (~1M rows/s; executemany is ~1k rows/s)."""
    if frame.height == 0:
        return 0
    view = f"_zvit_load_{name}"
    con.register(view, frame.to_arrow())
    try:
        con.execute(f"insert into {db.RAW_SCHEMA}.{name} by name select * from {view}")
    finally:
        con.unregister(view)
    return frame.height
