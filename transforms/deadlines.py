"""Deadline text (+ the report year) -> kind, start/end dates, condition and every date named.

Plan reports write deadlines as words: "січень", "до 15 вересня", "I квартал", "II півріччя",
"протягом року (за наявності фінансування)", "щопівроку до 25 січня та до 25 липня",
"після введення в експлуатацію…". Anticorruption reports add years: "Грудень 2019 року",
"Березень Червень Вересень Грудень 2019 року", "05 квітня … 2019 року 05 січня 2020 року".

Kinds (the set `expectations/plan_execution.json` allows):
  month      one month: its first..last day
  months     several months or a month range: first month's start..last month's end
  date       "до 15 вересня" / "01 квітня 2019 року" / several dates: year start (or the
             date itself when no "до") .. the last date
  quarter, half_year, year   that period of the year
  recurring  "щопівроку", "щокварталу", "щомісяця", "щороку": the whole year
  daily      "щоденно": the whole year
  event      tied to an event or another document's dates: no dates
  relative   "протягом 3 робочих днів з моменту…": no dates
  unknown    anything else: no dates

A date with no year of its own takes the next year written after it, else the report year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

MONTHS: dict[str, int] = {
    "січ": 1, "лют": 2, "берез": 3, "квіт": 4, "трав": 5, "черв": 6,
    "лип": 7, "серп": 8, "верес": 9, "жовт": 10, "листопад": 11, "груд": 12,
}  # fmt: skip
"""Month stems; every Ukrainian month name and its genitive starts with exactly one of these."""

MONTH_RE = r"(?:січ|лют|берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд)(?:ень|ня|ий|ого|а)?"
"""A month name in the nominative or genitive ("вересень", "вересня", "лютий", "листопада")."""

_TOKEN = rf"(?:\b\d{{1,2}}\s+)?\b{MONTH_RE}\b|\b(?:19|20)\d\d\b"
_CONDITION = (
    r"(?i)(?:за\s+наявності|залежно\s+від|за\s+умови|у\s+разі|в\s+разі|під\s+час)\b[^()]*"
)
_EVENT = (
    r"(?i)^\s*(?:після|згідно|відповідно\s+до|у\s+встановлені|в\s+установлені|у\s+строки|"
    r"в\s+строки|у\s+порядку|в\s+порядку|перед\s|під\s+час|у\s+день|в\s+день|за\s+потреби|"
    r"по\s+мірі|в\s+міру)"
)
_RELATIVE = (
    r"(?i)^\s*(?:(?:протягом|впродовж|упродовж|не\s+пізніше|у\s+термін|в\s+термін)\s+"
    r"(?:\d+|одного|двох|трьох|п'яти|наступного)|\d+\s+(?:робоч\w+\s+|календарн\w+\s+)?(?:дн|місяц))"
)
_YEAR = r"(?i)^\s*(?:протягом|впродовж|упродовж|постійно|щорічно|у|в)?\s*(?:\d{4}\s+)?(?:року|рік|р\.)"
_RECURRING = r"(?i)\b(?:щопівроку|щокварталу|щоквартально|щомісяця|щомісячно|щороку|щотижня|щотижнево|щорічно)\b"
_DAILY = r"(?i)\b(?:щоденно|щодня)\b"
_PERIOD = r"(?:^|\s)([ivхі1-4]{1,3})\s*(квартал|півріччя)"
"""Matched on lower-cased text: "I квартал" (Latin I), "ІІ півріччя" (Cyrillic І)."""

DEADLINE_DTYPE = pl.Struct(
    {
        "kind": pl.String,
        "start_date": pl.Date,
        "end_date": pl.Date,
        "condition": pl.String,
        "dates": pl.List(pl.Date),
    }
)


def _month_number(stem_text: pl.Expr) -> pl.Expr:
    """Month number from a lower-case month word (null when it is not one)."""
    out = pl.lit(None, dtype=pl.Int8)
    for stem, number in MONTHS.items():
        out = pl.when(stem_text.str.starts_with(stem)).then(pl.lit(number, pl.Int8)).otherwise(out)
    return out


def _roman(text: pl.Expr) -> pl.Expr:
    """1..4 from lower-case "i".."iv" (Latin or Cyrillic і) or a digit."""
    t = text.str.replace_all("і", "i").str.replace_all("х", "x")
    return (
        pl.when(t.is_in(["1", "i"])).then(1)
        .when(t.is_in(["2", "ii"])).then(2)
        .when(t.is_in(["3", "iii"])).then(3)
        .when(t.is_in(["4", "iv"])).then(4)
    )  # fmt: skip


def _tokens_to_dates(tokens: pl.Expr) -> pl.Expr:
    """List of "[day] month" and year tokens -> list of structs {day, month, year, date, end}.

    Each month token takes the year written after it (backward fill inside the list); the
    caller appends the report year as the last token, so there always is one.
    """
    el = pl.element()
    year = el.str.extract(r"^((?:19|20)\d\d)$").cast(pl.Int32)
    day = el.str.extract(r"^(\d{1,2})\s").cast(pl.Int8)
    month = _month_number(el.str.extract(r"(\p{L}+)$"))
    filled_year = year.fill_null(strategy="backward")
    first = pl.date(filled_year, month, 1)
    # Day clamped into the month: "31 лютого" is read as the month's last day, not an error.
    on_day = first + pl.duration(days=day.cast(pl.Int32).clip(1, 31) - 1)
    end = pl.min_horizontal(
        pl.when(day.is_not_null()).then(on_day).otherwise(first.dt.month_end()),
        first.dt.month_end(),
    )
    return tokens.list.eval(
        pl.struct(
            day.alias("day"),
            month.alias("month"),
            first.alias("first"),
            end.alias("end"),
        ).filter(month.is_not_null())
    )


def deadline_expr(text: pl.Expr, report_year: pl.Expr) -> pl.Expr:
    """Deadline text and report year -> Struct{kind, start_date, end_date, condition, dates}."""
    t = text.str.replace_all(r"\s+", " ").str.strip_chars()
    low = t.str.to_lowercase()
    year = report_year.cast(pl.Int32)
    y_start = pl.date(year, 1, 1)
    y_end = pl.date(year, 12, 31)

    in_parens = t.str.extract(r"\(([^)]*)\)")
    condition = (
        pl.coalesce(in_parens, t.str.extract(rf"({_CONDITION})"))
        .str.strip_chars(" ,.;")
        .replace("", None)
    )
    # Dates are read from the text without the condition ("за умови … карантину").
    body = low.str.replace_all(r"\([^)]*\)", " ")
    tokens = (body + pl.lit(" ") + year.cast(pl.String)).str.extract_all(_TOKEN)
    found = _tokens_to_dates(tokens)
    n = found.list.len()
    n_days = found.list.eval(pl.element().struct.field("day").is_not_null().sum()).list.first()
    first_start = found.list.first().struct.field("first")
    last_end = found.list.last().struct.field("end")
    dates = found.list.eval(pl.element().struct.field("end"))

    period = body.str.extract_groups(_PERIOD)
    period_no = _roman(period.struct.field("1"))
    is_quarter = period.struct.field("2") == "квартал"
    period_year = pl.coalesce(body.str.extract(r"\b((?:19|20)\d\d)\b").cast(pl.Int32), year)
    q_start = pl.date(period_year, (period_no - 1) * 3 + 1, 1)
    q_end = pl.date(period_year, period_no * 3, 1).dt.month_end()
    h_start = pl.date(period_year, (period_no - 1) * 6 + 1, 1)
    h_end = pl.date(period_year, period_no * 6, 1).dt.month_end()
    explicit_year = body.str.extract(r"\b((?:19|20)\d\d)\b").cast(pl.Int32)
    span_year = pl.coalesce(explicit_year, year)

    kind = (
        pl.when(t.is_null() | (t == "")).then(pl.lit(None, pl.String))
        .when(body.str.contains(_DAILY)).then(pl.lit("daily"))
        .when(body.str.contains(_RECURRING)).then(pl.lit("recurring"))
        .when(body.str.contains(_YEAR) & (n <= 1)).then(pl.lit("year"))
        .when(body.str.contains(_RELATIVE)).then(pl.lit("relative"))
        .when(body.str.contains(_EVENT) & (n <= 1)).then(pl.lit("event"))
        .when(period_no.is_not_null() & is_quarter).then(pl.lit("quarter"))
        .when(period_no.is_not_null() & period_no.is_between(1, 2)).then(pl.lit("half_year"))
        .when((n == 1) & (n_days == 0)).then(pl.lit("month"))
        .when((n > 1) & (n_days == 0)).then(pl.lit("months"))
        .when(n >= 1).then(pl.lit("date"))
        .otherwise(pl.lit("unknown"))
    )  # fmt: skip
    by_date = body.str.contains(r"(?:^|\s)(?:до|не пізніше)\s+\d") | (n > 1)
    start = (
        pl.when(kind.is_in(["daily", "recurring", "year"])).then(pl.date(span_year, 1, 1))
        .when(kind == "quarter").then(q_start)
        .when(kind == "half_year").then(h_start)
        .when(kind.is_in(["month", "months"])).then(first_start)
        .when((kind == "date") & by_date).then(pl.date(first_start.dt.year(), 1, 1))
        .when(kind == "date").then(found.list.first().struct.field("end"))
    )  # fmt: skip
    end = (
        pl.when(kind.is_in(["daily", "recurring", "year"])).then(pl.date(span_year, 12, 31))
        .when(kind == "quarter").then(q_end)
        .when(kind == "half_year").then(h_end)
        .when(kind.is_in(["month", "months", "date"])).then(last_end)
    )  # fmt: skip
    # The report year was appended only to give undated tokens a year; it is not a deadline.
    has_dates = kind.is_in(["month", "months", "date", "recurring"])
    del y_start, y_end
    return pl.struct(
        kind.alias("kind"),
        start.alias("start_date"),
        end.alias("end_date"),
        condition.alias("condition"),
        pl.when(has_dates).then(dates).otherwise(pl.lit([], pl.List(pl.Date))).alias("dates"),
    )


@dataclass(frozen=True)
class Deadline:
    """One parsed deadline; `dates` lists every date the text names (month ends for months)."""

    kind: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    condition: str | None
    dates: list[dt.date]


def parse_deadline(text: str | None, report_year: int) -> Deadline:
    """One deadline text (same expressions as the column version)."""
    row = pl.select(
        deadline_expr(pl.lit(text, dtype=pl.String), pl.lit(report_year, pl.Int32)).alias("d")
    ).item()
    return Deadline(**{**row, "dates": list(row["dates"] or [])})
