"""The document-type contract, checked for every registered type and every fixture it ships.

Nothing here names a type: a new module in `transforms.registry.DOC_TYPES`, with its fixtures
under `tests/fixtures/documents/<type>/`, is picked up on its own and must keep the contract
(`transforms/base.py`): exact raw schemas, output that passes its suites, a record key per row,
detection as its own type and no other, a suite, a dbt source and a staging model per raw table,
and vocabularies that GX enforces exactly as the Python lists say. `test_dbt_project.py` holds the
dbt side: one sources file, a staging model per raw table, dbt's vocabularies, ids in staging only.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from reader import read_document
from reader.errors import REASONS as READER_REASONS
from tests.support.truth import document_from_truth, load_truth
from transforms import registry
from transforms.base import RECORD_KEY, DocType
from zvit.settings import PROJECT_DIR
from zvit.validation import Validator, load_suite_dict, suite_names

FIXTURES = PROJECT_DIR / "tests/fixtures/documents"
DBT_MODELS = PROJECT_DIR / "dbt_project/models"
SHARED_TABLES = {"document_references"}
"""Raw tables every type may write into; their rows are keyed by the citing record."""
TYPES = sorted(registry.DOC_TYPES)


def truth_files(doc_type: str) -> list[Path]:
    return sorted((FIXTURES / doc_type).rglob("*.json"))


CASES = [
    pytest.param(doc_type, path, source, id=f"{path.stem}-{source}")
    for doc_type in TYPES
    for path in truth_files(doc_type)
    for source in ("truth", "docx", "pdf")
    if (source == "truth" and path.parent.name != "producers")
    or path.with_suffix(f".{source}").exists()
]
"""Every fixture's truth-built Document and renders. A producer's render (`producers/`, from
tools/producers.py) joins with its PDF: the contract holds whoever printed the report; its
sidecar's blocks are its source truth's, so that truth is not checked twice."""


@functools.cache
def document(path: Path, source: str) -> Any:
    if source == "truth":
        return document_from_truth(path)
    return read_document(path.with_suffix(f".{source}"))


@functools.cache
def frames(doc_type: str, path: Path, source: str) -> dict[str, pl.DataFrame]:
    return registry.doc_type(doc_type).normalise(document(path, source))


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


@pytest.mark.parametrize("doc_type", TYPES)
def test_module_keeps_the_contract(doc_type: str) -> None:
    module = registry.doc_type(doc_type)
    assert isinstance(module, DocType)
    assert module.__name__ == f"transforms.{doc_type}" and doc_type == module.DOC_TYPE
    assert isinstance(module.VERSION, str) and module.VERSION
    for code, text in module.REASONS.items():
        assert READER_REASONS[code] == text, f"{code} is not registered with DocumentError"
    assert truth_files(doc_type), f"no fixtures under tests/fixtures/documents/{doc_type}/"
    for path in truth_files(doc_type):
        assert load_truth(path)["doc_type"] == doc_type, path


def test_a_type_change_rereads_only_that_type() -> None:
    versions = {t: registry.extractor_version(t) for t in TYPES}
    assert len(set(versions.values())) == len(TYPES)
    untyped = registry.extractor_version(None)
    assert all(f"{t}-{registry.doc_type(t).VERSION}" in untyped for t in TYPES)


@pytest.mark.parametrize(("doc_type", "path", "source"), CASES)
def test_output_has_the_exact_raw_schema(doc_type: str, path: Path, source: str) -> None:
    out = frames(doc_type, path, source)
    schemas = registry.doc_type(doc_type).SCHEMAS
    assert set(out) == set(schemas)
    for table, frame in out.items():
        assert frame.schema == pl.Schema(schemas[table]), table
        assert frame.height > 0 or table in SHARED_TABLES, f"{table} is empty"


@pytest.mark.parametrize(("doc_type", "path", "source"), CASES)
def test_every_record_has_a_key(doc_type: str, path: Path, source: str) -> None:
    out = frames(doc_type, path, source)
    for table, frame in out.items():
        keys = frame.get_column(RECORD_KEY)
        assert keys.null_count() == 0, table
        if table in SHARED_TABLES:
            # A reference carries the key of the record that cites it.
            assert set(keys) <= set(out[doc_type].get_column(RECORD_KEY)), table
            continue
        assert keys.n_unique() == frame.height, f"{table}: record keys repeat"
        assert frame.get_column("source_sha256").n_unique() == 1, table


@pytest.mark.parametrize(("doc_type", "path", "source"), CASES)
def test_output_stays_in_its_vocabularies(doc_type: str, path: Path, source: str) -> None:
    out = frames(doc_type, path, source)
    for key, values in registry.vocabularies().items():
        table, column = key.split(".")
        if table in out:
            assert set(out[table].get_column(column).drop_nulls()) <= set(values), key


@pytest.mark.parametrize(("doc_type", "path", "source"), CASES)
def test_output_passes_its_suites(
    doc_type: str, path: Path, source: str, validator: Validator
) -> None:
    assert validator.validate_frames(frames(doc_type, path, source)) == []


@pytest.mark.parametrize(("doc_type", "path", "source"), CASES)
def test_detected_as_its_type_and_no_other(doc_type: str, path: Path, source: str) -> None:
    doc = document(path, source)
    assert [t for t in TYPES if registry.doc_type(t).matches(doc)] == [doc_type]


def test_every_raw_table_has_a_suite() -> None:
    """Sources and staging models per raw table: tests/contract/test_dbt_project.py."""
    assert set(registry.raw_schemas()) <= set(suite_names())


def test_gx_value_sets_are_the_python_vocabularies() -> None:
    """One list per vocabulary: every GX value set is a Python one, and every Python one is a GX
    value set (dbt's lists: tests/contract/test_dbt_project.py)."""
    value_sets = {}
    for name in suite_names():
        for e in load_suite_dict(name)["expectations"]:
            if e["type"] == "expect_column_values_to_be_in_set":
                value_sets[f"{name}.{e['kwargs']['column']}"] = set(e["kwargs"]["value_set"])
    assert value_sets == {k: set(v) for k, v in registry.vocabularies().items()}


@pytest.mark.parametrize("doc_type", TYPES)
def test_every_type_has_documented_marts_of_its_own(doc_type: str) -> None:
    folder = DBT_MODELS / "marts" / doc_type
    models = {p.stem for p in folder.glob("*.sql")}
    assert models, f"models/marts/{doc_type}/ has no models"
    documented = {
        m["name"]: m
        for p in folder.glob("*.yml")
        for m in (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("models", [])
    }
    assert set(documented) == models
    assert all(m.get("description") for m in documented.values())
