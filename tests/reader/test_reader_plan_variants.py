"""The plan report's layout variants (reworded and reordered, six columns portrait, a 2022
synthetic report), PDF and DOCX, against their truth: every row exact, headers included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reader_golden import FIXTURES, compare_table, squash, truth_tables

from reader import read_document

VARIANTS = FIXTURES / "plan_execution" / "variants"
NAMES = sorted(p.stem for p in VARIANTS.glob("*.json"))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("name", NAMES)
def test_plan_variant(name: str, fmt: str) -> None:
    truth = json.loads((VARIANTS / f"{name}.json").read_text(encoding="utf-8"))
    doc = read_document(Path(VARIANTS / f"{name}.{fmt}"))
    wants = truth_tables(truth)
    assert len(doc.tables) == len(wants)
    for got, want in zip(doc.tables, wants, strict=True):
        assert [squash(h) for h in got.header] == [squash(c["header"]) for c in want["columns"]]
        exact, problems = compare_table(got, want, truth, pdf=fmt == "pdf")
        assert problems == []
        assert exact == len(want["rows"])


def test_there_are_variants() -> None:
    assert len(NAMES) >= 3
