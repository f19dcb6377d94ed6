"""Deadline parsing: the 2021 plan and 2019 anticorruption wordings, plus properties."""

from __future__ import annotations

import calendar
import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from transforms.deadlines import add_deadline, parse_deadline

D = dt.date
NOMINATIVE = ["січень", "лютий", "березень", "квітень", "травень", "червень", "липень",
              "серпень", "вересень", "жовтень", "листопад", "грудень"]  # fmt: skip
GENITIVE = ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
            "вересня", "жовтня", "листопада", "грудня"]  # fmt: skip
QUIET = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "condition"),
    [
        ("січень", "month", D(2021, 1, 1), D(2021, 1, 31), None),
        ("до 15 вересня", "date", D(2021, 1, 1), D(2021, 9, 15), None),
        ("I квартал", "quarter", D(2021, 1, 1), D(2021, 3, 31), None),
        ("ІІ півріччя", "half_year", D(2021, 7, 1), D(2021, 12, 31), None),
        ("II півріччя", "half_year", D(2021, 7, 1), D(2021, 12, 31), None),
        ("протягом року", "year", D(2021, 1, 1), D(2021, 12, 31), None),
        ("протягом року (за наявності фінансування)", "year", D(2021, 1, 1), D(2021, 12, 31),
         "за наявності фінансування"),
        ("протягом року (залежно від епідеміологічної ситуації)", "year", D(2021, 1, 1),
         D(2021, 12, 31), "залежно від епідеміологічної ситуації"),
        ("щопівроку до 25 січня та до 25 липня", "recurring", D(2021, 1, 1), D(2021, 12, 31),
         None),
        ("щокварталу, до 15 числа місяця, наступного за звітним періодом", "recurring",
         D(2021, 1, 1), D(2021, 12, 31), None),
        ("після введення в експлуатацію адміністративного приміщення ДМС у м. Києві", "event",
         None, None, None),
        ("згідно з датами, визначеними відповідальними за проведення заходів ЦОВВ (за умови "
         "відміни на території України карантину)", "event", None, None,
         "за умови відміни на території України карантину"),
        ("Грудень 2019 року", "month", D(2019, 12, 1), D(2019, 12, 31), None),
        ("До 15 квітня 2019 року", "date", D(2019, 1, 1), D(2019, 4, 15), None),
        ("Березень Червень Вересень Грудень 2019 року", "months", D(2019, 3, 1),
         D(2019, 12, 31), None),
        ("Жовтень-грудень 2019 року", "months", D(2019, 10, 1), D(2019, 12, 31), None),
        ("01 квітня 2019 року", "date", D(2019, 4, 1), D(2019, 4, 1), None),
        ("Щоденно", "daily", D(2021, 1, 1), D(2021, 12, 31), None),
        ("Протягом 3 робочих днів з моменту надходження відповідного подання", "relative",
         None, None, None),
        ("Квітень 2019 року та в разі змін у складі Відділу внутрішнього аудиту", "month",
         D(2019, 4, 1), D(2019, 4, 30), "в разі змін у складі Відділу внутрішнього аудиту"),
        ("У встановлені законодавством строки", "event", None, None, None),
        ("щось незрозуміле", "unknown", None, None, None),
        ("до кінця року", "year", D(2021, 1, 1), D(2021, 12, 31), None),
    ],
)  # fmt: skip
def test_examples(
    text: str, kind: str, start: dt.date | None, end: dt.date | None, condition: str | None
) -> None:
    got = parse_deadline(text, 2021)
    assert (got.kind, got.start_date, got.end_date, got.condition) == (kind, start, end, condition)


def test_all_dates_listed() -> None:
    got = parse_deadline("05 квітня 05 липня 05 жовтня 2019 року 05 січня 2020 року", 2019)
    assert got.dates == [D(2019, 4, 5), D(2019, 7, 5), D(2019, 10, 5), D(2020, 1, 5)]
    assert (got.kind, got.start_date, got.end_date) == ("date", D(2019, 1, 1), D(2020, 1, 5))
    months = parse_deadline("Березень Червень Вересень Грудень 2019 року", 2021)
    assert months.dates == [D(2019, 3, 31), D(2019, 6, 30), D(2019, 9, 30), D(2019, 12, 31)]
    assert parse_deadline("щопівроку до 25 січня та до 25 липня", 2021).dates == [
        D(2021, 1, 25),
        D(2021, 7, 25),
    ]
    assert parse_deadline("протягом року", 2021).dates == []


def test_empty_text_has_no_kind() -> None:
    assert parse_deadline(None, 2021).kind is None
    assert parse_deadline("   ", 2021).kind is None


def test_add_deadline_on_a_frame() -> None:
    lf = pl.LazyFrame({"d": ["лютий", "до 1 квітня"], "y": [2020, 2021]})
    got = add_deadline(lf, "d", "y", prefix="x_").drop("x_dates", "x_condition").collect()
    expected = pl.DataFrame(
        {
            "d": ["лютий", "до 1 квітня"],
            "y": [2020, 2021],
            "x_kind": ["month", "date"],
            "x_start_date": [D(2020, 2, 1), D(2021, 1, 1)],
            "x_end_date": [D(2020, 2, 29), D(2021, 4, 1)],
        }
    )
    assert_frame_equal(got, expected)


years = st.integers(min_value=2000, max_value=2099)
months = st.integers(min_value=1, max_value=12)


@QUIET
@given(month=months, year=years, genitive=st.booleans(), upper=st.booleans())
def test_every_month_name_gives_its_month(
    month: int, year: int, genitive: bool, upper: bool
) -> None:
    name = (GENITIVE if genitive else NOMINATIVE)[month - 1]
    got = parse_deadline(name.capitalize() if upper else name, year)
    last = calendar.monthrange(year, month)[1]
    assert got.kind == "month"
    assert (got.start_date, got.end_date) == (D(year, month, 1), D(year, month, last))


@QUIET
@given(month=months, day=st.integers(1, 31), year=years, explicit=st.booleans())
def test_until_date(month: int, day: int, year: int, explicit: bool) -> None:
    text = f"до {day} {GENITIVE[month - 1]}" + (f" {year} року" if explicit else "")
    got = parse_deadline(text, year if not explicit else 2021)
    last = calendar.monthrange(year, month)[1]
    assert got.kind == "date"
    assert got.end_date == D(year, month, min(day, last))
    assert got.start_date == D(year, 1, 1)


@QUIET
@given(quarter=st.integers(1, 4), year=years, cyrillic=st.booleans())
def test_quarters(quarter: int, year: int, cyrillic: bool) -> None:
    roman = ["I", "II", "III", "IV"][quarter - 1]
    if cyrillic:
        roman = roman.replace("I", "І")
    got = parse_deadline(f"{roman} квартал", year)
    assert got.kind == "quarter"
    assert got.start_date == D(year, 3 * quarter - 2, 1)
    assert got.end_date is not None and got.end_date.month == 3 * quarter


@QUIET
@given(
    text=st.lists(
        st.sampled_from(
            NOMINATIVE + GENITIVE + ["до", "протягом", "року", "2019", "2020", "15", "1",
                                     "(за наявності фінансування)", "щокварталу", "після",
                                     "I", "квартал", "півріччя", "та", ","]
        ),
        max_size=8,
    ).map(" ".join),
    year=years,
)  # fmt: skip
def test_start_never_after_end(text: str, year: int) -> None:
    got = parse_deadline(text, year)
    assert (got.start_date is None) == (got.end_date is None)
    if got.start_date is not None and got.end_date is not None:
        assert got.start_date <= got.end_date, text
    if got.kind in ("event", "relative", "unknown", None):
        assert got.start_date is None
