"""Real nightly runs: a long PDF read in page ranges, and extraction on a Dask cluster, load
exactly what the default run loads; a range that fails quarantines its document."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.support.flows import run_nightly
from tests.support.pdfs import plan_with_unreadable_end
from zvit.settings import PROJECT_DIR

FIXTURES = PROJECT_DIR / "tests/fixtures"
PLAN_LONG = PROJECT_DIR / "benchmarks/data/plan_long.pdf"
SMALL = (
    FIXTURES / "documents/plan_execution/plan_2021.pdf",
    FIXTURES / "documents/anticorruption/anticorruption_2019.pdf",
)
CLOCK_COLUMNS = {"first_seen_at", "processed_at", "loaded_at"}


def warehouse_rows(data_dir: Path) -> dict[str, list[tuple]]:
    """Every table of the warehouse (raw tables, ledger, dbt's build), rows sorted, clock
    columns left out: equal dicts mean the same documents loaded into the same rows."""
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        columns: dict[str, list[str]] = {}
        for schema, table, column in con.execute(
            "select c.table_schema, c.table_name, c.column_name from information_schema.columns c "
            "join information_schema.tables t using (table_catalog, table_schema, table_name) "
            "where t.table_type = 'BASE TABLE' and c.table_catalog = current_database() "
            "order by c.ordinal_position"
        ).fetchall():
            if column not in CLOCK_COLUMNS:
                columns.setdefault(f'"{schema}"."{table}"', []).append(f'"{column}"')
        return {
            name: sorted(con.execute(f"select {', '.join(cols)} from {name}").fetchall(), key=repr)
            for name, cols in columns.items()
        }
    finally:
        con.close()


def _run(root: Path, files: tuple[Path, ...], mp: pytest.MonkeyPatch, **env: str) -> tuple:
    for name, value in env.items():
        mp.setenv(name, value)
    root.mkdir()
    _, data_dir, summary = run_nightly(root, files, keep_inbox=True)
    return warehouse_rows(data_dir), summary


def test_a_long_pdf_in_page_ranges_loads_what_one_worker_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, summary_one = _run(tmp_path / "one", (PLAN_LONG,), monkeypatch, ZVIT_PAGES_PER_WORKER="0")
    split, summary = _run(
        tmp_path / "split", (PLAN_LONG,), monkeypatch, ZVIT_PAGES_PER_WORKER="100"
    )
    assert [o["state"] for o in summary["outcomes"]] == ["loaded"]
    assert summary["outcomes"][0]["rows"] == summary_one["outcomes"][0]["rows"] > 0
    assert split == one


def test_a_failing_range_quarantines_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = plan_with_unreadable_end(tmp_path)
    _, summary = _run(tmp_path / "run", (bad,), monkeypatch, ZVIT_PAGES_PER_WORKER="30")
    [outcome] = summary["outcomes"]
    assert outcome["state"] == "quarantined"
    assert outcome["reason_code"] == "unmapped_glyphs"


def test_extraction_on_a_dask_cluster_loads_what_the_default_run_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster

    default, _ = _run(tmp_path / "default", SMALL, monkeypatch)
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        on_dask, summary = _run(
            tmp_path / "dask", SMALL, monkeypatch, ZVIT_DASK_ADDRESS=cluster.scheduler_address
        )
    assert sorted(o["state"] for o in summary["outcomes"]) == ["loaded", "loaded"]
    assert on_dask == default
