"""A real `dbt build` (seeds, models, data tests, unit tests) on real DuckDB files, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
import yaml

from tests.warehouse import synthetic as s
from transforms import registry
from warehouse import db, ledger, load, publish
from warehouse import dbt as dbt_runner
from zvit.pipeline import dbt_vars
from zvit.provenance import TITLES_SCHEMA, TITLES_TABLE
from zvit.settings import PROJECT_DIR

A, B, C = s.sha("plan 2021 pdf"), s.sha("plan 2021 docx"), s.sha("broken scan")
MODELS = PROJECT_DIR / "dbt_project/models"
MART_TABLES = {f"marts.{sql.stem}" for sql in (MODELS / "marts").rglob("*.sql")}
"""Every model under models/marts/ is a table in schema marts (dbt_project.yml)."""
STATUSES = sum(
    len(values)
    for key, values in registry.vocabularies().items()
    if key.endswith(".status") and key in registry.labels_uk()
)
"""Rows of dim_statuses: every status of every type that labels its statuses."""
SEEDED = {"marts.dim_units": 4, "marts.dim_statuses": STATUSES, "marts.units_needing_names": 1}
"""Mart rows that come from the seed and the vocabularies alone (the seed lists ДІТЗІ unnamed)."""
UNIT_TESTS = {
    test["name"]
    for path in MODELS.rglob("*.yml")
    for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests", [])
}


def _query(data_dir: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _build(dbt_project: Path, data_dir: Path) -> dbt_runner.BuildResult:
    result = dbt_runner.build(dbt_project, dbt_project, data_dir, dbt_vars())
    assert result.success, result.failures
    return result


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse whose raw tables exist but hold no rows, as the pipeline leaves it first."""
    data = tmp_path_factory.mktemp("data")
    con = db.connect(data / "warehouse.duckdb")
    try:
        for name, schema in s.RAW_SCHEMAS.items():
            db.ensure_table(con, name, schema)
        db.ensure_table(con, TITLES_TABLE, TITLES_SCHEMA)
        # Every registered type's tables, as the pipeline creates them before dbt runs.
        for module in registry.DOC_TYPES.values():
            for name, schema in module.SCHEMAS.items():
                db.ensure_table(con, name, pl.Schema(schema))
    finally:
        con.close()
    return data


@pytest.fixture(scope="module")
def empty_build(dbt_project: Path, data_dir: Path) -> dbt_runner.BuildResult:
    return _build(dbt_project, data_dir)


@pytest.fixture(scope="module")
def first_build(empty_build, dbt_project: Path, data_dir: Path) -> dbt_runner.BuildResult:
    con = db.connect(data_dir / "warehouse.duckdb")
    try:
        load.load_document(con, s.meta(A, "plan_2021.pdf"), s.plan_frames(A, file_name="plan.pdf"))
    finally:
        con.close()
    return _build(dbt_project, data_dir)


def test_empty_warehouse_builds(empty_build, dbt_project: Path, data_dir: Path) -> None:
    assert set(empty_build.row_counts) == MART_TABLES
    assert empty_build.row_counts == {**dict.fromkeys(MART_TABLES, 0), **SEEDED}
    target, logs = dbt_runner.target_dirs(data_dir)
    assert (target / "run_results.json").exists() and (logs / "dbt.log").exists()
    assert not (dbt_project / "target").exists() and not (dbt_project / "logs").exists()


def test_build_runs_unit_tests_and_data_tests(first_build, data_dir: Path) -> None:
    target, _ = dbt_runner.target_dirs(data_dir)
    results = json.loads((target / "run_results.json").read_text())["results"]
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert kinds == {"seed", "model", "test", "unit_test"}
    unit_tests = {
        r["unique_id"].split(".")[-1] for r in results if r["unique_id"].startswith("unit")
    }
    assert unit_tests == UNIT_TESTS and len(unit_tests) >= 7
    assert all(r["status"] in ("success", "pass") for r in results)


def test_marts_of_one_document(first_build, data_dir: Path) -> None:
    assert first_build.row_counts == {
        **dict.fromkeys(MART_TABLES, 0),  # the other types' marts are empty
        **SEEDED,
        "marts.dim_documents": 1,
        "marts.dim_units": 5,  # the seed's 4 + one code the report uses that the seed lacks
        "marts.units_needing_names": 2,  # ДІТЗІ (seeded without a name) and that code
        "marts.bridge_plan_measure_units": 7,  # one per measure and unit it lists
        "marts.fct_document_references": 5,
        "marts.fct_plan_measures": 5,
        "marts.plan_execution_by_executor": 4,
        "marts.plan_execution_by_section": 2,
    }
    assert _query(
        data_dir,
        "select report_year, section_number, section_title, measures, done, partially_done, "
        "not_done, execution_rate from marts.plan_execution_by_section order by 2",
    ) == [(2021, 1, "Розділ 1", 3, 2, 0, 1, 0.6667), (2021, 2, "Розділ 2", 2, 1, 1, 0, 0.5)]
    assert _query(
        data_dir,
        "select unit_code, measures, done, execution_rate "
        "from marts.plan_execution_by_executor order by 1",
    ) == [
        ("TERRITORIAL_BODIES", 1, 0, 0.0),
        ("ДІТЗІ", 2, 1, 0.5),
        ("ДОЗ", 3, 2, 0.6667),
        ("НОВИЙ_ПІДРОЗДІЛ", 1, 1, 1.0),
    ]
    assert _query(data_dir, "select unit_code from marts.dim_units where not is_in_seed") == [
        ("НОВИЙ_ПІДРОЗДІЛ",)
    ]
    assert _query(
        data_dir,
        "select count(*) from marts.fct_document_references r "
        "join marts.fct_plan_measures m using (plan_measure_id) where m.item_number = r.record_key",
    ) == [(5,)]
    # Staging computes every record id once: a reference's cited_by_record_id is its measure's id.
    assert _query(
        data_dir,
        "select count(*) from marts.fct_document_references "
        "where cited_by_record_id = plan_measure_id",
    ) == [(5,)]
    assert _query(
        data_dir,
        "select executors, deadline_end_date::varchar, status, is_latest_report, page_first "
        "from marts.fct_plan_measures where item_number = '4'",
    ) == [(["TERRITORIAL_BODIES", "ДОЗ"], "2021-03-31", "partially_done", True, 2)]


def test_units_without_a_name_are_listed_for_the_data_owner(first_build, data_dir: Path) -> None:
    assert _query(
        data_dir,
        "select unit_code, unit_name, needs_name, name_source, plan_measures "
        "from marts.dim_units where unit_code in ('ДОЗ', 'ДІТЗІ', 'НОВИЙ_ПІДРОЗДІЛ') order by 1",
    ) == [
        ("ДІТЗІ", None, True, None, 2),
        ("ДОЗ", "Департамент організаційного забезпечення", False, "a made-up test name", 3),
        ("НОВИЙ_ПІДРОЗДІЛ", None, True, None, 1),
    ]
    assert _query(
        data_dir,
        "select unit_code, is_in_seed, plan_measures, anticorruption_measures, measures, "
        "source_files from marts.units_needing_names order by measures desc",
    ) == [("ДІТЗІ", True, 2, 0, 2, ["plan.pdf"]), ("НОВИЙ_ПІДРОЗДІЛ", False, 1, 0, 1, ["plan.pdf"])]


def test_the_bridge_makes_per_unit_questions_a_join(first_build, data_dir: Path) -> None:
    """ "Which units have the most unfinished measures" with joins only, equal to the unnest()."""
    joined = _query(
        data_dir,
        "select units.unit_code, coalesce(units.unit_name, units.unit_code), count(*) "
        "from marts.bridge_plan_measure_units as bridge "
        "join marts.fct_plan_measures as measures using (plan_measure_id) "
        "join marts.dim_units as units using (unit_code) "
        "where measures.is_latest_report and measures.status <> 'done' "
        "group by all order by 3 desc, 1",
    )
    unnested = _query(
        data_dir,
        "select unit, coalesce(unit_name, unit), count(*) from marts.fct_plan_measures, "
        "unnest(executors) as e(unit) left join marts.dim_units on unit_code = unit "
        "where is_latest_report and status <> 'done' group by all order by 3 desc, 1",
    )
    assert (
        joined
        == unnested
        == [
            ("TERRITORIAL_BODIES", "Територіальні органи ДМС", 1),
            ("ДІТЗІ", "ДІТЗІ", 1),  # no name: the code stands in
            ("ДОЗ", "Департамент організаційного забезпечення", 1),
        ]
    )
    assert _query(
        data_dir,
        "select unit_code, unit_position from marts.bridge_plan_measure_units "
        "join marts.fct_plan_measures using (plan_measure_id) where item_number = '4' order by 2",
    ) == [("TERRITORIAL_BODIES", 1), ("ДОЗ", 2)]


def test_status_labels_are_the_python_ones(first_build, data_dir: Path) -> None:
    labels = registry.labels_uk()
    rows = _query(data_dir, "select status, status_label_uk from marts.fct_plan_measures")
    assert rows and all(label == labels["plan_execution.status"][code] for code, label in rows)
    assert _query(
        data_dir,
        "select report_type, status, status_label_uk, status_order, counts_as_executed "
        "from marts.dim_statuses order by report_type desc, status_order",
    ) == [
        (key.split(".")[0], code, labels[key][code], order, code == "done")
        for key in labels
        for order, code in enumerate(registry.vocabularies()[key], start=1)
    ]


@pytest.fixture(scope="module")
def second_build(first_build, dbt_project: Path, data_dir: Path) -> dbt_runner.BuildResult:
    """The same report as DOCX (loaded later, other statuses), plus a quarantined document."""
    measures = [
        (1, "1", ["ДОЗ"], "done"),
        (1, "2", ["ДОЗ"], "done"),
        (1, "3", ["ДІТЗІ"], "done"),
        (2, "4", ["ДОЗ"], "postponed"),
    ]
    con = db.connect(data_dir / "warehouse.duckdb")
    try:
        load.load_document(con, s.meta(B, "plan.docx"), s.plan_frames(B, measures, "plan.docx"))
        ledger.record_failure(
            con, {"sha256": C, "file_name": "scan.pdf"}, "quarantined", "no_text_layer", "scan"
        )
    finally:
        con.close()
    return _build(dbt_project, data_dir)


def test_rates_count_the_years_latest_report_only(second_build, data_dir: Path) -> None:
    assert second_build.row_counts["marts.fct_plan_measures"] == 9  # both documents
    assert second_build.row_counts["marts.dim_documents"] == 3
    assert _query(
        data_dir,
        "select source_file, count(*) from marts.fct_plan_measures where is_latest_report "
        "group by 1",
    ) == [("plan.docx", 4)]
    assert _query(
        data_dir,
        "select section_number, measures, done, postponed, execution_rate "
        "from marts.plan_execution_by_section order by 1",
    ) == [(1, 3, 3, 0, 1.0), (2, 1, 0, 1, 0.0)]
    assert _query(
        data_dir,
        "select document_sha256, state, is_loaded, has_rows from marts.dim_documents "
        f"where document_sha256 = '{C}'",
    ) == [(C, "quarantined", False, False)]


def test_a_failing_data_test_fails_the_build_and_names_it(
    second_build, dbt_project: Path, data_dir: Path
) -> None:
    odd = s.sha("unexpected status")
    frames = s.plan_frames(odd, [(1, "1", ["ДОЗ"], "done")], "odd.pdf", year=2020)
    good = dict(frames)
    frames["plan_execution"] = frames["plan_execution"].with_columns(status=pl.lit("cancelled"))
    con = db.connect(data_dir / "warehouse.duckdb")
    try:
        load.load_document(con, s.meta(odd, "odd.pdf"), frames)
    finally:
        con.close()
    result = dbt_runner.build(dbt_project, dbt_project, data_dir, dbt_vars())
    assert not result.success
    # Caught on the raw table, so the models downstream are skipped and keep the last good build.
    (failure,) = result.failures
    assert failure.startswith("source_in_vocabulary_reports_plan_execution_status")
    assert "Got 1 result" in failure
    assert result.row_counts["marts.fct_plan_measures"] == 9

    con = db.connect(data_dir / "warehouse.duckdb")
    try:
        load.load_document(con, s.meta(odd, "odd.pdf"), good)  # a fixed extraction replaces it
    finally:
        con.close()
    fixed = _build(dbt_project, data_dir)
    assert fixed.row_counts["marts.fct_plan_measures"] == 10
    assert _query(
        data_dir,
        "select report_year, measures, done from marts.plan_execution_by_section "
        "where report_year = 2020",
    ) == [(2020, 1, 1)]


def test_published_marts_answer_analysts_questions(second_build, data_dir: Path, tmp_path) -> None:
    marts = tmp_path / "marts.duckdb"
    counts = publish.publish_marts(data_dir / "warehouse.duckdb", marts)
    assert set(counts) == MART_TABLES
    con = publish.open_marts(marts)
    try:
        assert con.execute(
            "select unit_name, measures from marts.plan_execution_by_executor "
            "join marts.dim_units using (unit_code) where unit_code = 'ДОЗ' and report_year = 2021"
        ).fetchall() == [("Департамент організаційного забезпечення", 3)]
        assert (
            con.execute(
                "select comment from duckdb_tables() where table_name = 'fct_plan_measures'"
            )
            .fetchone()[0]
            .startswith("One row per plan measure")
        )
    finally:
        con.close()


def test_published_marts_have_no_hugeint_and_open_in_older_duckdb(
    second_build, data_dir: Path, tmp_path
) -> None:
    """pandas and BI drivers read HUGEINT badly; clients bundling DuckDB 1.x cannot open 2.0."""
    marts = tmp_path / "marts.duckdb"
    publish.publish_marts(data_dir / "warehouse.duckdb", marts)
    assert publish.storage_version_number(marts) == publish.STORAGE_VERSION_NUMBER == 64
    con = publish.open_marts(marts)
    try:
        types = dict(
            con.execute(
                "select table_name || '.' || column_name, data_type "
                "from information_schema.columns where table_catalog = 'marts'"
            ).fetchall()
        )
        (tags,) = con.execute(
            "select tags from duckdb_databases() where database_name = 'marts'"
        ).fetchone()
    finally:
        con.close()
    assert len({column.split(".")[0] for column in types}) == len(MART_TABLES)
    assert {c: t for c, t in types.items() if "HUGEINT" in t or "INT128" in t} == {}
    assert "BIGINT" in types.values()  # counts are BIGINT (HUGEINT would show up above)
    assert tags["storage_version"] == f"{publish.STORAGE_VERSION}+"


def test_execution_rate_means_one_thing(second_build, data_dir: Path) -> None:
    """Every mart's execution_rate has one documented meaning (done / measures); a wider share
    has another name."""
    target, _ = dbt_runner.target_dirs(data_dir)
    manifest = json.loads((target / "manifest.json").read_text())
    described = {
        node["name"]: node["columns"]["execution_rate"]["description"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "execution_rate" in node["columns"]
    }
    assert {"plan_execution_by_section", "anticorruption_by_area"} <= set(described)
    assert len(set(described.values())) == 1
    assert next(iter(described.values())).startswith("done / measures")


def test_every_mart_column_is_documented(second_build, data_dir: Path) -> None:
    target, _ = dbt_runner.target_dirs(data_dir)
    manifest = json.loads((target / "manifest.json").read_text())
    models = {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    assert {f"marts.{name}" for name in models} == MART_TABLES
    for name, node in models.items():
        built = [
            c
            for (c,) in _query(
                data_dir,
                "select column_name from information_schema.columns "
                f"where table_schema = 'marts' and table_name = '{name}' order by ordinal_position",
            )
        ]
        documented = node["columns"]
        assert node["description"].startswith("One row per"), name
        assert set(documented) == set(built), name
        assert all(documented[c]["description"] for c in built), name


def test_docs_generate_writes_one_self_contained_file_outside_the_project(
    second_build, dbt_project: Path, data_dir: Path
) -> None:
    page = dbt_runner.docs_generate(dbt_project, dbt_project, data_dir, dbt_vars())
    assert page == dbt_runner.target_dirs(data_dir)[0] / "static_index.html"
    html = page.read_text(encoding="utf-8")
    # The manifest and catalog are inline (a file:// page cannot fetch manifest.json).
    assert "schemas.getdbt.com/dbt/manifest/" in html and "schemas.getdbt.com/dbt/catalog/" in html
    assert "model.zvit.bridge_plan_measure_units" in html and "units_needing_names" in html
    assert not (dbt_project / "target").exists()
