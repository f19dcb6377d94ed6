"""The type contract as the layers after transforms rely on it, for every registered type.

Every raw table a type writes has a `record_key`, never null and unique within a document, and
the shared references point at the record that cites them (staging computes ids from these).
Each vocabulary is one Python list: the GX value sets equal it, and the golden output stays in it.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.support.truth import FIXTURES, golden_frames
from transforms import registry
from transforms.base import RECORD_KEY
from zvit.validation import Validator

ROOT = Path(__file__).resolve().parents[2]
CASES = [
    (path, name)
    for name in registry.DOC_TYPES
    for path in sorted((FIXTURES / name).glob("**/*.json"))
]


def _gx_value_sets() -> dict[str, set[str]]:
    """`table.column` -> the value set of each `expect_column_values_to_be_in_set` in the suites."""
    out: dict[str, set[str]] = {}
    for path in sorted((ROOT / "expectations").glob("*.json")):
        for exp in json.loads(path.read_text(encoding="utf-8"))["expectations"]:
            if exp["type"] == "expect_column_values_to_be_in_set":
                out[f"{path.stem}.{exp['kwargs']['column']}"] = set(exp["kwargs"]["value_set"])
    return out


def test_gx_value_sets_equal_the_python_vocabularies() -> None:
    python = {column: set(values) for column, values in registry.vocabularies().items()}
    assert _gx_value_sets() == python


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[1]}-{c[0].stem}")
def frames(request: pytest.FixtureRequest) -> tuple[str, dict[str, pl.DataFrame]]:
    path, name = request.param
    return name, golden_frames(path, "truth", name)


def test_record_keys(frames: tuple[str, dict[str, pl.DataFrame]]) -> None:
    name, out = frames
    for table, frame in out.items():
        assert frame.schema.get(RECORD_KEY) == pl.String, table
        assert frame[RECORD_KEY].null_count() == 0, table
        if table != "document_references":
            assert frame[RECORD_KEY].is_unique().all(), table
    refs = out.get("document_references")
    if refs is not None:
        assert set(refs[RECORD_KEY]) <= set(out[name][RECORD_KEY])


def test_output_stays_in_its_vocabularies(frames: tuple[str, dict[str, pl.DataFrame]]) -> None:
    _, out = frames
    for column, values in registry.vocabularies().items():
        table, col = column.split(".")
        if table in out:
            assert set(out[table][col].drop_nulls()) <= set(values), column


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def test_output_passes_its_suites(
    frames: tuple[str, dict[str, pl.DataFrame]], validator: Validator
) -> None:
    _, out = frames
    assert validator.validate_frames(out) == []
