"""A row broken by a page whose page-break edge has no ruling line is not lost (STACK.md)."""

from __future__ import annotations

from typing import Any

import pdfplumber
import pytest
from reader_golden import FIXTURES, compare_table, load_truth, truth_tables

import reader.pdf
from reader import read_document
from reader.settings import DEFAULT_SETTINGS

PLAN_PDF = FIXTURES / "plan_execution/plan_2021.pdf"
BOTTOM_RULE_Y = 544.7
"""Page 1 of plan_2021.pdf: the line closing row 2, which goes on to page 2."""


def _without_bottom_rule(obj: dict[str, Any]) -> bool:
    is_rule = obj["object_type"] == "line" and abs(obj["top"] - BOTTOM_RULE_Y) < 1
    return not (is_rule and obj["top"] == obj["bottom"])


def test_pdfplumber_alone_drops_the_piece() -> None:
    with pdfplumber.open(PLAN_PDF) as pdf:
        page = pdf.pages[0].filter(_without_bottom_rule)
        (table,) = page.find_tables(DEFAULT_SETTINGS.table_settings())
        assert [row[0] for row in table.extract()][-1] == "1"


def test_the_piece_comes_back_with_a_warning() -> None:
    warnings: list[str] = []
    with pdfplumber.open(PLAN_PDF) as pdf:
        page = pdf.pages[0].filter(_without_bottom_rule)
        items = reader.pdf._page_items(page, 1, DEFAULT_SETTINGS, warnings)
    (fragment,) = [item for _, item in items if isinstance(item, reader.model.Fragment)]
    assert fragment.parts[-1].cells[0] == "2"
    assert warnings and "no ruling line" in warnings[0]


def test_whole_document_still_matches_the_truth(monkeypatch: pytest.MonkeyPatch) -> None:
    original = reader.pdf._page_items

    def page_items(page: Any, page_no: int, *args: Any) -> Any:
        if page_no == 1:
            page = page.filter(_without_bottom_rule)
        return original(page, page_no, *args)

    monkeypatch.setattr(reader.pdf, "_page_items", page_items)
    doc = read_document(PLAN_PDF)
    truth = load_truth("plan_2021")
    exact, problems = compare_table(doc.tables[0], truth_tables(truth)[0], truth, pdf=True)
    assert exact == len(truth_tables(truth)[0]["rows"])
    assert problems == []
    assert len(doc.warnings) == 1
