"""Compare a read table with the corpus truth (`zvit-corpus-truth/1`), row by row."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from reader import Document, read_document
from reader.model import Row, Table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
SAMPLES = {
    "plan_2021": "plan_execution/plan_2021",
    "anticorruption_2019": "anticorruption/anticorruption_2019",
    "itd_immis_final": "assistance_project/itd_immis_final",
    "service_card_immigration": "service_card/service_card_immigration",
}


PRODUCERS = ("chromium", "reportlab", "chromium_rows", "reportlab_rows", "libreoffice_rows")
"""Other producers that printed the samples (tools/producers.py): a `fmt` of its own here, a PDF
with a sidecar truth under the type's `producers/`. The `_rows` ones rule the rows only."""
NOT_YET_EXACT = {
    ("itd_immis_final", "libreoffice_rows"): "not rendered: its grid twin's rows cannot be located"
}
"""Renders left out of the committed matrix (tools.producers.NOT_YET_EXACT), and why."""
RENDERS = [(s, f) for s in SAMPLES for f in PRODUCERS if (s, f) not in NOT_YET_EXACT]
"""Every committed producer render: (sample, fmt)."""


def sample_path(sample: str, fmt: str) -> Path:
    """The sample's file: `fmt` "pdf" or "docx" (LibreOffice's render, Word's file) or a producer
    (its PDF); the suffix ".json" gives the truth that goes with it."""
    if fmt in PRODUCERS:
        base = FIXTURES / SAMPLES[sample]
        return base.parent / "producers" / f"{base.name}.{fmt}.pdf"
    return FIXTURES / f"{SAMPLES[sample]}.{fmt}"


def is_pdf(fmt: str) -> bool:
    return fmt != "docx"


@cache
def read_sample(sample: str, fmt: str) -> Document:
    """A sample read once per test session (the PDFs take seconds each); do not mutate it."""
    return read_document(sample_path(sample, fmt))


def load_truth(sample: str, fmt: str = "pdf") -> dict[str, Any]:
    """The sample's truth; for a producer's render, its sidecar (that render's `pdf` part)."""
    path = sample_path(sample, fmt if fmt in PRODUCERS else "pdf").with_suffix(".json")
    return json.loads(path.read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Whitespace runs to one space (the corpus's comparison rule)."""
    return re.sub(r"\s+", " ", text).strip()


def no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def truth_tables(truth: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for b in truth["blocks"] if b["type"] == "table"]


def expected_cells(row: dict[str, Any], n_columns: int) -> list[str]:
    """Truth cells widened to one per column: a span's covered columns are ""."""
    if row["kind"] == "group":
        return [row["text"]]
    span = {int(k): v for k, v in row.get("span", {}).items()}
    out: list[str] = []
    for j, cell in enumerate(row["cells"]):
        out.append(cell)
        out.extend([""] * (span.get(j, 1) - 1))
    out.extend([""] * (n_columns - len(out)))
    return out


def row_mismatches(
    got: Row, want: dict[str, Any], n_columns: int, ambiguous: set[tuple[str, int]]
) -> list[str]:
    """Why `got` differs from the truth row (empty when it matches)."""
    problems: list[str] = []
    if got.kind != want["kind"]:
        return [f"{want['ref']}: kind {got.kind} != {want['kind']}"]
    cells = expected_cells(want, n_columns)
    if len(got.cells) != len(cells):
        return [f"{want['ref']}: {len(got.cells)} cells != {len(cells)}"]
    for j, (a, b) in enumerate(zip(got.cells, cells, strict=True)):
        if squash(a) == squash(b):
            continue
        if (want["ref"], j) in ambiguous and no_space(a) == no_space(b):
            continue
        problems.append(f"{want['ref']} col {j}: {squash(a)[:120]!r} != {squash(b)[:120]!r}")
    if want["kind"] == "data" and sorted(got.vmerge) != sorted(want.get("vmerge", [])):
        problems.append(f"{want['ref']}: vmerge {got.vmerge} != {want.get('vmerge', [])}")
    return problems


def ambiguous_cells(truth: dict[str, Any], table: dict[str, Any]) -> set[tuple[str, int]]:
    keys = [c["key"] for c in table["columns"]]
    return {
        (a["ref"], keys.index(a["col"]))
        for a in truth["pdf"].get("line_join_ambiguities", [])
        if a["col"] in keys
    }


def compare_table(
    got: Table, want: dict[str, Any], truth: dict[str, Any], pdf: bool
) -> tuple[int, list[str]]:
    """(rows exact, problems) of a read table against a truth table block."""
    n_columns = len(want["columns"])
    ambiguous = ambiguous_cells(truth, want) if pdf else set()
    problems: list[str] = []
    exact = 0
    if len(got.rows) != len(want["rows"]):
        problems.append(f"{len(got.rows)} rows != {len(want['rows'])}")
    for got_row, want_row in zip(got.rows, want["rows"], strict=False):
        row_problems = row_mismatches(got_row, want_row, n_columns, ambiguous)
        if pdf and not row_problems:
            pages = [got_row.page_first, got_row.page_last]
            if pages != truth["pdf"]["rows"][want_row["ref"]]:
                row_problems.append(
                    f"{want_row['ref']}: pages {pages} != {truth['pdf']['rows'][want_row['ref']]}"
                )
        if row_problems:
            problems.extend(row_problems)
        else:
            exact += 1
    return exact, problems


def assert_tables_match(doc: Document, truth: dict[str, Any], *, pdf: bool) -> None:
    """Every logical table of `doc` equals the truth's, header and rows, row by row."""
    wants = truth_tables(truth)
    assert len(doc.tables) == len(wants)
    for got, want in zip(doc.tables, wants, strict=True):
        assert [squash(h) for h in got.header] == [squash(c["header"]) for c in want["columns"]]
        exact, problems = compare_table(got, want, truth, pdf=pdf)
        assert problems == []
        assert exact == len(want["rows"])
        assert [r.index for r in got.rows] == list(range(len(got.rows)))
