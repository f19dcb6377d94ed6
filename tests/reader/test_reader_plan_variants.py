"""The plan report's layout variants (reworded and reordered, six columns portrait, a 2022
synthetic report), PDF and DOCX, against their truth: every row exact, headers included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from reader_golden import FIXTURES, assert_tables_match

from reader import read_document

VARIANTS = FIXTURES / "plan_execution" / "variants"
NAMES = sorted(p.stem for p in VARIANTS.glob("*.json"))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("name", NAMES)
def test_plan_variant(name: str, fmt: str) -> None:
    truth = json.loads((VARIANTS / f"{name}.json").read_text(encoding="utf-8"))
    doc = read_document(Path(VARIANTS / f"{name}.{fmt}"))
    assert_tables_match(doc, truth, pdf=fmt == "pdf")


def test_there_are_variants() -> None:
    assert len(NAMES) >= 3
