"""The dbt project against the registry: sources, staging models, vocabularies, record ids.

Read from the project's files (no build): a registered type whose raw table has no source or
staging model, or a vocabulary that differs from the Python one, fails here by itself.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from transforms import registry
from zvit.pipeline import dbt_vars
from zvit.settings import PROJECT_DIR

PROJECT = PROJECT_DIR / "dbt_project"
MODELS = PROJECT / "models"
NOT_TYPE_TABLES = {"documents", "document_rows", "document_titles"}
"""Source tables no document type owns: the ledger and the provenance rows."""


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _source_tables() -> dict[str, dict]:
    (source,) = _yaml(MODELS / "staging/_reports__sources.yml")["sources"]
    return {table["name"]: table for table in source["tables"]}


def _tests(entry: dict) -> list:
    return entry.get("data_tests", [])


def test_one_sources_file_with_every_raw_table() -> None:
    assert [p.name for p in MODELS.rglob("*sources*.yml")] == ["_reports__sources.yml"]
    assert set(_source_tables()) == set(registry.raw_schemas()) | NOT_TYPE_TABLES


def test_every_raw_table_has_a_staging_model() -> None:
    staged = {p.stem for p in (MODELS / "staging").glob("stg_reports__*.sql")}
    assert staged == {f"stg_reports__{t}" for t in [*registry.raw_schemas(), *NOT_TYPE_TABLES]}


def test_vocabularies_are_the_python_ones() -> None:
    """dbt keeps no copy: zvit passes the Python lists as `--vars`, and every one is tested."""
    assert "vars" not in _yaml(PROJECT / "dbt_project.yml")
    python = registry.vocabularies()
    assert dbt_vars()["vocabularies"] == {key: list(values) for key, values in python.items()}
    tested = {
        f"{table}.{column['name']}"
        for table, entry in _source_tables().items()
        for column in entry.get("columns", [])
        if "in_vocabulary" in _tests(column)
    }
    assert tested == set(python)


def test_no_other_list_of_a_vocabulary() -> None:
    """accepted_values and macros take the list from `var('vocabularies')`, never a copy."""
    vocabularies = {frozenset(values) for values in registry.vocabularies().values()}
    for path in MODELS.rglob("*.yml"):
        for model in _yaml(path).get("models", []):
            for column in model.get("columns", []):
                for test in _tests(column):
                    if isinstance(test, dict) and "accepted_values" in test:
                        values = test["accepted_values"]["arguments"]["values"]
                        assert frozenset(values) not in vocabularies, (path, column["name"])


def test_record_ids_are_computed_in_staging_only() -> None:
    """Marts and intermediate models join on staging's ids; they never hash keys again."""
    for path in [*(MODELS / "marts").rglob("*.sql"), *(MODELS / "intermediate").rglob("*.sql")]:
        sql = path.read_text(encoding="utf-8")
        assert not re.search(r"\bmd5\s*\(|\brecord_id\s*\(", sql), path
    staged = "".join(p.read_text(encoding="utf-8") for p in (MODELS / "staging").glob("*.sql"))
    assert staged.count("record_id('record_key')") >= 6


def test_every_status_has_a_ukrainian_label_beside_its_vocabulary() -> None:
    """Labels live with the Python lists (a type's `LABELS_UK`) and reach dbt with them."""
    labels, vocabularies = registry.labels_uk(), registry.vocabularies()
    assert dbt_vars()["labels_uk"] == labels
    statuses = {key for key in vocabularies if key.endswith(".status")}
    assert {"plan_execution.status", "anticorruption.status"} <= statuses <= set(labels)
    for key, values in labels.items():
        assert list(values) == list(vocabularies[key]), key  # every value, in the list's order
        assert all(label.strip() for label in values.values()), key
