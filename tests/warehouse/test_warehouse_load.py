"""Raw tables from polars schemas, the document ledger and whole-document loads on a real file."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest
from synthetic import RAW_SCHEMAS, meta, plan_frames, sha

from warehouse import db, ledger, load

A, B = sha("document a"), sha("document b")


def _count(con: duckdb.DuckDBPyConnection, table: str, sha256: str | None = None) -> int:
    if sha256 is None:
        return con.execute(f"select count(*) from raw.{table}").fetchone()[0]
    return con.execute(
        f"select count(*) from raw.{table} where source_sha256 = ?", [sha256]
    ).fetchone()[0]


def _all_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {name: _count(con, name) for name in RAW_SCHEMAS}


@pytest.mark.parametrize(
    ("dtype", "sql"),
    [
        (pl.String, "VARCHAR"),
        (pl.Int32, "INTEGER"),
        (pl.Int64, "BIGINT"),
        (pl.UInt8, "UTINYINT"),
        (pl.Float64, "DOUBLE"),
        (pl.Boolean, "BOOLEAN"),
        (pl.Date, "DATE"),
        (pl.Datetime("us"), "TIMESTAMP"),
        (pl.Datetime("us", "Europe/Kyiv"), "TIMESTAMPTZ"),
        (pl.Decimal(18, 2), "DECIMAL(18, 2)"),
        (pl.List(pl.String), "VARCHAR[]"),
        (pl.List(pl.List(pl.Float64)), "DOUBLE[][]"),
        (pl.Array(pl.Float64, 4), "DOUBLE[4]"),
        (pl.Struct({"a": pl.Int32, "b": pl.String}), 'STRUCT("a" INTEGER, "b" VARCHAR)'),
        (pl.Categorical(), "VARCHAR"),
    ],
)
def test_polars_types_map_to_duckdb(dtype: pl.DataType, sql: str) -> None:
    assert db.duckdb_type(dtype) == sql


def test_a_type_without_a_mapping_is_an_error() -> None:
    with pytest.raises(TypeError, match="Object"):
        db.duckdb_type(pl.Object())


def test_connect_creates_raw_schema_and_ledger(warehouse_path) -> None:
    con = db.connect(warehouse_path)
    try:
        assert list(db.raw_columns(con)) == ["documents"]
        assert ledger.entries(con) == []
    finally:
        con.close()
    con = db.connect(warehouse_path)  # again: nothing to create, nothing lost
    con.close()


def test_ensure_table_creates_typed_tables_and_adds_new_columns(con) -> None:
    for name, schema in RAW_SCHEMAS.items():
        db.ensure_table(con, name, schema)
        db.ensure_table(con, name, schema)  # idempotent
    plan = db.table_columns(con, "plan_execution")
    assert list(plan) == list(RAW_SCHEMAS["plan_execution"])
    assert plan["executors"] == "VARCHAR[]"
    assert plan["report_year"] == "INTEGER"
    assert plan["deadline_end_date"] == "DATE"
    assert db.table_columns(con, "document_rows")["bbox"] == "DOUBLE[]"

    wider = pl.Schema({**RAW_SCHEMAS["document_rows"], "ocr_confidence": pl.Float64})
    db.ensure_table(con, "document_rows", wider)
    assert db.table_columns(con, "document_rows")["ocr_confidence"] == "DOUBLE"


@pytest.mark.parametrize(
    ("name", "schema", "message"),
    [
        ("documents", {"source_sha256": pl.String}, "ledger"),
        ("Bad-Name", {"source_sha256": pl.String}, "identifier"),
        ("no_provenance", {"value": pl.String}, "source_sha256"),
    ],
)
def test_ensure_table_refuses(con, name: str, schema: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        db.ensure_table(con, name, pl.Schema(schema))


def test_load_inserts_every_frame_and_records_the_ledger(con) -> None:
    rows = load.load_document(con, meta(A), plan_frames(A))
    assert rows == 15
    assert _all_counts(con) == {"plan_execution": 5, "document_references": 5, "document_rows": 5}
    entry = ledger.get(con, A)
    assert entry["state"] == "loaded"
    assert entry["rows_loaded"] == 15
    assert entry["loaded_at"] == entry["processed_at"] == entry["first_seen_at"]
    executors, start = con.execute(
        "select executors, deadline_start_date from raw.plan_execution where item_number = '2'"
    ).fetchone()
    assert executors == ["ДОЗ", "ДІТЗІ"]
    assert start == date(2021, 1, 1)


def test_loading_the_same_document_again_replaces_its_rows(con) -> None:
    load.load_document(con, meta(A), plan_frames(A))
    load.load_document(con, meta(B, "other.pdf"), plan_frames(B, file_name="other.pdf"))
    load.load_document(con, meta(A), plan_frames(A))
    assert _count(con, "plan_execution", A) == 5  # not doubled
    first_seen = ledger.get(con, A)["first_seen_at"]

    fewer = [(1, "1", ["ДОЗ"], "not_done"), (2, "2", ["ДОЗ"], "done")]
    assert load.load_document(con, meta(A, version="v2"), plan_frames(A, fewer)) == 6
    statuses = con.execute(
        "select item_number, status from raw.plan_execution where source_sha256 = ? order by 1",
        [A],
    ).fetchall()
    assert statuses == [("1", "not_done"), ("2", "done")]
    assert _count(con, "document_rows", A) == 2
    assert _count(con, "plan_execution", B) == 5  # the other document is untouched
    entry = ledger.get(con, A)
    assert (entry["extractor_version"], entry["rows_loaded"]) == ("v2", 6)
    assert entry["first_seen_at"] == first_seen


def test_a_frame_with_a_wrong_column_type_rolls_the_whole_load_back(con) -> None:
    load.load_document(con, meta(A), plan_frames(A))
    before_counts, before_entry = _all_counts(con), ledger.get(con, A)

    frames = plan_frames(A, [(1, "9", ["ДОЗ"], "done")])  # would replace 5 measures by 1 ...
    frames["document_references"] = frames["document_references"].with_columns(
        pl.col("position").cast(pl.String)  # ... but this frame no longer fits its table
    )
    with pytest.raises(load.FrameError, match="position"):
        load.load_document(con, meta(A, version="v2"), frames)

    assert _all_counts(con) == before_counts
    assert ledger.get(con, A) == before_entry


def test_an_error_inside_duckdb_after_the_inserts_rolls_back_too(con) -> None:
    load.load_document(con, meta(A), plan_frames(A))
    before_counts, before_entry = _all_counts(con), ledger.get(con, A)
    broken = ledger.DocumentMeta(sha256=A, file_name=None)  # type: ignore[arg-type]
    with pytest.raises(duckdb.ConstraintException):  # ledger file_name is NOT NULL
        load.load_document(con, broken, plan_frames(A, [(1, "1", ["ДОЗ"], "done")]))
    assert _all_counts(con) == before_counts
    assert ledger.get(con, A) == before_entry
    load.load_document(con, meta(B), plan_frames(B))  # the connection is still usable
    assert _count(con, "plan_execution", B) == 5


def test_rows_of_another_document_are_refused(con) -> None:
    frames = plan_frames(A)
    frames["document_rows"] = plan_frames(B)["document_rows"]
    with pytest.raises(load.FrameError, match="source_sha256"):
        load.load_document(con, meta(A), frames)
    assert ledger.get(con, A) is None
    assert list(db.raw_columns(con)) == ["documents"]  # even the tables the load created are gone


def test_empty_frames_load_and_create_their_tables(con) -> None:
    frames = {name: pl.DataFrame(schema=schema) for name, schema in RAW_SCHEMAS.items()}
    assert load.load_document(con, meta(A), frames) == 0
    assert set(db.raw_columns(con)) == {"documents", *RAW_SCHEMAS}
    assert ledger.get(con, A)["state"] == "loaded"


def test_ledger_version_rule(con) -> None:
    def v1(doc_type: str | None) -> str:
        return "v1"

    def v2(doc_type: str | None) -> str:
        return "v2"

    assert not ledger.is_current(con, A, v1)  # never seen
    load.load_document(con, meta(A, version="v1"), plan_frames(A))
    assert ledger.is_current(con, A, v1)
    assert not ledger.is_current(con, A, v2)  # a new extractor reads it again

    ledger.record_failure(con, meta(A, version="v2"), "quarantined", "validation_failed", "bad")
    assert ledger.is_current(con, A, v2)  # deterministic: not again with v2
    entry = ledger.get(con, A)
    assert (entry["state"], entry["reason_code"]) == ("quarantined", "validation_failed")
    assert entry["loaded_at"] is not None and entry["rows_loaded"] == 15
    assert _count(con, "plan_execution", A) == 5  # the earlier good rows stay

    ledger.record_failure(con, {"sha256": B, "file_name": "b.pdf"}, "failed", "timeout", "slow")
    assert not ledger.is_current(con, B, v2)  # failed is retried
    assert ledger.get(con, B)["rows_loaded"] == 0
    assert [e["sha256"] for e in ledger.entries(con, "failed")] == [B]
    assert {e["sha256"] for e in ledger.entries(con)} == {A, B}


@pytest.mark.parametrize("state", ["loaded", "done"])
def test_record_failure_takes_only_failure_states(con, state: str) -> None:
    with pytest.raises(ValueError, match="state"):
        ledger.record_failure(con, meta(A), state, "x", "y")


def test_record_failure_needs_sha256_and_file_name(con) -> None:
    with pytest.raises(ValueError, match="sha256 and file_name"):
        ledger.record_failure(con, {"sha256": A}, "quarantined", "x", "y")


def test_entries_refuses_an_unknown_state(con) -> None:
    with pytest.raises(ValueError, match="unknown ledger state"):
        ledger.entries(con, "lost")
