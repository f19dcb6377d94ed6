"""The loader's DuckDB file: connection, the `raw` schema, and raw tables made from polars schemas.

Raw tables are created from the frames' polars schemas, so a new document type needs no DDL here:
its transforms module declares `SCHEMAS` and the pipeline calls `ensure_table` for each one before
loading (and before dbt runs, so staging views compile even when a type has no rows yet).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl

RAW_SCHEMA = "raw"
"""Where the loader writes; dbt reads it only through `source('reports', ...)`."""

RESERVED_TABLES = frozenset({"documents"})
"""Raw table names owned by the warehouse itself (the ledger), never made from a frame."""

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")

_SIMPLE_TYPES: dict[type[pl.DataType], str] = {
    pl.String: "VARCHAR",
    pl.Categorical: "VARCHAR",
    pl.Enum: "VARCHAR",
    pl.Boolean: "BOOLEAN",
    pl.Int8: "TINYINT",
    pl.Int16: "SMALLINT",
    pl.Int32: "INTEGER",
    pl.Int64: "BIGINT",
    pl.UInt8: "UTINYINT",
    pl.UInt16: "USMALLINT",
    pl.UInt32: "UINTEGER",
    pl.UInt64: "UBIGINT",
    pl.Float32: "FLOAT",
    pl.Float64: "DOUBLE",
    pl.Date: "DATE",
    pl.Time: "TIME",
    pl.Duration: "INTERVAL",
    pl.Binary: "BLOB",
}


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """Open (or create) the warehouse read-write with the `raw` schema and the ledger in place.

    Only one process may hold it read-write (DuckDB's file lock): the pipeline's loading step.
    """
    from warehouse import ledger  # ledger owns its DDL; imported here to keep modules acyclic

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    ledger.create_table(con)
    return con


def duckdb_type(dtype: pl.DataType) -> str:
    """The DuckDB type that holds a polars dtype without loss (lists and structs recursively)."""
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMPTZ" if dtype.time_zone else "TIMESTAMP"
    if isinstance(dtype, pl.Decimal):
        return f"DECIMAL({dtype.precision or 38}, {dtype.scale or 0})"
    if isinstance(dtype, pl.List):
        return f"{duckdb_type(dtype.inner)}[]"
    if isinstance(dtype, pl.Array):
        return f"{duckdb_type(dtype.inner)}[{dtype.size}]"
    if isinstance(dtype, pl.Struct):
        fields = ", ".join(f'"{f.name}" {duckdb_type(f.dtype)}' for f in dtype.fields)
        return f"STRUCT({fields})"
    for polars_type, sql_type in _SIMPLE_TYPES.items():
        if dtype == polars_type or isinstance(dtype, polars_type):
            return sql_type
    raise TypeError(f"no DuckDB type for polars dtype {dtype!r}")


def table_columns(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, str]:
    """Column name -> DuckDB type of `raw.<name>` (empty if the table does not exist)."""
    return raw_columns(con, name).get(name, {})


def raw_columns(
    con: duckdb.DuckDBPyConnection, name: str | None = None
) -> dict[str, dict[str, str]]:
    """Table -> column name -> DuckDB type for every table in `raw` (or only `name`), in one
    catalog query: `ensure_raw_tables` asked once per table (~3 ms each through
    information_schema), ~0.1 s of every load and build."""
    sql = (
        "select table_name, column_name, data_type from duckdb_columns() "
        "where database_name = current_database() and schema_name = ?"
    )
    params = [RAW_SCHEMA]
    if name is not None:
        sql += " and table_name = ?"
        params.append(name)
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.execute(
        sql + " order by table_name, column_index", params
    ).fetchall():
        found.setdefault(table, {})[column] = data_type
    return found


def check_name(name: str) -> str:
    """Raw table and column names are plain lower-case identifiers, so they never need quoting."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain lower-case identifier: {name!r}")
    return name


def ensure_table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    schema: pl.Schema,
    existing: dict[str, str] | None = None,
) -> None:
    """Create `raw.<name>` from a polars schema if missing; add columns the schema gained.
    `existing`: its columns as `raw_columns` read them, if the caller has them.

    Columns are never dropped or retyped here: a changed type is an error at load time, because
    rows already loaded under the old type would silently mean something else.
    """
    check_name(name)
    if name in RESERVED_TABLES:
        raise ValueError(f"raw.{name} is the document ledger, not a frame table")
    columns = {check_name(col): duckdb_type(dtype) for col, dtype in schema.items()}
    if "source_sha256" not in columns:
        raise ValueError(f"raw.{name}: every raw table needs a source_sha256 column")
    if existing is None:
        existing = table_columns(con, name)
    if not existing:
        body = ", ".join(f"{col} {sql_type}" for col, sql_type in columns.items())
        con.execute(f"create table if not exists {RAW_SCHEMA}.{name} ({body})")
        return
    for col, sql_type in columns.items():
        if col not in existing:
            con.execute(f"alter table {RAW_SCHEMA}.{name} add column {col} {sql_type}")
