"""Publishing the marts: open sessions keep their snapshot, new ones see the new file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from warehouse import publish

READER = textwrap.dedent(
    """
    import sys
    from warehouse.publish import open_marts

    con = open_marts(sys.argv[1])
    print(con.execute("select count(*) from fct_plan_measures").fetchone()[0], flush=True)
    sys.stdin.readline()  # wait until the test has published a new file
    print(con.execute("select count(*) from marts.fct_plan_measures").fetchone()[0], flush=True)
    """
)


def _build_warehouse(path: Path, measures: int) -> None:
    """A warehouse as dbt leaves it: marts in schema `marts`, other things elsewhere."""
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema if not exists marts")
        con.execute("create schema if not exists raw")
        con.execute("create or replace table raw.secret as select 'raw rows stay private' as note")
        con.execute(
            "create or replace table marts.fct_plan_measures as "
            f"select i as plan_measure_id, ['ДОЗ'] as executors from range({measures}) t(i)"
        )
        con.execute("comment on table marts.fct_plan_measures is 'One row per plan measure.'")
        con.execute(
            "comment on column marts.fct_plan_measures.executors is 'Codes of executing units.'"
        )
        con.execute("create or replace table marts.dim_units as select 'ДОЗ' as unit_code")
    finally:
        con.close()


def _count(marts_path: Path) -> int:
    con = publish.open_marts(marts_path)
    try:
        return con.execute("select count(*) from marts.fct_plan_measures").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "warehouse.duckdb", tmp_path / "marts.duckdb"


def test_publish_copies_only_the_marts_with_their_comments(paths) -> None:
    warehouse, marts = paths
    _build_warehouse(warehouse, 3)
    counts = publish.publish_marts(warehouse, marts)
    assert counts == {"marts.dim_units": 1, "marts.fct_plan_measures": 3}
    con = publish.open_marts(marts)
    try:
        tables = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() order by 2"
        ).fetchall()
        assert tables == [
            ("main", "dim_units", None),
            ("main", "fct_plan_measures", "One row per plan measure."),
        ]
        assert con.execute(
            "select comment from duckdb_columns() where column_name = 'executors'"
        ).fetchone() == ("Codes of executing units.",)
        assert con.execute("select executors from fct_plan_measures limit 1").fetchone() == (
            ["ДОЗ"],
        )
    finally:
        con.close()
    assert sorted(p.name for p in marts.parent.iterdir()) == ["marts.duckdb", "warehouse.duckdb"]


def test_open_sessions_keep_the_old_snapshot_and_new_ones_see_the_new(paths) -> None:
    warehouse, marts = paths
    _build_warehouse(warehouse, 3)
    publish.publish_marts(warehouse, marts)

    # An analyst's session in another process, opened before the next publish.
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(marts)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "3"
        _build_warehouse(warehouse, 7)
        publish.publish_marts(warehouse, marts)  # the reader's open file does not block this
        assert _count(marts) == 7
        out, _ = reader.communicate("go\n", timeout=30)
        assert out.strip() == "3"
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0


def test_a_failed_publish_leaves_the_published_file_alone(paths, tmp_path: Path) -> None:
    warehouse, marts = paths
    _build_warehouse(warehouse, 3)
    publish.publish_marts(warehouse, marts)
    with pytest.raises(duckdb.Error):
        publish.publish_marts(tmp_path / "missing" / "warehouse.duckdb", marts)
    assert _count(marts) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["marts.duckdb", "warehouse.duckdb"]


def test_marts_sessions_cannot_read_other_files(paths, tmp_path: Path) -> None:
    warehouse, marts = paths
    _build_warehouse(warehouse, 1)
    publish.publish_marts(warehouse, marts)
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n")
    con = publish.open_marts(marts)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"select * from read_csv('{secret}')").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute(f"attach '{warehouse}' as w (read_only)")
        with pytest.raises(duckdb.Error):  # lock_configuration: cannot switch it back on
            con.execute("set enable_external_access = true")
        with pytest.raises(duckdb.Error):  # and the file is read-only
            con.execute("create table fct_new as select 1")
    finally:
        con.close()


def test_the_published_file_is_written_in_an_older_storage_format(paths) -> None:
    """DuckDB 2.0 writes storage 2.0 by default, which BI clients on DuckDB 1.1-1.4 cannot open."""
    warehouse, marts = paths
    _build_warehouse(warehouse, 3)
    publish.publish_marts(warehouse, marts)
    assert publish.storage_version_number(marts) == 64  # the v1.0.0 format: DuckDB 0.10 and later
    default = marts.with_name("default.duckdb")
    duckdb.connect(str(default)).close()
    assert publish.storage_version_number(default) != 64  # what publishing would write otherwise
    con = publish.open_marts(marts)
    try:
        assert con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = 'marts'"
        ).fetchall() == [("v1.0.0+",)]
        assert con.execute(
            "select comment from duckdb_columns() where column_name = 'executors'"
        ).fetchall() == [("Codes of executing units.",)]
    finally:
        con.close()
    assert sorted(p.name for p in marts.parent.iterdir()) == [
        "default.duckdb",
        "marts.duckdb",
        "warehouse.duckdb",
    ]  # no temporary file or WAL left beside it
