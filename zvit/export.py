"""Export every published mart to files analysts open without DuckDB: CSV, Parquet or Excel.

The analysts' read-only connection (external access off) refuses `COPY … TO`, so this opens its own:
an in-memory DuckDB that attaches the published marts file read-only (the file is never written)
and writes beside nothing but `out_dir`.

- **parquet** keeps native types (lists, structs, dates, decimals) and is written by DuckDB's COPY.
- **csv** is UTF-8 with a byte-order mark, so Excel shows Cyrillic instead of mojibake.
- **xlsx** is one workbook per mart (a sheet named after it).

CSV and Excel have no lists or structs: a list is joined with "; ", a struct (or a list element
that is one) is written as JSON with its Cyrillic as is. HUGEINT sums become BIGINT in every
format (Parquet has no 128-bit integer and DuckDB would write a DOUBLE; the sums fit in 64 bits).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import duckdb

Format = Literal["csv", "parquet", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "parquet", "xlsx")
LIST_SEPARATOR = "; "
CATALOG = "zvit_marts"


@dataclass(frozen=True)
class ExportedFile:
    """One mart written to one file."""

    mart: str
    path: Path
    rows: int


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _is_nested(data_type: str) -> bool:
    return data_type.startswith(("STRUCT", "MAP", "UNION")) or "[" in data_type


def readable_expression(column: str, data_type: str, *, flat: bool) -> str:
    """SQL for one column of the export: as is, HUGEINT as BIGINT, and for `flat` formats
    (CSV, Excel) lists joined with "; " and structs as JSON text."""
    ref = _quote(column)
    if data_type == "HUGEINT":
        return f"cast({ref} as bigint) as {ref}"
    if not flat or not _is_nested(data_type):
        return ref
    if data_type.endswith("[]"):
        element = data_type[:-2]
        to_text = "cast(to_json(x) as varchar)" if _is_nested(element) else "cast(x as varchar)"
        return (
            f"array_to_string(list_transform({ref}, lambda x: {to_text}), "
            f"{_literal(LIST_SEPARATOR)}) as {ref}"
        )
    return f"cast(to_json({ref}) as varchar) as {ref}"


def connect_marts(marts_path: Path | str) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the published marts attached read-only as `zvit_marts`."""
    marts_path = Path(marts_path)
    if not marts_path.exists():
        raise FileNotFoundError(f"no published marts at {marts_path}: run `zvit run` first")
    con = duckdb.connect()
    con.execute(f"attach {_literal(str(marts_path))} as {CATALOG} (read_only)")
    return con


def mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table and view of the attached marts file, sorted."""
    return [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? order by table_name",
            [CATALOG],
        ).fetchall()
    ]


def export_query(con: duckdb.DuckDBPyConnection, mart: str, *, flat: bool) -> str:
    """`select …` of one mart with every column made exportable (see `readable_expression`)."""
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and table_name = ? order by column_index",
        [CATALOG, mart],
    ).fetchall()
    select = ", ".join(readable_expression(c, t, flat=flat) for c, t in columns)
    return f"select {select} from {CATALOG}.main.{_quote(mart)}"


def export_marts(marts_path: Path | str, out_dir: Path | str, fmt: Format) -> list[ExportedFile]:
    """Write one `<mart>.<fmt>` per mart of the published file into `out_dir`."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect_marts(marts_path)
    try:
        written = []
        for mart in mart_names(con):
            path = out_dir / f"{mart}.{fmt}"
            query = export_query(con, mart, flat=fmt != "parquet")
            if fmt == "parquet":
                con.execute(f"copy ({query}) to {_literal(str(path))} (format parquet)")
                (rows,) = con.execute(
                    f"select count(*) from read_parquet({_literal(str(path))})"
                ).fetchone()
            else:
                frame = con.sql(query).pl()
                rows = frame.height
                if fmt == "csv":
                    frame.write_csv(path, include_bom=True)
                else:
                    frame.write_excel(path, worksheet=mart[:31], autofit=True)
            written.append(ExportedFile(mart, path, rows))
        return written
    finally:
        con.close()
