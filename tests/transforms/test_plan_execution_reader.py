"""The golden checks again, on what the real reader makes of the fixture PDF and DOCX.

The truth-built Document (test_plan_execution.py) pins the transform; this pins the whole path.
Cells the truth lists as PDF line-join ambiguities are skipped for the PDF only.
"""

from __future__ import annotations

import polars as pl
import pytest

from reader import read_document
from tests.support.truth import PLAN_FIELDS, PLAN_TRUTH, collapse, golden_cases, load_truth
from transforms import registry

VARIANTS = sorted((PLAN_TRUTH.parent / "variants").glob("*.json"))
REWORDED = sorted((PLAN_TRUTH.parent / "reworded").glob("*.json"))
"""Reworded headers, columns reordered and dropped (tools/reworded.py): DOCX only."""
CASES = [case for case in golden_cases(PLAN_TRUTH, VARIANTS) if case[1] != "truth"]
CASES += [(t, "docx") for t in REWORDED]
"""The PDF and DOCX of the plan and its variants, the plan as other producers printed it, and
the reworded reports."""


def test_variants_are_there() -> None:
    """Reworded + reordered headers, 6 columns in portrait, and another year with other statuses."""
    assert {p.stem for p in VARIANTS} >= {
        "plan_2021_reworded_reordered",
        "plan_2021_six_columns_portrait",
        "plan_2022_synthetic",
    }


def test_reworded_are_there() -> None:
    assert len(REWORDED) >= 3


@pytest.mark.parametrize(("truth_path", "fmt"), CASES, ids=lambda c: getattr(c, "stem", c))
def test_reader_output_matches_truth(truth_path, fmt: str) -> None:
    truth = load_truth(truth_path)
    doc = read_document(truth_path.with_suffix(f".{fmt}"))
    assert registry.detect(doc) == "plan_execution"
    title = " ".join(
        truth["data"].get("title_lines")
        or [b["text"] for b in truth["blocks"] if b.get("role") == "title"]
    )
    year = int(title.split(" за ")[-1].split()[0])
    assert registry.report_year(doc) == year
    plan = registry.DOC_TYPES["plan_execution"].normalise(doc)["plan_execution"]
    assert plan.height == truth["counts"]["measures"]
    counts = {k: v for k, v in truth["counts"]["status_classes"].items() if v}
    assert dict(plan["status"].value_counts().iter_rows()) == counts
    ambiguous = {
        (a["ref"], a["col"]) for a in truth["pdf"]["line_join_ambiguities"] if fmt == "pdf"
    }
    measures = truth["data"]["measures"]
    for row, m in zip(plan.iter_rows(named=True), measures, strict=True):
        assert row["item_number"] == m["no"]
        assert row["status"] == m["status_class"]
        for ours, key in PLAN_FIELDS.items():
            if (m["id"], key) in ambiguous:
                continue
            assert collapse(row[ours]) == (collapse(m[key]) or None), (m["no"], ours)
    if fmt == "pdf":
        want = [tuple(truth["pdf"]["rows"][m["id"]]) for m in measures]
        assert plan.select("page_first", "page_last").rows() == want
    else:
        assert plan["page_first"].null_count() == plan.height
    sections = {str(k): v for k, v in truth["counts"]["measures_per_section"].items()}
    got = plan.group_by("section_number").len().rows()
    assert {str(k): v for k, v in got} == sections
    not_done = plan.filter(pl.col("status") == "not_done")["status_reason"].to_list()
    assert not_done == ["no_funding"] * truth["counts"]["status_classes"]["not_done"]
