"""Every raw table a type writes has a `record_key`, never null and unique within a document, and
the shared references point at the record that cites them (the contract staging ids rely on)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.support.truth import FIXTURES, golden_frames
from transforms import registry
from transforms.base import RECORD_KEY

CASES = [
    (path, name)
    for name in registry.DOC_TYPES
    for path in sorted((FIXTURES / name).glob("**/*.json"))
]


@pytest.mark.parametrize("path, name", CASES, ids=lambda v: v.stem if isinstance(v, Path) else v)
def test_record_keys(path: Path, name: str) -> None:
    frames = golden_frames(path, "truth", name)
    for table, frame in frames.items():
        assert frame.schema.get(RECORD_KEY) == pl.String, table
        assert frame[RECORD_KEY].null_count() == 0, table
        if table != "document_references":
            assert frame[RECORD_KEY].is_unique().all(), table
    refs = frames.get("document_references")
    if refs is not None and not refs.is_empty():
        assert set(refs[RECORD_KEY]) <= set(frames[name][RECORD_KEY])
