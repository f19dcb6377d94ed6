"""plan_execution on the truth-built 2021 report and on reworded / reordered variants of it."""

from __future__ import annotations

import copy
import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from reader.errors import DocumentError
from reader.model import Document, Paragraph, Row, Table
from tests.support.truth import (
    ANTICORRUPTION_TRUTH,
    ASSISTANCE_TRUTH,
    PLAN_FIELDS,
    PLAN_TRUTH,
    SERVICE_CARD_TRUTH,
    collapse,
    document_from_truth,
)
from transforms import plan_execution, registry
from transforms.plan_execution import SCHEMAS, normalise


@pytest.fixture(scope="module")
def plan(plan_doc: Document) -> pl.DataFrame:
    return normalise(plan_doc)["plan_execution"]


def _table(doc: Document) -> Table:
    return doc.tables[0]


def _permute(doc: Document, order: list[int], header: list[str] | None = None) -> Document:
    """A copy of `doc` whose table has its columns in `order` (and optionally new headers)."""
    out = copy.deepcopy(doc)
    t = _table(out)
    t.header = header or [t.header[i] for i in order]
    for r in t.rows:
        if r.kind == "data":
            r.cells = [r.cells[i] for i in order]
    return out


def test_schemas_are_exact(plan_doc: Document) -> None:
    frames = normalise(plan_doc)
    assert set(frames) == set(SCHEMAS)
    for name, frame in frames.items():
        assert frame.schema == pl.Schema(SCHEMAS[name]), name


def test_record_key_is_the_item_number_else_the_place() -> None:
    """A measure without a printed number is keyed "#<place>", in the plan and its references."""
    cells: dict[str, list[str | None]] = {c.key: [None, None] for c in plan_execution.COLUMNS}
    cells |= {
        "no": ["7.", None],
        "measure": ["Перший захід", "Другий захід"],
        "justification": [None, "наказ МВС від 25.11.2016 № 1250"],
    }
    rows = pl.LazyFrame(
        {"kind": ["data", "data"], "page_first": [1, 1], "page_last": [1, 1], **cells},
        schema={"kind": pl.String, "page_first": pl.Int32, "page_last": pl.Int32}
        | {k: pl.String for k in cells},
    )
    plan = plan_execution.measures(rows, "a" * 64, "plan.pdf", 2021)
    assert plan.select("record_key").collect().to_series().to_list() == ["7.", "#2"]
    refs = plan_execution.REPORT.references(plan, "a" * 64).collect()
    assert refs["record_key"].to_list() == ["#2"]


def test_golden_counts(plan: pl.DataFrame) -> None:
    assert plan.height == 64
    assert plan["measure_index"].to_list() == list(range(64))
    assert plan["item_number"].to_list() == [str(i) for i in range(1, 65)]
    per_section = plan.group_by("section_number").len().sort("section_number")
    assert per_section["len"].to_list() == [10, 4, 9, 15, 8, 9, 3, 6]
    assert dict(plan["status"].value_counts().iter_rows()) == {
        "done": 54,
        "partially_done": 4,
        "not_done": 3,
        "not_held": 3,
    }
    not_done = plan.filter(pl.col("status") == "not_done")
    assert not_done["status_reason"].to_list() == ["no_funding"] * 3
    assert plan["report_year"].unique().to_list() == [2021]


def test_golden_text_fields_equal_truth(plan: pl.DataFrame, plan_truth: dict) -> None:
    measures = plan_truth["data"]["measures"]
    for row, m in zip(plan.iter_rows(named=True), measures, strict=True):
        assert row["item_number"] == m["no"]
        assert row["section_number"] == m["section"]
        assert row["status"] == m["status_class"], m["no"]
        for ours, theirs in PLAN_FIELDS.items():
            assert collapse(row[ours]) == (collapse(m[theirs]) or None), (m["no"], ours)


def test_golden_sections_and_pages(plan: pl.DataFrame, plan_truth: dict) -> None:
    titles = {s["number"]: s["title"] for s in plan_truth["data"]["sections"]}
    for row in plan.select("section_number", "section_title").unique().iter_rows():
        assert titles[row[0]] == row[1]
    pages = plan_truth["pdf"]["rows"]
    got = plan.select("page_first", "page_last").rows()
    want = [tuple(pages[m["id"]]) for m in plan_truth["data"]["measures"]]
    assert got == want


def test_golden_deadlines_and_executors(plan: pl.DataFrame) -> None:
    by_no = {r["item_number"]: r for r in plan.iter_rows(named=True)}
    assert by_no["1"]["deadline_kind"] == "month"
    assert (by_no["1"]["deadline_start_date"], by_no["1"]["deadline_end_date"]) == (
        dt.date(2021, 1, 1),
        dt.date(2021, 1, 31),
    )
    assert by_no["5"]["deadline_end_date"] == dt.date(2021, 9, 15)
    assert by_no["2"]["deadline_condition"] == "залежно від епідеміологічної ситуації"
    assert by_no["2"]["executors"] == ["ДОЗ", "SSP_APARAT"]
    assert by_no["7"]["executors"] == ["УКЕС", "TERRITORIAL_BODIES"]
    assert by_no["26"]["executors"] == ["ВСКМ", "ДОЗ", "ДЮЗ", "ДПГР", "ДСЮБГ", "ДІТЗІ"]
    assert plan.filter(pl.col("deadline_kind") == "event").height == 3
    assert plan["deadline_kind"].null_count() == 0


def test_references_from_the_golden_document(plan_doc: Document) -> None:
    refs = normalise(plan_doc)["document_references"]
    first = refs.filter(pl.col("record_key") == "1").sort("field", "position")
    expected = pl.DataFrame(
        {
            "field": ["evidence", "justification", "justification"],
            "kind": ["letter", "law", "order"],
            "issuer": [None, None, "МВС"],
            "reference_date": [dt.date(2021, 1, 26), None, dt.date(2016, 11, 25)],
            "number": ["4.1.3-566/1-21", None, "1250"],
        },
        schema={
            "field": pl.String,
            "kind": pl.String,
            "issuer": pl.String,
            "reference_date": pl.Date,
            "number": pl.String,
        },
    )
    assert_frame_equal(first.select(expected.columns), expected)
    assert refs["doc_type"].unique().to_list() == ["plan_execution"]
    assert refs.filter(pl.col("kind") == "memo").height >= 2


def test_docx_document_has_no_pages() -> None:
    doc = document_from_truth(PLAN_TRUTH, with_pages=False)
    plan = normalise(doc)["plan_execution"]
    assert plan.height == 64
    assert plan["page_first"].null_count() == 64


def test_reordered_columns_give_the_same_rows(plan_doc: Document, plan: pl.DataFrame) -> None:
    shuffled = _permute(plan_doc, [3, 0, 6, 2, 5, 1, 4])
    assert_frame_equal(normalise(shuffled)["plan_execution"], plan)


def test_reworded_headers_map_by_meaning(plan_doc: Document, plan: pl.DataFrame) -> None:
    header = [
        "№ з/п",
        "Найменування заходу",
        "Відповідальні за виконання",
        "Строк виконання",
        "Стан виконання",
        "Обгрунтування",
        "Документи, що підтверджують виконання",
    ]
    reworded = _permute(plan_doc, list(range(7)), header=header)
    assert_frame_equal(normalise(reworded)["plan_execution"], plan)


def test_extra_columns_and_blank_rows_are_ignored(plan_doc: Document, plan: pl.DataFrame) -> None:
    wider = copy.deepcopy(plan_doc)
    t = _table(wider)
    t.header = ["Очікуваний результат", *t.header, "Примітка"]
    for r in t.rows:
        if r.kind == "data":
            r.cells = ["щось", *r.cells, ""]
    t.rows.insert(5, Row("data", [""] * 9, 5))
    assert_frame_equal(normalise(wider)["plan_execution"], plan)


def test_missing_justification_column_gives_null(plan_doc: Document, plan: pl.DataFrame) -> None:
    without = _permute(plan_doc, [0, 1, 2, 3, 4, 6])
    got = normalise(without)["plan_execution"]
    assert got["justification"].null_count() == 64
    assert_frame_equal(got.drop("justification"), plan.drop("justification"))


def test_missing_required_column_is_named(plan_doc: Document) -> None:
    without_deadline = _permute(plan_doc, [0, 1, 2, 4, 5, 6])
    with pytest.raises(DocumentError) as info:
        normalise(without_deadline)
    assert info.value.code == "missing_column"
    assert "column 'deadline' (Термін виконання) not found" in info.value.detail
    assert "Зміст заходу" in info.value.detail
    assert not plan_execution.matches(without_deadline)


def test_no_table() -> None:
    doc = Document("x.pdf", "0" * 64, "pdf", 1, [Paragraph("План роботи за 2021 рік")], "t")
    with pytest.raises(DocumentError) as info:
        normalise(doc)
    assert info.value.code == "no_table"


def _tiny(rows: list[Row], header: list[str] | None = None, title: str = "") -> Document:
    header = header or ["№", "Захід", "Виконавець", "Термін виконання", "Відмітка про виконання",
                        "Документи або інформація, що підтверджують виконання"]  # fmt: skip
    title = title or "Звіт про виконання Плану роботи ДМС за 2022 рік"
    return Document(
        "t.docx", "ab" * 32, "docx", None, [Paragraph(title), Table(header, rows, 0)], "t"
    )


EVIDENCE = "Лист від 01.02.2022 № 5"


def test_small_inline_document() -> None:
    doc = _tiny(
        [
            Row("group", ["Розділ 3. Інше"], 0),
            Row("data", ["1.", "Зробити", "ДОЗ,ДЮЗ", "до 1 квітня", "Виконано частково", ""], 1),
            Row("data", ["2", "Ще", "", "щодня", "Перенесено на 2023 рік", EVIDENCE], 2),
        ]
    )  # fmt: skip
    got = normalise(doc)["plan_execution"].select(
        "report_year", "section_number", "section_title", "item_number", "executors",
        "deadline_kind", "deadline_start_date", "deadline_end_date", "status", "evidence",
    )  # fmt: skip
    expected = pl.DataFrame(
        {
            "report_year": [2022, 2022],
            "section_number": [3, 3],
            "section_title": ["Інше", "Інше"],
            "item_number": ["1.", "2"],
            "executors": [["ДОЗ", "ДЮЗ"], []],
            "deadline_kind": ["date", "daily"],
            "deadline_start_date": [dt.date(2022, 1, 1), dt.date(2022, 1, 1)],
            "deadline_end_date": [dt.date(2022, 4, 1), dt.date(2022, 12, 31)],
            "status": ["partially_done", "postponed"],
            "evidence": [None, EVIDENCE],
        },
        schema_overrides={
            "report_year": pl.Int32,
            "section_number": pl.Int32,
            "executors": pl.List(pl.String),
        },
    )
    assert_frame_equal(got, expected)
    refs = normalise(doc)["document_references"]
    assert refs.select("record_key", "field", "kind", "number").rows() == [
        ("2", "evidence", "letter", "5")
    ]


def test_roman_section_numbers() -> None:
    doc = _tiny(
        [
            Row("group", ["Розділ IV. Четвертий"], 0),
            Row("data", ["1", "Зробити", "ДОЗ", "січень", "Виконано", ""], 1),
            Row("group", ["РОЗДІЛ ІХ Дев'ятий"], 2),
            Row("data", ["2", "Ще", "ДОЗ", "січень", "Виконано", ""], 3),
        ]
    )
    got = normalise(doc)["plan_execution"].select("section_number", "section_title").rows()
    assert got == [(4, "Четвертий"), (9, "Дев'ятий")]


def test_status_classes() -> None:
    texts = [
        "Виконано", "Виконано частково", "Не виконано у зв'язку з відсутністю фінансування",
        "Заходи не проводились", "Виконується", "Перенесено на 2022 рік", "", "???",
        "Виконано. Моніторинг здійснюється постійно",
    ]  # fmt: skip
    got = pl.DataFrame({"t": texts}).select(
        plan_execution.REPORT.status_expr(pl.col("t").replace("", None))
    )
    assert got.to_series().to_list() == [
        "done", "partially_done", "not_done", "not_held", "in_progress", "postponed",
        "unknown", "unknown", "done",
    ]  # fmt: skip


def test_registry_detects_plan_and_rejects_others(plan_doc: Document) -> None:
    assert registry.detect(plan_doc) == "plan_execution"
    assert registry.report_year(plan_doc) == 2021
    assert registry.report_title(plan_doc).startswith("ЗВІТ про результати виконання Плану")
    # A title that names another type makes it that type; its columns then decide.
    card = _tiny([], title="Технологічна картка адміністративної послуги")
    assert registry.detect(card) == "service_card"
    with pytest.raises(DocumentError) as info:
        registry.doc_type("service_card").normalise(card)
    assert info.value.code == "missing_column"
    other = _tiny([], title="Лист щодо надання інформації")
    with pytest.raises(DocumentError) as info:
        registry.detect(other)
    assert info.value.code == "unknown_type"
    for name, module in registry.DOC_TYPES.items():
        assert name == module.DOC_TYPE
        assert callable(module.matches) and callable(module.normalise)


def test_golden_output_passes_the_validation_suites(plan_doc: Document) -> None:
    from zvit.validation import Validator

    validator = Validator()
    for name, frame in normalise(plan_doc).items():
        assert validator.validate(name, frame) == [], name


@pytest.mark.parametrize(
    ("truth", "doc_type"),
    [
        (ANTICORRUPTION_TRUTH, "anticorruption"),
        (ASSISTANCE_TRUTH, "assistance_project"),
        (SERVICE_CARD_TRUTH, "service_card"),
    ],
)
def test_other_report_types_are_not_plans(truth: object, doc_type: str) -> None:
    doc = document_from_truth(truth)
    assert not plan_execution.matches(doc)
    assert registry.detect(doc) == doc_type
