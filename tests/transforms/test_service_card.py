"""service_card on the immigration-permit card: the truth-built Document, the real reader's PDF and
DOCX, and the generated variants (tools/service_card.py).

Every step cell is compared with the truth after whitespace normalisation; service attributes
(order, appeal and note rows, numbering gaps) against the truth's `data`.
"""

from __future__ import annotations

import copy
import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from reader import read_document
from reader.errors import DocumentError
from reader.model import Document, Paragraph, Row, Table
from tests.support.truth import (
    ANTICORRUPTION_TRUTH,
    PLAN_TRUTH,
    SERVICE_CARD_TRUTH,
    collapse,
    document_from_truth,
    golden_cases,
    golden_frames,
    source_truth,
)
from tests.support.truth import load_truth as _load_truth
from transforms import anticorruption, plan_execution, registry, service_card
from transforms.service_card import SCHEMAS, normalise

VARIANTS = sorted((SERVICE_CARD_TRUTH.parent / "variants").glob("*.json"))
REWORDED = sorted((SERVICE_CARD_TRUTH.parent / "reworded").glob("*.json"))
"""Reworded headers, one known only by its cells (tools/reworded.py): DOCX only."""
IMMIGRATION = {SERVICE_CARD_TRUTH, *REWORDED}
"""The immigration card's content (the reworded cards are it under other headers)."""
CASES = [*golden_cases(SERVICE_CARD_TRUTH, VARIANTS), *((path, "docx") for path in REWORDED)]
FIELDS = ("description", "official", "unit", "deadline")
"""Step columns compared cell by cell with the truth's `stages[].steps[]`."""


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
    return golden_frames(*case, "service_card")


@pytest.fixture(scope="module")
def steps(frames: dict[str, pl.DataFrame]) -> pl.DataFrame:
    return frames["service_card"]


@pytest.fixture(scope="module")
def card(frames: dict[str, pl.DataFrame]) -> dict:
    assert frames["service_card_services"].height == 1
    return frames["service_card_services"].row(0, named=True)


def _truth_steps(truth: dict) -> list[tuple[dict, dict]]:
    return [(stage, step) for stage in truth["data"]["stages"] for step in stage["steps"]]


def test_schemas_are_exact(frames: dict[str, pl.DataFrame]) -> None:
    assert set(frames) == set(SCHEMAS)
    for name, frame in frames.items():
        assert frame.schema == pl.Schema(SCHEMAS[name]), name


def test_output_passes_the_validation_suites(frames: dict[str, pl.DataFrame]) -> None:
    from zvit.validation import Validator

    validator = Validator()
    for name, frame in frames.items():
        assert validator.validate(name, frame) == [], name


def test_stage_and_step_counts(truth: dict, steps: pl.DataFrame, card: dict) -> None:
    counts = truth["counts"]
    assert steps["stage_number"].n_unique() == card["stage_count"] == counts["stages"]
    assert steps.height == card["step_count"] == counts["stage_steps"]
    assert steps["step_index"].to_list() == list(range(steps.height))
    assert steps["stage_number"].unique(maintain_order=True).to_list() == [
        s["number"] for s in truth["data"]["stages"]
    ]


def test_immigration_card_figures(case: tuple, steps: pl.DataFrame, card: dict) -> None:
    """The issue's figures: 1-12 and 18, stages 7 and 9 with two steps, 15 steps in all."""
    if source_truth(case[0]) not in IMMIGRATION:
        pytest.skip("the immigration-permit card only")
    assert steps["stage_number"].unique(maintain_order=True).to_list() == [*range(1, 13), 18]
    multi = steps.filter(pl.col("stage_step_count") > 1)
    assert multi.select("stage_number", "step_position").rows() == [(7, 1), (7, 2), (9, 1), (9, 2)]
    assert steps.height == 15
    assert (card["order_number"], card["order_date"]) == ("75/аг", dt.date(2021, 5, 18))
    assert card["numbering_gaps"] == [{"after": 12, "next": 18}]
    assert card["has_numbering_gaps"]


def test_every_step_cell_equals_the_truth(source: str, truth: dict, steps: pl.DataFrame) -> None:
    """Cells the render's truth lists as PDF line-join ambiguities (a word the producer broke
    where no reader can tell) are skipped for the PDF only."""
    ambiguous = {
        (a["ref"], a["col"]) for a in truth["pdf"]["line_join_ambiguities"] if source == "pdf"
    }
    pairs = _truth_steps(truth)
    assert steps.height == len(pairs)
    for row, (stage, step) in zip(steps.iter_rows(named=True), pairs, strict=True):
        where = (stage["id"], step["position"])
        assert row["stage_number"] == stage["number"], where
        assert row["stage_number_printed"] == stage["no_printed"], where
        assert row["step_position"] == step["position"], where
        assert row["stage_step_count"] == len(stage["steps"]), where
        assert row["record_key"] == f"{stage['number']}|{step['position']}", where
        for key in FIELDS:
            if (stage["id"], key) in ambiguous:
                continue
            ours = "deadline_text" if key == "deadline" else key
            assert collapse(row[ours]) == (collapse(step[key]) or None), (where, key)


def test_service_attributes_equal_the_truth(truth: dict, card: dict) -> None:
    data = truth["data"]
    assert card["service_name"] == data["service_name"]
    assert card["title"] == collapse(data["title"])
    assert card["approving_body"] == data["approval"]["issuer"]
    assert card["order_date"] == dt.date.fromisoformat(data["approval"]["order_date"])
    assert card["order_number"] == data["approval"]["order_number"]
    assert card["numbering_gaps"] == [{"after": a, "next": b} for a, b in data["numbering_gaps"]]
    assert card["has_numbering_gaps"] == bool(data["numbering_gaps"])
    assert card["signer_position"] == data["signature"]["position"]
    assert card["signer_name"] == data["signature"]["name"]


def test_appeal_and_note_rows_are_service_attributes(
    truth: dict, steps: pl.DataFrame, card: dict
) -> None:
    extra = truth["data"]["extra_rows"]
    assert [(e["number"], e["label"], e["text"]) for e in card["extra_rows"]] == [
        (x["number"], x["label"], collapse(x["text"])) for x in extra
    ]
    by_label = {x["label"]: collapse(x["text"]) for x in extra}
    assert card["appeal_text"] == by_label.get("Оскарження")
    assert card["note_text"] == by_label.get("Примітка")
    numbers = {x["number"] for x in extra}
    assert not numbers & set(steps["stage_number"].to_list())
    assert not steps["description"].is_in(list(by_label)).any()


def test_pages(source: str, truth: dict, steps: pl.DataFrame) -> None:
    if source == "docx":
        assert steps["page_first"].null_count() == steps.height
        return
    want = [tuple(truth["pdf"]["rows"][stage["id"]]) for stage, _ in _truth_steps(truth)]
    assert steps.select("page_first", "page_last").rows() == want


def test_every_deadline_is_parsed(steps: pl.DataFrame) -> None:
    assert steps["deadline_unit"].null_count() == 0
    assert "unknown" not in steps["deadline_unit"].to_list()
    assert steps["deadline_amount"].null_count() == 0
    same_day = steps.filter(pl.col("deadline_unit") == "same_day")
    assert same_day["deadline_amount"].to_list() == [0] * same_day.height


IMMIGRATION_DEADLINES = {
    "Під час прийому у день звернення": (0, "same_day", "звернення"),
    "Під час прийому документів у день звернення": (0, "same_day", "звернення"),
    "У день прийняття заяви-анкети та документів": (
        0, "same_day", "прийняття заяви-анкети та документів"),
    "Не пізніше наступного робочого дня після прийняття заяви-анкети та документів": (
        1, "working_days", "прийняття заяви-анкети та документів"),
    "У день прийняття документів, але не пізніше наступного робочого дня": (
        1, "working_days", "прийняття документів"),
    "Не пізніше наступного дня після надходження для розгляду документів, прийнятих "
    "уповноваженим суб’єктом": (
        1, "calendar_days",
        "надходження для розгляду документів, прийнятих уповноваженим суб’єктом"),
    "Не пізніше наступного робочого дня після надходження для розгляду документів, прийнятих "
    "уповноваженим суб’єктом": (
        1, "working_days",
        "надходження для розгляду документів, прийнятих уповноваженим суб’єктом"),
    "Протягом одного року після прийняття до розгляду заяви-анкети": (
        1, "years", "прийняття до розгляду заяви-анкети"),
    "30 днів , починаючи з наступного дня після прийому документів": (
        30, "calendar_days", "прийому документів"),
    "Не пізніше одного року з дня оформлення заяви-анкети.": (
        1, "years", "оформлення заяви-анкети"),
    "Не пізніше 3 робочих днів з дати прийняття рішення.": (
        3, "working_days", "прийняття рішення"),
}  # fmt: skip
"""Every deadline phrase of the immigration-permit card -> (amount, unit, event counted from)."""


def test_immigration_deadlines(case: tuple, steps: pl.DataFrame) -> None:
    if source_truth(case[0]) not in IMMIGRATION:
        pytest.skip("the immigration-permit card only")
    got = {
        r[0]: r[1:]
        for r in steps.select(
            "deadline_text", "deadline_amount", "deadline_unit", "deadline_event"
        ).rows()
    }
    assert got == IMMIGRATION_DEADLINES


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("30 днів, починаючи з наступного дня", (30, "calendar_days")),
        ("Не пізніше 3 робочих днів з дати прийняття рішення.", (3, "working_days")),
        ("Протягом п’яти робочих днів", (5, "working_days")),
        ("Протягом 10 календарних днів з дня реєстрації", (10, "calendar_days")),
        ("Протягом двох місяців", (2, "months")),
        ("Не пізніше одного року", (1, "years")),
        ("У день звернення", (0, "same_day")),
        ("Невідкладно за потреби", (None, "unknown")),
        (None, (None, None)),
    ],
)
def test_duration(text: str | None, want: tuple) -> None:
    lf = pl.LazyFrame({"t": [text]}, schema={"t": pl.String})
    got = service_card.add_duration(lf, "t", prefix="").collect()
    assert (got["amount"][0], got["unit"][0]) == want


def test_deadline_cell_split() -> None:
    assert service_card.split_deadlines(
        "У день прийняття заяви-анкети Не пізніше наступного робочого дня після прийняття"
    ) == ["У день прийняття заяви-анкети", "Не пізніше наступного робочого дня після прийняття"]
    # One phrase: a lower-case "не пізніше" and an amount after a word do not start a step.
    for one in ("У день прийняття, але не пізніше наступного робочого дня", "Протягом 15 днів"):
        assert service_card.split_deadlines(one) == [one]


def test_description_split_by_deadline_lead() -> None:
    text = "Перше речення кроку. Друге речення кроку. Не пізніше наступного дня надсилає лист."
    got = service_card.split_description(
        text, ["У день звернення", "Не пізніше наступного дня"], "5"
    )
    assert got == ["Перше речення кроку. Друге речення кроку.", text.split(". ", 2)[2]]
    with pytest.raises(DocumentError) as err:
        service_card.split_description("Одне речення у м. Києві.", ["У день", "Не пізніше"], "5")
    assert err.value.code == "stage_steps"


def test_types_are_told_apart() -> None:
    card_doc = document_from_truth(SERVICE_CARD_TRUTH)
    assert registry.detect(card_doc) == "service_card"
    assert not plan_execution.matches(card_doc)
    assert not anticorruption.matches(card_doc)
    assert not service_card.matches(document_from_truth(PLAN_TRUTH))
    assert not service_card.matches(document_from_truth(ANTICORRUPTION_TRUTH))


def test_columns_found_by_meaning_not_position() -> None:
    doc = document_from_truth(SERVICE_CARD_TRUTH)
    want = normalise(doc)["service_card"]
    order = [0, 4, 3, 1, 2]
    shuffled = copy.deepcopy(doc)
    table = shuffled.tables[0]
    table.header = [table.header[i] for i in order]
    for row in table.rows:
        cells = row.cells + [""] * (5 - len(row.cells))
        if row.kind == "data" and row.cells[0] not in ("19", "20"):
            row.cells = [cells[i] for i in order]
        else:  # two-cell rows keep label then text, whatever the column order
            row.cells = [cells[0], "", "", cells[1], cells[2]]
    got = normalise(shuffled)["service_card"]
    assert_frame_equal(got, want)


def _card(rows: list[list[str]]) -> Document:
    header = ["№ з/п", "Етапи", "Відповідальна посадова особа", "Структурні підрозділи", "Строк"]
    table = Table(
        header=header,
        rows=[Row(kind="data", cells=c, index=i) for i, c in enumerate(rows)],
        index=0,
    )
    return Document(
        file_name="x.docx", sha256="0" * 64, format="docx", pages=None,
        blocks=[Paragraph("ТЕХНОЛОГІЧНА КАРТКА АДМІНІСТРАТИВНОЇ ПОСЛУГИ: Видача довідки"), table],
        reader_version="test",
    )  # fmt: skip


def test_bad_numbering_is_refused() -> None:
    row = ["Опис етапу.", "Працівник", "Відділ", "У день звернення"]
    with pytest.raises(DocumentError) as err:
        normalise(_card([["1", *row], ["1", *row]]))
    assert err.value.code == "stage_numbering"
    with pytest.raises(DocumentError) as err:
        normalise(_card([["1", *row], ["", *row]]))
    assert err.value.code == "stage_numbering"
    ok = normalise(_card([["1", *row], ["3", *row]]))
    assert ok["service_card_services"]["numbering_gaps"].to_list() == [[{"after": 1, "next": 3}]]
    assert ok["service_card_services"]["service_name"].to_list() == ["Видача довідки"]


def test_generated_card_is_there_and_differs() -> None:
    """tools/service_card.py: another service, 8 stages, no gap, an appeal row only."""
    assert [p.stem for p in VARIANTS] == ["service_card_residence_permit"]
    frames = normalise(read_document(VARIANTS[0].with_suffix(".pdf")))
    card = frames["service_card_services"].row(0, named=True)
    assert (card["stage_count"], card["step_count"]) == (8, 9)
    assert (card["has_numbering_gaps"], card["note_text"]) == (False, None)
    assert (card["order_number"], card["order_date"]) == ("31/аг", dt.date(2022, 3, 2))
    got = frames["service_card"].select("record_key", "deadline_amount", "deadline_unit").rows()
    assert got == [
        ("1|1", 0, "same_day"), ("2|1", 0, "same_day"), ("3|1", 1, "working_days"),
        ("4|1", 5, "working_days"), ("4|2", 15, "calendar_days"), ("5|1", 1, "months"),
        ("6|1", 2, "working_days"), ("7|1", 10, "calendar_days"), ("8|1", 0, "same_day"),
    ]  # fmt: skip


def test_acts_cited_by_the_immigration_card(frames: dict, case: tuple) -> None:
    """Stage 2 cites two Cabinet resolutions (checked by hand against the seed); the generated
    card cites none. "ЗУ «Про імміграцію»" (a law by its abbreviation) is not read as a reference.
    """
    refs = frames["document_references"]
    assert refs.schema == pl.Schema(SCHEMAS["document_references"])
    if source_truth(case[0]) not in IMMIGRATION:
        assert refs.is_empty()
        return
    got = refs.select("record_key", "field", "kind", "reference_date", "number").rows()
    assert got == [
        ("2|1", "description", "resolution", dt.date(2002, 12, 26), "1983"),
        ("2|1", "description", "resolution", dt.date(2018, 4, 25), "321"),
    ]
    assert set(refs["doc_type"]) == {"service_card"}
    assert set(refs["record_key"]) <= set(frames["service_card"]["record_key"])
