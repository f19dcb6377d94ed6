"""anticorruption on the 2019 report: the truth-built Document, then the real reader's PDF and DOCX.

Every cell is compared with the truth after whitespace normalisation; the truth's PDF line-join
ambiguities are skipped for the PDF only.
"""

from __future__ import annotations

import copy
import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from reader.model import Document, Paragraph, Row, RowPart, Table
from tests.support.truth import (
    ANTICORRUPTION_TRUTH,
    PLAN_TRUTH,
    collapse,
    document_from_truth,
    golden_cases,
    golden_frames,
)
from tests.support.truth import load_truth as _load_truth
from transforms import anticorruption, plan_execution, registry
from transforms.anticorruption import SCHEMAS, normalise

VARIANTS = sorted((ANTICORRUPTION_TRUTH.parent / "variants").glob("*.json"))
REWORDED = sorted((ANTICORRUPTION_TRUTH.parent / "reworded").glob("*.json"))
"""Reworded headers and columns reordered (tools/reworded.py): DOCX only."""
CASES = [*golden_cases(ANTICORRUPTION_TRUTH, VARIANTS), *((path, "docx") for path in REWORDED)]
FIELDS = {
    "measure": "measure",
    "deadline_text": "deadline",
    "responsible_text": "responsible",
    "status_text": "status",
}
"""anticorruption output column -> truth measure key."""
TRUTH_COL = {"measure": "name", "status_text": "status"}
"""Output column -> the column name the truth's line-join ambiguities use."""


def test_variants_are_there() -> None:
    """Another year, other column widths, portrait (tools/anticorruption.py)."""
    assert {p.stem for p in VARIANTS} >= {
        "anticorruption_2020_synthetic",
        "anticorruption_2019_widths",
        "anticorruption_2019_portrait",
    }


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"{c[0].stem}-{c[1]}")
def case(request: pytest.FixtureRequest) -> tuple:
    return request.param


@pytest.fixture(scope="module")
def source(case: tuple) -> str:
    return case[1]


@pytest.fixture(scope="module")
def truth(case: tuple) -> dict:
    return _load_truth(case[0])


@pytest.fixture(scope="module")
def frames(case: tuple) -> dict[str, pl.DataFrame]:
    return golden_frames(*case, "anticorruption")


@pytest.fixture(scope="module")
def measures(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return frames["anticorruption"]


def test_schemas_are_exact(frames: dict[str, pl.DataFrame]) -> None:
    assert set(frames) == set(SCHEMAS)
    for name, frame in frames.items():
        assert frame.schema == pl.Schema(SCHEMAS[name]), name


def test_counts_per_appendix_and_area(measures: pl.DataFrame, truth: dict) -> None:
    assert measures.height == 42
    assert measures["measure_index"].to_list() == list(range(42))
    per_appendix = measures.group_by("appendix_number").agg(
        pl.len(), pl.col("area_number").n_unique().alias("areas")
    )
    assert sorted(per_appendix.rows()) == [(1, 14, 5), (2, 28, 8)]
    assert measures["record_key"].n_unique() == 42
    assert measures["programme_year"].unique().to_list() == [truth["data"]["programme_year"]]


def test_output_passes_the_validation_suites(frames: dict[str, pl.DataFrame]) -> None:
    from zvit.validation import Validator

    validator = Validator()
    for name, frame in frames.items():
        assert validator.validate(name, frame) == [], name


def test_every_cell_equals_the_truth(source: str, truth: dict, measures: pl.DataFrame) -> None:
    ambiguous = {
        (a["ref"], a["col"]) for a in truth["pdf"]["line_join_ambiguities"] if source == "pdf"
    }
    appendices = {a["number"]: a["title"] for a in truth["data"]["appendices"]}
    areas = {a["id"]: a["title"] for a in truth["data"]["areas"]}
    for row, m in zip(measures.iter_rows(named=True), truth["data"]["measures"], strict=True):
        assert row["appendix_number"] == m["appendix"], m["id"]
        assert row["appendix_title"] == appendices[m["appendix"]], m["id"]
        assert str(row["area_number"]) == m["area"], m["id"]
        assert row["area_title"] == areas[m["area_id"]], m["id"]
        assert row["number_printed"] == (m["no_printed"] or None), m["id"]
        assert row["measure_number"] == m["number"], m["id"]
        assert row["measure_position"] == m["position"], m["id"]
        assert row["item_label"] == m["item_label"], m["id"]
        for ours, key in FIELDS.items():
            if (m["id"], TRUTH_COL.get(ours, key)) in ambiguous:
                continue
            assert collapse(row[ours]) == (collapse(m[key]) or None), (m["id"], ours)


def test_pages(source: str, truth: dict, measures: pl.DataFrame) -> None:
    pages = measures.select("page_first", "page_last").rows()
    if source == "docx":
        assert measures["page_first"].null_count() == 42
    else:
        assert pages == [tuple(truth["pdf"]["rows"][m["id"]]) for m in truth["data"]["measures"]]


def test_split_rows_are_merged_back(source: str, truth: dict, measures: pl.DataFrame) -> None:
    """2.1's state text, 5.1's and 5.4's name text continue on the next page in the 2019 PDF."""
    by_key = {r["record_key"]: r for r in measures.iter_rows(named=True)}
    want = {m["id"]: m for m in truth["data"]["measures"]}
    ambiguous = {
        (a["ref"], a["col"]) for a in truth["pdf"]["line_join_ambiguities"] if source == "pdf"
    }
    for key, ref, col in [
        ("1|2|2.1|1", "ac1-2.1-1", "status_text"),
        ("1|5|5.1|1", "ac1-5.1-1", "measure"),
        ("1|5|5.4|1", "ac1-5.4-1", "measure"),
    ]:
        if (ref, TRUTH_COL.get(col, FIELDS[col])) in ambiguous:
            continue  # a render that broke a word there (reportlab)
        assert collapse(by_key[key][col]) == collapse(want[ref][FIELDS[col]])
    # The sub-items of 2.1 in the second appendix's area 1 stay apart (1), 2) … 5)).
    first = measures.filter(pl.col("appendix_number") == 2, pl.col("area_number") == 1)
    assert first.select("measure_number", "measure_position").rows()[:6] == [
        ("1", 1), ("1", 2), ("1", 3), ("1", 4), ("1", 5), ("2", 1),
    ]  # fmt: skip


def test_persons_and_units(measures: pl.DataFrame) -> None:
    first = measures.row(0, named=True)
    assert first["responsible_units"] == ["ВПЗВК", "COMPETITION_COMMISSION", "УП"]
    assert [(p["name"], p["unit"]) for p in first["responsible_persons"]] == [
        ("Гребенюк С.В.", "ВПЗВК"),
        ("Донський С.М.", "COMPETITION_COMMISSION"),
        ("Селіванов С.В.", "УП"),
    ]
    area_4 = measures.filter(
        pl.col("appendix_number") == 2, pl.col("area_number") == 4, pl.col("measure_position") == 1
    ).row(0, named=True)
    assert area_4["responsible_units"] == ["УКЕС", "ВПЗВК", "SSP_APARAT", "TERRITORIAL_BODIES"]
    assert area_4["responsible_persons"] == []
    # Every person has a surname and initials, and a unit whenever the cell gives one.
    persons = measures["responsible_persons"].explode().drop_nulls()
    assert persons.len() > 20
    assert persons.struct.field("initials").str.contains(r"^\p{Lu}\.\p{Lu}\.$").all()


def test_deadlines(truth: dict, measures: pl.DataFrame) -> None:
    y = truth["data"]["programme_year"]
    rows = {r["deadline_text"]: r for r in measures.iter_rows(named=True)}
    december = rows[f"Грудень {y} року"]
    assert (december["deadline_kind"], december["deadline_dates"]) == (
        "month",
        [dt.date(y, 12, 31)],
    )
    quarterly = next(r for t, r in rows.items() if t.startswith("Березень Червень"))
    assert quarterly["deadline_dates"] == [
        dt.date(y, 3, 31), dt.date(y, 6, 30), dt.date(y, 9, 30), dt.date(y, 12, 31),
    ]  # fmt: skip
    assert rows[f"До 15 квітня {y} року"]["deadline_end_date"] == dt.date(y, 4, 15)
    assert rows["Щоденно"]["deadline_is_recurring"]
    relative = next(r for t, r in rows.items() if t.startswith("Протягом 3 робочих"))
    assert relative["deadline_is_event_relative"] and relative["deadline_dates"] == []
    assert rows["У встановлені законодавством строки"]["deadline_is_event_relative"]
    two_years = next(r for t, r in rows.items() if f"05 січня {y + 1}" in t)
    assert two_years["deadline_dates"][-1] == dt.date(y + 1, 1, 5)


def test_status_classes(truth: dict, measures: pl.DataFrame) -> None:
    got = dict(measures["status"].value_counts().iter_rows())
    assert got == truth["counts"]["status_class_hints"]
    assert measures["status"].to_list() == [
        m["status_class_hint"] for m in truth["data"]["measures"]
    ]


def test_references_are_keyed_by_measure(truth: dict, frames: dict[str, pl.DataFrame]) -> None:
    refs = frames["document_references"]
    keys = set(frames["anticorruption"]["record_key"])
    assert refs.height > 10
    assert set(refs["record_key"]) <= keys
    assert refs["doc_type"].unique().to_list() == ["anticorruption"]
    assert refs["field"].unique().to_list() == ["status"]
    order = refs.filter(pl.col("record_key") == "1|3|3.1|1").row(0, named=True)
    assert (order["kind"], order["reference_date"], order["number"]) == (
        "order",
        dt.date(truth["data"]["programme_year"], 2, 26),
        "29/аг",
    )


def test_types_are_told_apart() -> None:
    anti = document_from_truth(ANTICORRUPTION_TRUTH)
    assert registry.detect(anti) == "anticorruption"
    assert not plan_execution.matches(anti)
    assert not anticorruption.matches(document_from_truth(PLAN_TRUTH))


def test_columns_found_by_meaning_not_position() -> None:
    doc = document_from_truth(ANTICORRUPTION_TRUTH)
    want = normalise(doc)["anticorruption"]
    order = [0, 4, 3, 1, 2]
    shuffled = copy.deepcopy(doc)
    table = shuffled.tables[0]
    table.header = [table.header[i] for i in order]
    for row in table.rows:
        if row.kind == "data":
            row.cells = [row.cells[i] for i in order]
    assert_frame_equal(normalise(shuffled)["anticorruption"], want)


def _split_table(second_name: str, second_rest: list[str]) -> Table:
    """One numbered row whose second piece sits at the top of the next page."""
    first = RowPart(["1.", "1) перший захід", "Грудень 2019 року", "ВПЗВК", "Виконано"], page=1)
    second = RowPart(["", second_name, *second_rest], page=2, at_page_top=True)
    rows = [
        Row(kind="group", cells=["Додаток 1 до програми"], index=0, parts=[
            RowPart(["Додаток 1 до програми"], page=1, kind="group")]),
        Row(kind="group", cells=["1. Напрям"], index=1, parts=[
            RowPart(["1. Напрям"], page=1, kind="group")]),
        Row(kind="data", cells=list(first.cells), index=2, page_first=1, page_last=1,
            parts=[first]),
        Row(kind="data", cells=list(second.cells), index=3, page_first=2, page_last=2,
            parts=[second]),
    ]  # fmt: skip
    header = ["№", "Найменування заходу", "Строк виконання", "Відповідальні", "Стан виконання"]
    return Table(header=header, rows=rows, index=0, page_first=1, page_last=2)


def _doc(table: Table) -> Document:
    title = "Звітна інформація про виконання Антикорупційної програми ДМС на 2020 рік"
    return Document(
        file_name="x.pdf", sha256="0" * 64, format="pdf", pages=2,
        blocks=[Paragraph(text=title), table], reader_version="test",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "rest", "n", "positions"),
    [
        ("2) другий захід", ["Березень 2020 року", "УП", "Виконано"], 2, [1, 2]),
        ("заходу на сторінці", ["", "", "далі"], 1, [1]),
        ("ДМС, зокрема", ["2020 року", "апарату ДМС", "опрацювання"], 1, [1]),
    ],
    ids=["new_sub_item", "continuation", "continuation_starting_with_an_abbreviation"],
)
def test_page_top_piece_with_an_empty_number(name, rest, n, positions) -> None:
    got = normalise(_doc(_split_table(name, rest)))["anticorruption"]
    assert got.height == n
    assert got["measure_position"].to_list() == positions
    assert got["programme_year"].to_list() == [2020] * n
    if n == 1:
        assert got["measure"][0].endswith(name)
        assert (got["page_first"][0], got["page_last"][0]) == (1, 2)


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("Додаток 2", "group"),
        ("4. Запобігання корупції у сфері публічних закупівель", "group"),
        ("Проведення навчань", "data"),
    ],
)
def test_a_data_row_that_lost_its_group_cells_is_regrouped(cell: str, kind: str) -> None:
    """Found by the fuzz run: the appendix pattern's inline flag made the alternation raise."""
    row = Row(kind="data", cells=["", cell, "", ""], index=3)
    got = anticorruption.regroup(row)
    assert got.kind == kind
    assert got.cells == ([cell] if kind == "group" else row.cells)
