"""A read-only copy of the ledger that the CLI reads while a run holds the warehouse.

DuckDB lets one process open a file read-write or many read-only, never both: `zvit ledger` on the
warehouse itself would fail for as long as a run loads or builds. So every run (and `zvit
requeue`) ends by copying `raw.documents` into a new file and swapping it onto `ledger.duckdb`
with `os.replace`, as the marts are published: readers never touch the warehouse.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from warehouse import ledger


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish_ledger(con: duckdb.DuckDBPyConnection, ledger_path: Path) -> int:
    """Copy the ledger from the warehouse connection `con` (read-write, under the writer lock) to
    `ledger_path`, keeping its name `raw.documents`; returns the entries copied."""
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    staging = ledger_path.with_name(f".{ledger_path.name}.{os.getpid()}.publishing")
    # Leftovers of publishes killed before their rename (any pid): the caller holds the lock.
    for leftover in ledger_path.parent.glob(f".{ledger_path.name}.*.publishing*"):
        leftover.unlink(missing_ok=True)
    con.execute(ledger.DDL)  # a first run that refused everything has no ledger yet
    con.execute(f"attach {_literal(str(staging))} as zvit_ledger_snapshot")
    try:
        con.execute("create schema zvit_ledger_snapshot.raw")
        con.execute(
            f"create table zvit_ledger_snapshot.{ledger.TABLE} as select * from {ledger.TABLE}"
        )
        (count,) = con.execute(
            f"select count(*) from zvit_ledger_snapshot.{ledger.TABLE}"
        ).fetchone()
        con.execute("checkpoint zvit_ledger_snapshot")
    finally:
        con.execute("detach zvit_ledger_snapshot")
    os.replace(staging, ledger_path)
    return count


def open_ledger(ledger_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only session on the published ledger (`ledger.entries` works on it unchanged)."""
    return duckdb.connect(
        str(ledger_path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )
