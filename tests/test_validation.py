"""The GX suites in expectations/ load, pass good rows and quarantine-worthy rows fail by name."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from zvit.validation import Validator, failure_reason, load_suite_dict, suite_names


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def _measures(**overrides: list) -> pl.DataFrame:
    base = {
        "source_sha256": ["a" * 64] * 3,
        "record_key": ["1", "2", "3"],
        "item_number": ["1", "2", "3"],
        "measure_index": [0, 1, 2],
        "measure": ["Звітувати перед Міністром", "Провести нараду", "Забезпечити роботу"],
        "status": ["done", "not_done", "partially_done"],
        "deadline_kind": ["month", "year", "quarter"],
        "report_year": [2021, 2021, 2021],
        "deadline_start_date": [dt.date(2021, 1, 1), dt.date(2021, 1, 1), dt.date(2021, 1, 1)],
        "deadline_end_date": [dt.date(2021, 1, 31), dt.date(2021, 12, 31), dt.date(2021, 3, 31)],
        "page_first": [1, 1, 2],
        "page_last": [1, 2, 2],
        "executors_text": ["ДОЗ", "Гребенюк С.В.", "ДІТЗІ"],
        "executors": [["ДОЗ"], [], ["ДІТЗІ"]],
    }
    base.update(overrides)
    return pl.DataFrame(base)


def test_suite_files_are_named_for_their_tables() -> None:
    names = suite_names()
    assert {"plan_execution", "document_references"} <= set(names)
    for name in names:
        assert load_suite_dict(name)["expectations"]


def test_good_rows_pass(validator: Validator) -> None:
    assert validator.validate("plan_execution", _measures()) == []


def test_bad_rows_fail_with_readable_reason_without_values(validator: Validator) -> None:
    bad = _measures(item_number=["1", "1", "3"], status=["done", "Гребенюк", "done"])
    failures = validator.validate("plan_execution", bad)
    kinds = {(f.expectation, f.column) for f in failures}
    assert ("expect_column_values_to_be_unique", "item_number") in kinds
    assert ("expect_column_values_to_be_in_set", "status") in kinds
    reason = failure_reason(failures)
    assert "item_number" in reason and "Гребенюк" not in reason


def test_deadline_order_is_checked(validator: Validator) -> None:
    bad = _measures(deadline_end_date=[dt.date(2020, 1, 1), None, dt.date(2021, 3, 31)])
    failures = validator.validate("plan_execution", bad)
    assert [f.unexpected_count for f in failures] == [1]


def test_frames_without_a_suite_are_not_validated(validator: Validator) -> None:
    assert validator.validate_frames({"document_rows": pl.DataFrame({"x": [None]})}) == []


def test_every_expectation_says_why_in_both_languages() -> None:
    for name in suite_names():
        for e in load_suite_dict(name)["expectations"]:
            why = e.get("meta", {}).get("why")
            assert isinstance(why, dict) and why.get("uk") and why.get("en"), (name, e["type"])


def test_reason_names_pages_items_rows_and_what_to_do(validator: Validator) -> None:
    bad = _measures(status=["done", "Гребенюк", "done"], measure=["Звітувати", None, "Ок"])
    failures = validator.validate("plan_execution", bad)
    reason = failure_reason(failures, {"plan_execution": bad}, "f" * 64)
    assert "expect_column_values_to_be_in_set on plan_execution.status (1 rows)" in reason
    assert "at page 1, item 2, row 2" in reason
    assert "expect_column_values_to_not_be_null on plan_execution.measure" in reason
    assert "why: every record needs a measure" in reason and "чому:" in reason
    assert (
        "What to do:" in reason and "Що робити:" in reason and "zvit requeue ffffffffffff" in reason
    )
    for text in ("Гребенюк", "Звітувати", "Провести", "ДОЗ"):
        assert text not in reason


def test_a_failing_key_column_is_placed_by_page_and_row_only(validator: Validator) -> None:
    bad = _measures(item_number=["1", "1", "3"], record_key=["1", "1", "3"])
    failures = validator.validate("plan_execution", bad)
    reason = failure_reason(failures, {"plan_execution": bad})
    assert "plan_execution.item_number (2 rows) at page 1, row 1; page 1, row 2" in reason
    assert "item 1" not in reason
