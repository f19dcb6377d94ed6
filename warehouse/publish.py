"""Publish the marts as a finished file analysts open read-only.

dbt commits model by model, so readers of the warehouse file could see a half-built mix (and would
hold its lock). Instead the marts are copied into a new file next to the published one, which then
replaces it with `os.replace`: an atomic rename, so a session opened earlier keeps reading the old
snapshot (its open file) and the next session opens the new one.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from warehouse.faults import failpoint

MARTS_SCHEMA = "marts"
STORAGE_VERSION = "v1.0.0"
"""The storage format the published file is written in. DuckDB 2.0 writes 2.0 by default, which no
DuckDB before 2.0 can open; BI clients (DBeaver, Metabase, Superset drivers) bundle DuckDB 1.1-1.4.
v1.0.0 is the oldest format DuckDB 2.0 writes, read by DuckDB 0.10 and every later version, and it
keeps every type the marts use (lists, structs, decimals, dates) and their comments."""
STORAGE_VERSION_NUMBER = 64
"""The version number the file header carries for `STORAGE_VERSION` (bytes 12-19, little endian)."""


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def publish_marts(
    warehouse_path: Path | str, marts_path: Path | str, schema: str = MARTS_SCHEMA
) -> dict[str, int]:
    """Copy every table of `schema` into a new file, checkpoint it, and swap it onto `marts_path`.

    The tables land in the new file's `main` schema. DuckDB names a file's catalog after the file
    (`marts.duckdb` -> `marts`); a schema `marts` inside it would make `marts.fct_plan_measures`
    an ambiguous reference, whereas with `main` both `marts.fct_plan_measures` and
    `fct_plan_measures` work. Returns rows per table as `<catalog>.<table>` (`marts.dim_units`).

    The warehouse is only read. Nothing replaces the published file unless the copy finished; a
    leftover temporary file from a crash is overwritten next time. The file is written in storage
    format `STORAGE_VERSION`, so clients on older DuckDB versions open it.
    """
    warehouse_path, marts_path = Path(warehouse_path), Path(marts_path)
    catalog = marts_path.name.split(".")[0]
    marts_path.parent.mkdir(parents=True, exist_ok=True)
    staging = marts_path.with_name(f".{marts_path.name}.{os.getpid()}.publishing")
    # Leftovers of publishes killed before their rename (any pid): the caller holds the lock.
    for leftover in marts_path.parent.glob(f".{marts_path.name}.*.publishing*"):
        leftover.unlink(missing_ok=True)

    counts: dict[str, int] = {}
    # A new file takes its storage version when attached; `use` makes it the default catalog, so
    # `main.<table>` below is the new file's.
    con = duckdb.connect()
    try:
        con.execute(
            f"attach {_literal(str(staging))} as zvit_published "
            f"(storage_version {_literal(STORAGE_VERSION)})"
        )
        con.execute("use zvit_published")
        con.execute(f"attach {_literal(str(warehouse_path))} as zvit_warehouse (read_only)")
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'zvit_warehouse' and table_schema = ? "
                "and table_type = 'BASE TABLE' order by 1",
                [schema],
            ).fetchall()
        ]
        comments = _comments(con, schema)
        # One transaction for every table and comment: each statement on its own committed (and
        # wrote its WAL entry) separately, ~0.4 s for the marts' 20 tables and their comments.
        con.execute("begin transaction")
        for table in tables:
            source = f"zvit_warehouse.{_quote(schema)}.{_quote(table)}"
            target = f"main.{_quote(table)}"
            con.execute(f"create table {target} as select * from {source}")
            (rows,) = con.execute(f"select count(*) from {target}").fetchone()
            counts[f"{catalog}.{table}"] = rows
            for column, comment in comments.get(table, ()):
                if column is None:
                    con.execute(f"comment on table {target} is {_literal(comment)}")
                else:
                    con.execute(
                        f"comment on column {target}.{_quote(column)} is {_literal(comment)}"
                    )
        con.execute("commit")
        con.execute("detach zvit_warehouse")
        con.execute("checkpoint zvit_published")
    except BaseException:
        con.close()
        staging.unlink(missing_ok=True)
        raise
    con.close()
    failpoint("before_publish_rename")
    os.replace(staging, marts_path)
    return counts


def _comments(
    con: duckdb.DuckDBPyConnection, schema: str
) -> dict[str, list[tuple[str | None, str]]]:
    """Table and column descriptions (dbt `persist_docs`) of the warehouse's `schema`, per table:
    `(None, table comment)` first, then `(column, comment)` in column order, to carry into the
    published file. Two catalog queries for all tables (one pair per table cost ~0.1 s)."""
    found: dict[str, list[tuple[str | None, str]]] = {}
    for table, comment in con.execute(
        "select table_name, comment from duckdb_tables() "
        "where database_name = 'zvit_warehouse' and schema_name = ? "
        "and comment is not null and comment <> ''",
        [schema],
    ).fetchall():
        found.setdefault(table, []).append((None, comment))
    for table, column, comment in con.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where database_name = 'zvit_warehouse' and schema_name = ? and comment is not null "
        "order by table_name, column_index",
        [schema],
    ).fetchall():
        found.setdefault(table, []).append((column, comment))
    return found


def storage_version_number(marts_path: Path | str) -> int:
    """The storage version number in a DuckDB file's header (64 = v0.10-v1.1 format)."""
    with Path(marts_path).open("rb") as f:
        header = f.read(20)
    if header[8:12] != b"DUCK":
        raise ValueError(f"{marts_path} is not a DuckDB file")
    return int.from_bytes(header[12:20], "little")


def open_marts(marts_path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only session on the published marts that cannot read other files on this machine."""
    return duckdb.connect(
        str(marts_path),
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )


def published_row_counts(marts_path: Path | str) -> dict[str, int]:
    """Rows per table in the published marts file (read-only, as an analyst would open it),
    named as analysts write them: `marts.fct_plan_measures` (the catalog is the file name)."""
    marts_path = Path(marts_path)
    if not marts_path.exists():
        return {}
    con = open_marts(marts_path)
    try:
        tables = con.execute(
            "select table_catalog, table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2, 3"
        ).fetchall()
        counts = {}
        for catalog, schema, name in tables:
            (counts[f"{catalog}.{name}"],) = con.execute(
                f'select count(*) from "{catalog}"."{schema}"."{name}"'
            ).fetchone()
        return counts
    finally:
        con.close()
