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
import polars.selectors as cs

from transforms.common import check_vocabulary

MONTHS: dict[str, int] = {
    "січ": 1, "лют": 2, "берез": 3, "квіт": 4, "трав": 5, "черв": 6,
    "лип": 7, "серп": 8, "верес": 9, "жовт": 10, "листопад": 11, "груд": 12,
}  # fmt: skip
"""Month stems; every Ukrainian month name and its genitive starts with exactly one of these."""

MONTH_RE = r"(?:січ|лют|берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд)(?:ень|ня|ий|ого|а)?"
"""A month name in the nominative or genitive ("вересень", "вересня", "лютий", "листопада")."""

_TOKEN = rf"(?:\b\d{{1,2}}\s+)?\b{MONTH_RE}\b|\b(?:19|20)\d\d\b"
_CONDITION = r"(?i)(?:за\s+наявності|залежно\s+від|за\s+умови|у\s+разі|в\s+разі|під\s+час)\b[^()]*"
_EVENT = (
    r"(?i)^\s*(?:після|згідно|відповідно\s+до|у\s+встановлені|в\s+установлені|у\s+строки|"
    r"в\s+строки|у\s+порядку|в\s+порядку|перед\s|під\s+час|у\s+день|в\s+день|за\s+потреби|"
    r"по\s+мірі|в\s+міру)"
)
_RELATIVE = (
    r"(?i)^\s*(?:(?:протягом|впродовж|упродовж|не\s+пізніше|у\s+термін|в\s+термін)\s+"
    r"(?:\d+|одного|двох|трьох|п'яти|наступного)|\d+\s+(?:робоч\w+\s+|календарн\w+\s+)?(?:дн|місяц))"
)
_YEAR = (
    r"(?i)^\s*(?:протягом|впродовж|упродовж|до\s+кінця|постійно|щорічно|у|в)?\s*"
    r"(?:\d{4}\s+)?(?:року|рік|р\.)"
)
_RECURRING = (
    r"(?i)\b(?:щопівроку|щокварталу|щоквартально|щомісяця|щомісячно|щороку|щотижня|щотижнево|"
    r"щорічно)\b"
)
_DAILY = r"(?i)\b(?:щоденно|щодня)\b"
_PERIOD = r"(?:^|\s)([ivхі1-4]{1,3})\s*(квартал|півріччя)"
"""Matched on lower-cased text: "I квартал" (Latin I), "ІІ півріччя" (Cyrillic І)."""

UNKNOWN = "unknown"
KINDS: tuple[str, ...] = (
    "month", "months", "date", "quarter", "half_year", "year", "recurring", "event", "daily",
    "relative", "unknown",
)  # fmt: skip
"""Every `deadline_kind` `add_deadline` writes: the one list GX value sets and dbt accepted
values are checked against."""

_STEM_RE = "^(" + "|".join(MONTHS) + ")"


def month_number(word: pl.Expr) -> pl.Expr:
    """Month number (Int8) from a lower-case month word; null when it is not one."""
    stem = word.str.extract(_STEM_RE)
    return stem.replace_strict(MONTHS, default=None, return_dtype=pl.Int8)


def _roman(text: pl.Expr) -> pl.Expr:
    """1..4 from lower-case "i".."iv" (Latin or Cyrillic і) or a digit."""
    t = text.str.replace_all("і", "i").str.replace_all("х", "x")
    return t.replace_strict(
        {"1": 1, "i": 1, "2": 2, "ii": 2, "3": 3, "iii": 3, "4": 4, "iv": 4},
        default=None,
        return_dtype=pl.Int8,
    )


def _tokens_to_dates(tokens: pl.Expr) -> pl.Expr:
    """List of "[day] month" and year tokens -> list of structs {day, first, end}.

    Each month token takes the year written after it (backward fill inside the list); the
    caller appends the report year as the last token, so there always is one. `first` is the
    month's first day, `end` the named day or else the month's last day.
    """
    el = pl.element()
    fields = el.str.extract_groups(r"^(?:(\d{1,2})\s+)?(\p{L}+)$|^(\d{4})$")
    day = fields.struct.field("1").cast(pl.Int32)
    month = month_number(fields.struct.field("2"))
    year = fields.struct.field("3").cast(pl.Int32).fill_null(strategy="backward")
    first = pl.date(year, month, 1)
    month_end = first.dt.month_end()
    # Day clamped into the month: "31 лютого" is read as the month's last day, not an error.
    on_day = pl.min_horizontal(first + pl.duration(days=day.clip(1, 31) - 1), month_end)
    return tokens.list.eval(
        pl.struct(
            day.alias("day"),
            first.alias("first"),
            pl.coalesce(on_day, month_end).alias("end"),
        ).filter(month.is_not_null())
    )


def add_deadline(
    lf: pl.LazyFrame, text: str, report_year: str | int | None, prefix: str = "deadline_"
) -> pl.LazyFrame:
    """Add `<prefix>kind|start_date|end_date|condition|dates` parsed from column `text`.

    `report_year` is a column name or a constant. Built in stages so every intermediate is
    computed once; the helper columns (`_dl_*`) are dropped again.
    """
    year = (pl.col(report_year) if isinstance(report_year, str) else pl.lit(report_year)).cast(
        pl.Int32
    )
    t = pl.col("_dl_t")
    body = pl.col("_dl_body")
    found = pl.col("_dl_found")
    n = found.list.len()
    kind = pl.col(f"{prefix}kind")
    period_no = pl.col("_dl_period_no")
    span_year = pl.col("_dl_span_year")
    first_start = pl.col("_dl_first")
    stage1 = lf.with_columns(
        pl.col(text).str.replace_all(r"\s+", " ").str.strip_chars().alias("_dl_t"),
        year.alias("_dl_year"),
    ).with_columns(
        # Dates are read from the text without the condition ("за умови … карантину").
        t.str.to_lowercase().str.replace_all(r"\([^)]*\)", " ").alias("_dl_body"),
        pl.coalesce(t.str.extract(r"\(([^)]*)\)"), t.str.extract(rf"({_CONDITION})"))
        .str.strip_chars(" ,.;")
        .replace("", None)
        .alias(f"{prefix}condition"),
    )
    stage2 = stage1.with_columns(
        _tokens_to_dates(
            (body + pl.lit(" ") + pl.col("_dl_year").cast(pl.String)).str.extract_all(_TOKEN)
        ).alias("_dl_found"),
        body.str.extract_groups(_PERIOD).alias("_dl_period"),
        pl.coalesce(
            body.str.extract(r"\b((?:19|20)\d\d)\b").cast(pl.Int32), pl.col("_dl_year")
        ).alias("_dl_span_year"),
    ).with_columns(
        n.alias("_dl_n"),
        found.list.eval(pl.element().struct.field("day").is_not_null().sum())
        .list.first()
        .alias("_dl_n_days"),
        # Min/max, not first/last: "лютий січень" must still give start <= end.
        found.list.eval(pl.element().struct.field("first").min()).list.first().alias("_dl_first"),
        found.list.eval(pl.element().struct.field("end").min()).list.first().alias("_dl_first_end"),
        found.list.eval(pl.element().struct.field("end").max()).list.first().alias("_dl_last_end"),
        _roman(pl.col("_dl_period").struct.field("1")).alias("_dl_period_no"),
        (pl.col("_dl_period").struct.field("2") == "квартал").alias("_dl_is_quarter"),
        body.str.contains(r"(?:^|\s)(?:до|не пізніше)\s+\d").alias("_dl_by"),
    )
    n = pl.col("_dl_n")
    n_days = pl.col("_dl_n_days")
    rules = (  # (kind, when); the first that holds wins
        ("daily", body.str.contains(_DAILY)),
        ("recurring", body.str.contains(_RECURRING)),
        ("year", body.str.contains(_YEAR) & (n <= 1)),
        ("relative", body.str.contains(_RELATIVE)),
        ("event", body.str.contains(_EVENT) & (n <= 1)),
        ("quarter", period_no.is_not_null() & pl.col("_dl_is_quarter")),
        ("half_year", period_no.is_between(1, 2)),
        ("month", (n == 1) & (n_days == 0)),
        ("months", (n > 1) & (n_days == 0)),
        ("date", n >= 1),
    )
    check_vocabulary("deadline_kind", [k for k, _ in rules] + [UNKNOWN], KINDS)
    kind_chain = pl.when(t.is_null() | (t == "")).then(pl.lit(None, pl.String))
    for name, holds in rules:
        kind_chain = kind_chain.when(holds).then(pl.lit(name))
    stage3 = stage2.with_columns(kind_chain.otherwise(pl.lit(UNKNOWN)).alias(f"{prefix}kind"))
    q_start = pl.date(span_year, (period_no - 1) * 3 + 1, 1)
    q_end = pl.date(span_year, period_no * 3, 1).dt.month_end()
    h_start = pl.date(span_year, (period_no - 1) * 6 + 1, 1)
    h_end = pl.date(span_year, period_no * 6, 1).dt.month_end()
    whole_year = kind.is_in(["daily", "recurring", "year"])
    by_date = pl.col("_dl_by") | (n > 1)
    out = stage3.with_columns(
        pl.when(whole_year).then(pl.date(span_year, 1, 1))
        .when(kind == "quarter").then(q_start)
        .when(kind == "half_year").then(h_start)
        .when(kind.is_in(["month", "months"])).then(first_start)
        .when((kind == "date") & by_date).then(pl.date(first_start.dt.year(), 1, 1))
        .when(kind == "date").then(pl.col("_dl_first_end"))
        .alias(f"{prefix}start_date"),
        pl.when(whole_year).then(pl.date(span_year, 12, 31))
        .when(kind == "quarter").then(q_end)
        .when(kind == "half_year").then(h_end)
        .when(kind.is_in(["month", "months", "date"])).then(pl.col("_dl_last_end"))
        .alias(f"{prefix}end_date"),
        # The report year was appended only to give undated tokens a year; not a deadline.
        pl.when(kind.is_in(["month", "months", "date", "recurring"]))
        .then(found.list.eval(pl.element().struct.field("end")))
        .otherwise(pl.lit([], pl.List(pl.Date)))
        .alias(f"{prefix}dates"),
    )  # fmt: skip
    return out.drop(cs.starts_with("_dl_"))


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
    lf = pl.LazyFrame({"text": [text]}, schema={"text": pl.String})
    row = add_deadline(lf, "text", report_year, prefix="").drop("text").collect().row(0, named=True)
    return Deadline(**{**row, "dates": list(row["dates"] or [])})
