"""Columns by meaning, then by content (tools/reworded.py; the golden comparisons of these reports
run in test_plan_execution_reader.py and test_anticorruption.py).

A header no vocabulary knows is recognised by its cells, and the document's warnings say so by
column key and position, never with cell text. A required column whose header and cells are both
unrecognisable is `missing_column`, naming the column and the (short) headers: never
`unknown_type`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import read_document
from reader.errors import DocumentError
from reader.model import Document, Paragraph, Row, Table
from tests.support.truth import FIXTURES
from transforms import columns, registry

UNREADABLE = FIXTURES.parent / "reworded" / "plan_2021_unknown_measure.docx"


def _cells(truth_path: Path) -> set[str]:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    table = next(b for b in truth["blocks"] if b["type"] == "table")
    return {c for r in table["rows"] for c in r.get("cells", []) if c and len(c) >= 3}


@pytest.mark.parametrize(
    ("path", "want"),
    [
        (
            FIXTURES / "plan_execution/reworded/plan_2021_wording_c.docx",
            {"no": 1, "executor": 3, "deadline": 4},
        ),
        (FIXTURES / "anticorruption/reworded/anticorruption_2019_wording_b.docx", {"deadline": 5}),
        (FIXTURES / "service_card/reworded/service_card_immigration_wording.docx", {"unit": 4}),
    ],
    ids=lambda v: v.stem if isinstance(v, Path) else "",
)
def test_unknown_headers_are_recognised_by_their_cells(path: Path, want: dict[str, int]) -> None:
    doc = read_document(path)
    registry.doc_type(registry.detect(doc)).normalise(doc)
    assert sorted(doc.warnings) == sorted(
        columns.inferred_warning(k, i - 1) for k, i in want.items()
    )
    cells = _cells(path.with_suffix(".json"))
    assert not any(c in w for w in doc.warnings for c in cells)


def test_a_required_column_unknown_by_header_and_cells_is_missing_column() -> None:
    doc = read_document(UNREADABLE)
    assert registry.detect(doc) == "plan_execution"  # the title names it: not unknown_type
    with pytest.raises(DocumentError) as info:
        registry.doc_type("plan_execution").normalise(doc)
    assert info.value.code == "missing_column"
    assert "column 'measure' (Зміст заходу) not found" in info.value.detail
    assert "2: Графа 2" in info.value.detail and "5: Стан виконання" in info.value.detail
    cells = _cells(UNREADABLE.with_suffix(".json"))
    assert not any(c in info.value.message for c in cells)


def test_long_headers_are_cut_in_reasons() -> None:
    header = ["№", "Дуже довгий заголовок " * 5, "Термін"]
    table = Table(header, [Row("data", ["1", "x", "y"], 0)], 0)
    doc = Document(
        "t.docx", "ab" * 32, "docx", None, [Paragraph("План роботи за 2021 рік"), table], "t"
    )
    with pytest.raises(DocumentError) as info:
        registry.doc_type(registry.detect(doc)).normalise(doc)
    assert info.value.code == "missing_column"
    assert all(len(h) <= columns.HEADER_CHARS + 4 for h in info.value.detail.split("; ")[1:])


@pytest.mark.parametrize(
    ("cell", "test", "want"),
    [
        ("1.1.", columns.is_item_number, True),
        ("Зміст", columns.is_item_number, False),
        ("до 1 квітня", columns.is_deadline, True),
        ("IV квартал", columns.is_deadline, True),
        ("01.02.2021", columns.is_deadline, True),
        ("Проведення навчання працівників", columns.is_deadline, False),
        ("ДОЗ, ДІТЗІ", columns.is_units, True),
        ("структурні підрозділи апарату ДМС", columns.is_units, True),
        ("Проведення навчання працівників ДМС", columns.is_units, False),
    ],
)
def test_cell_tests(cell: str, test, want: bool) -> None:
    assert test(cell) is want
