"""International technical assistance (ITA) project monitoring reports ("РЕЗУЛЬТАТИ заключного
моніторингу проекту (програми) «…» (IMMIS)").

Not one table but a skeleton: a 2-column passport (monitoring type, reporting period, partner,
beneficiaries, recipients, registration card, generalised results, links, total spent and the
spending categories under it), section 3 — a 3-column table of criteria | planned | actual results
grouped under "Ціль N. …" rows — and free-text sections 4 (assessment) and 5 (problems and
proposals) after it. Passport fields are found by the meaning of their keys, the results columns by
the meaning of their headers, the free-text sections by their numbered headings.

Output, one frame per raw table:

* `assistance_project` — one row per report (the passport, typed);
* `assistance_project_spending` — one row per spending category (amount, or `is_reported` false
  when the report says "Інформація відсутня");
* `assistance_project_indicators` — one row per indicator; a vertically merged actual-results
  cell belongs to the first indicator it covers, the others point at it (`actual_merged_into`);
* `assistance_project_activities` — one row per dated event the actual results list, read with
  the grammar below.

Activity grammar (on the actual-results text; whitespace is collapsed first)::

    activity := DATE [ "(" PLACE ")" ] DASH BODY
    DATE     := D1 [ MONTH1 [ YEAR1 ["року"|"р."] ] ] [ DASH D2 ] MONTH YEAR ["року"|"р."]
                  "26-28 березня 2018 року", "19 вересня 2018 року",
                  "30 листопада – 01 грудня 2017 року", "12 квітня – 3 травня 2019 р."
    DASH     := "-" | "–" | "—"; implied after the date of a list item "- DATE …"
    PLACE    := the parenthesised text, or "м. X" when the body starts "в м. X"
    BODY     := up to the first ";" or "." outside «…» quotes that is not followed by a
                lower-case word ("; результати …" goes on, "; - 18-20 червня …" and ". Також …"
                end it); "м. ", "вул. ", "р. " and similar abbreviations do not end it
    TAIL     := [". " SENTENCES "(N працівників …)"]: when sentences follow the body and end in
                a participant count before any ";" that ends the item or any digit (a date
                of the next activity), they belong to it
                ("… семінар … . Семінар проводився … (40 працівників ДМС);")
    participants := the last "(N працівник…/учасник…/осіб/…)" in BODY + TAIL; the title is
                BODY without it

The kind is the earliest word of `KINDS` in the body ("ознайомчий візит" before "візит"), or
"інше". A date that is not followed by a dash ("15 липня 2019 року працівниками …") is a date in
prose, not an activity.
"""

from __future__ import annotations

import re

import polars as pl

from reader.errors import DocumentError
from reader.keyvalue import fields, is_key_continuation
from reader.model import Document, Row, Table
from reader.paragraphs import blocks_after, sections
from reader.stitch import restitch
from transforms import columns, common
from transforms.base import (
    DOCUMENT_RECORD_KEY,
    RECORD_KEY,
    cell_text,
    conform,
    declare_reasons,
    first_match,
)
from transforms.columns import Column
from transforms.deadlines import MONTH_RE, month_number

DOC_TYPE = "assistance_project"
VERSION = "7"
"""Bump when this module's output changes: only ITA project reports are read again."""
REASONS = declare_reasons(
    {
        "no_passport": "no key/value passport table found",
        "missing_field": "a required passport field is missing",
        "bad_period": "the reporting period cannot be read",
    }
)

TITLE_RE = r"(?i)моніторинг\w*.*\bпроект|\bпроект\w*.*моніторинг"
"""The title names monitoring of a project: "РЕЗУЛЬТАТИ заключного моніторингу проекту …"."""

RESULT_COLUMNS: tuple[Column, ...] = (
    Column("criterion", "Критерії досягнення", r"критері|показник|індикатор"),
    Column("planned", "Заплановані результати", r"заплановані|планов|очікуван|цільов"),
    Column("actual", "Фактичні результати", r"фактичн|досягнут|отриман|стан\s+виконання"),
)
"""Columns of the section 3 table, found by what their headers mean (`transforms.columns`)."""

PASSPORT_FIELDS: tuple[tuple[str, str], ...] = (
    # Checked in this order on the lower-cased key; the first match names the field.
    ("monitoring_type", r"піврічн|заключн|^річн"),
    ("reporting_period", r"період\s+звітув|звітний\s+період"),
    ("partner", r"партнер"),
    ("beneficiary", r"бенефіціар"),
    ("recipient", r"реципієнт"),
    ("registration_card", r"реєстраційн\w*\s+картк"),
    ("results_summary", r"узагальнені\s+результати"),
    ("links", r"посиланн|інтернет-ресурс"),
    ("total_spent", r"загальна\s+сума"),
)
REQUIRED_FIELDS = ("reporting_period", "partner")

MONITORING_CLASSES: tuple[tuple[str, str], ...] = (
    ("semiannual", r"піврічн"),
    ("final", r"заключн|підсумков"),
    ("annual", r"річн"),
)
"""Monitoring type from the passport value (or the title): "піврічн" before "річн"."""

_M = MONTH_RE
_Y = r"(?:19|20)\d\d"
_DASH = r"[-–—]"


def _date_re(named: bool = True) -> str:
    """The DATE of the grammar; with `named`, its parts as named groups."""

    def g(name: str, pattern: str) -> str:
        return f"(?P<{name}>{pattern})" if named else f"(?:{pattern})"

    day = r"\d{1,2}"
    return (
        rf"{g('d1', day)}(?:\s+{g('m1', _M)}(?:\s+{g('y1', _Y)}\s*(?:року|р\.)?)?)?"
        rf"(?:\s*{_DASH}\s*{g('d2', day)})?\s+{g('m2', _M)}\s+{g('y2', _Y)}"
        rf"(?:\s*(?:року|р\.))?"
    )


DATE_RE = _date_re()
LIST_ITEM_RE = rf"((?:^|\s)[-–—]\s+{_date_re(named=False)})\s+([^\s(\-–—р]|р[^о.])"
"""A list item "- 02-06 грудня 2019 року в м. Київ … тренінг": the dash is implied. The word
after the date must not start "ро"/"р." so an optional "року" is never taken for the body."""
LIST_ITEM_DASH = "$1 – $2"
PLACE_IN_BODY_RE = r"^(?:в|у)\s+(м\.\s*[^\s,;]+)"
_CONTINUES = r"[^\s\d\-–—А-ЯІЇЄҐA-Z«\"(]"
"""After ". " or "; " the item goes on only with a lower-case word (not "- next item", a date or
a new sentence)."""
_PEOPLE = r"\s+(?:працівник|учасник|осіб|особ|представник|фахів|експерт|співробітник)[^)]*\)"
_PARTICIPANTS = rf"\(\d+{_PEOPLE}"
ABBREVIATIONS = r"(?:м|вул|просп|р|рр|ст|обл|с|смт|т|ін|п|пп|н|див|напр)\."
ACTIVITY_RE = (
    rf"(?:^|\s){DATE_RE}\s*(?:\((?P<place>[^()]*)\))?\s*{_DASH}\s*"
    rf"(?P<body>(?:«[^»]*»|\b{ABBREVIATIONS}|[^;«.]|\.\S|[.;]\s+{_CONTINUES})*)"
    rf"(?P<tail>\.\s+[^\d\s\-–—](?:[^;(\d]|;\s+{_CONTINUES})*?{_PARTICIPANTS})?"
)
PARTICIPANTS_RE = rf"\((\d+){_PEOPLE}"
KINDS: tuple[tuple[str, str], ...] = (
    ("ознайомчий візит", r"ознайомч\w*\s+візит"),
    ("семінар", r"семінар"),
    ("тренінг", r"тренінг"),
    ("конференція", r"конференц"),
    ("навчання", r"навчанн"),
    ("презентація", r"презентац"),
    ("круглий стіл", r"круглий\s+стіл|круглого\s+столу"),
    ("засідання", r"засіданн"),
    ("зустріч", r"зустріч"),
    ("візит", r"візит"),
)
"""Activity kinds: label, regex on the lower-cased body; the earliest match in the body wins."""
OTHER_KIND = "інше"
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "assistance_project.monitoring_type": tuple(cls for cls, _ in MONITORING_CLASSES),
    "assistance_project_activities.kind": (*(kind for kind, _ in KINDS), OTHER_KIND),
}

CARD_RE = r"№\s*(?P<number>[\w\-/]+)\s+від\s+(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
"""The registration card's number and date: "№ 3567-06 від 24.06.2016"."""
AMOUNT_RE = r"(\d{1,3}(?:[\s\u00a0]\d{3})*(?:,\s?\d{1,2})?)\s*(?:грн|гривен)"
"""An amount in hryvnias: "189 320 690,92 грн.", also with a space after the comma."""
NOT_REPORTED_RE = r"(?i)інформація\s+відсутн|не\s+надан|відсутн"
"""A spending category the report leaves open ("Інформація відсутня"): not reported, not zero."""
TITLE_PROJECT_RE = r"«(?P<title>.+)»\s*(?:\((?P<code>[^()]+)\))?"
"""The project in the title: its name in «…», then its code in parentheses ("(IMMIS)")."""
GOAL_RE = r"(?i)^\s*ціль\s*(\d+)\s*\.?\s*(.*)$"
INDICATOR_NO_RE = r"^\s*(\d+)\s*\."
"""An indicator's number at the start of its criterion ("3. Кількість …")."""
FREE_SECTIONS: dict[str, str] = {"problems": r"(?i)проблем|пропозиц", "assessment": r"(?i)оцінк"}
"""Free-text section -> regex on its heading; tried in this order ("оцінка проблем" is problems)."""

AMOUNT = pl.Decimal(18, 2)
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "assistance_project": {
        "source_sha256": pl.String(),
        "record_key": pl.String(),
        "source_file": pl.String(),
        "project_title": pl.String(),
        "project_code": pl.String(),
        "monitoring_type_text": pl.String(),
        "monitoring_type": pl.String(),
        "reporting_period_text": pl.String(),
        "period_start_date": pl.Date(),
        "period_end_date": pl.Date(),
        "partner": pl.String(),
        "beneficiaries_text": pl.String(),
        "beneficiaries": pl.List(pl.String()),
        "recipients_text": pl.String(),
        "recipients": pl.List(pl.String()),
        "registration_card_text": pl.String(),
        "registration_card_number": pl.String(),
        "registration_card_date": pl.Date(),
        "results_summary": pl.String(),
        "links": pl.String(),
        "total_spent_label": pl.String(),
        "total_spent_text": pl.String(),
        "total_spent_uah": AMOUNT,
        "assessment": pl.String(),
        "problems": pl.String(),
        "signer_position": pl.String(),
        "signer_name": pl.String(),
    },
    "assistance_project_spending": {
        "source_sha256": pl.String(),
        "record_key": pl.String(),
        "category_index": pl.Int32(),
        "category": pl.String(),
        "value_text": pl.String(),
        "amount_uah": AMOUNT,
        "is_reported": pl.Boolean(),
        "page_first": pl.Int32(),
        "page_last": pl.Int32(),
    },
    "assistance_project_indicators": {
        "source_sha256": pl.String(),
        "record_key": pl.String(),
        "indicator_index": pl.Int32(),
        "goal_number": pl.Int32(),
        "goal_title": pl.String(),
        "indicator_number": pl.Int32(),
        "criterion": pl.String(),
        "planned": pl.String(),
        "actual": pl.String(),
        "actual_merged_into": pl.Int32(),
        "page_first": pl.Int32(),
        "page_last": pl.Int32(),
    },
    "assistance_project_activities": {
        "source_sha256": pl.String(),
        "record_key": pl.String(),
        "indicator_number": pl.Int32(),
        "activity_position": pl.Int32(),
        "date_text": pl.String(),
        "start_date": pl.Date(),
        "end_date": pl.Date(),
        "place": pl.String(),
        "kind": pl.String(),
        "title": pl.String(),
        "participants_count": pl.Int32(),
    },
}


def _is_results(table: Table) -> bool:
    return not columns.missing_columns(
        columns.map_columns(table.header, RESULT_COLUMNS), RESULT_COLUMNS
    )


def _passport_field(key: str) -> str | None:
    text = columns.header_text(key)
    return next((name for name, pattern in PASSPORT_FIELDS if re.search(pattern, text)), None)


def _is_passport(table: Table) -> bool:
    names = {_passport_field(f.key) for f in fields(table)}
    return len(names & set(REQUIRED_FIELDS)) == len(REQUIRED_FIELDS)


def titled(doc: Document) -> bool:
    """The title names project monitoring."""
    return bool(re.search(TITLE_RE, common.report_title(doc)))


def matches(doc: Document) -> bool:
    """A project monitoring report: the title names project monitoring, a results table maps."""
    return titled(doc) and any(_is_results(t) for t in doc.tables)


def find_tables(doc: Document) -> tuple[Table, Table, dict[str, int]]:
    """(passport, results table, its column mapping); DocumentError naming what is missing."""
    results = [t for t in doc.tables if _is_results(t)]
    if not results:
        if not doc.tables:
            raise DocumentError("no_table", "the report has no tables")
        best = max(doc.tables, key=lambda t: len(columns.map_columns(t.header, RESULT_COLUMNS)))
        found = columns.map_columns(best.header, RESULT_COLUMNS)
        raise columns.missing_column_error(best, columns.missing_columns(found, RESULT_COLUMNS)[0])
    passports = [t for t in doc.tables if t.index < results[0].index and _is_passport(t)]
    if not passports:
        raise DocumentError("no_passport", "no passport table (period, partner) before section 3")
    return passports[0], results[0], columns.map_columns(results[0].header, RESULT_COLUMNS)


def _text(expr: pl.Expr) -> pl.Expr:
    """Whitespace collapsed; empty -> null."""
    return cell_text(expr, collapse=True)


def amount_expr(text: pl.Expr) -> pl.Expr:
    """The first hryvnia amount in `text` as Decimal(18, 2); null when none is written."""
    digits = text.str.extract(AMOUNT_RE).str.replace_all(r"[\s\u00a0]", "").str.replace(",", ".")
    return digits.cast(AMOUNT)


def split_list_expr(text: pl.Expr) -> pl.Expr:
    """A comma list -> items. Commas inside «…» do not split, nor does a comma followed by a
    lower-case word ("Головний центр зв'язку, автоматизації та захисту інформації ДПСУ")."""
    item = rf"(?:«[^»]*»|[^,«]|,\s*{_CONTINUES})+"
    return text.str.extract_all(item).list.eval(
        pl.element().str.strip_chars().filter(pl.element() != "")
    )


def _make_date(year: pl.Expr, month: pl.Expr, day: pl.Expr) -> pl.Expr:
    # strict=False: a day that does not exist in its month ("31 червня") is no date, not an error.
    text = pl.format("{}-{}-{}", year, month.cast(pl.String).str.zfill(2), day.str.zfill(2))
    return text.str.to_date("%Y-%m-%d", strict=False)


def period_exprs(text: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Reporting period "грудень 2016 р. – травень 2021 р." (or dd.mm.yyyy – dd.mm.yyyy) ->
    (first day of the first month, last day of the last month)."""
    low = text.str.to_lowercase()
    spans = low.str.extract_groups(rf"({MONTH_RE})\s+({_Y})\D+?({MONTH_RE})\s+({_Y})")
    numeric = low.str.extract_groups(
        r"(\d{1,2})\.(\d{1,2})\.(\d{4})\D+(\d{1,2})\.(\d{1,2})\.(\d{4})"
    )
    start_month = _make_date(
        spans.struct.field("2"), month_number(spans.struct.field("1")), pl.lit("1")
    )
    end_first = _make_date(
        spans.struct.field("4"), month_number(spans.struct.field("3")), pl.lit("1")
    )
    start = pl.coalesce(
        start_month,
        _make_date(
            numeric.struct.field("3"),
            numeric.struct.field("2").cast(pl.Int32),
            numeric.struct.field("1"),
        ),
    )
    end = pl.coalesce(
        end_first.dt.month_end(),
        _make_date(
            numeric.struct.field("6"),
            numeric.struct.field("5").cast(pl.Int32),
            numeric.struct.field("4"),
        ),
    )
    return start, end


def monitoring_class_expr(text: pl.Expr) -> pl.Expr:
    """Monitoring type text -> one of `MONITORING_CLASSES`; null when none is named."""
    return first_match(text, MONITORING_CLASSES)


def passport_frame(passport: Table) -> pl.LazyFrame:
    """The passport's rows: field name (null for sub-rows), key, value, pages."""
    rows = fields(passport)
    return pl.LazyFrame(
        {
            "row": list(range(len(rows))),
            "field": [_passport_field(f.key) for f in rows],
            "key": [f.key for f in rows],
            "value": [f.value for f in rows],
            "section": [f.section for f in rows],
            "page_first": [f.row.page_first for f in rows],
            "page_last": [f.row.page_last for f in rows],
        },
        schema={
            "row": pl.Int32,
            "field": pl.String,
            "key": pl.String,
            "value": pl.String,
            "section": pl.String,
            "page_first": pl.Int32,
            "page_last": pl.Int32,
        },
    )


def spending(passport: pl.LazyFrame, source_sha256: str) -> pl.LazyFrame:
    """The rows after the total-spent row, in its section: one per spending category."""
    is_total = (pl.col("field") == "total_spent").fill_null(False)
    after_total = is_total.cum_sum().over("section") > 0
    return (
        passport.filter(after_total & pl.col("field").is_null())
        .with_columns(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.int_range(1, pl.len() + 1, dtype=pl.Int32).alias("category_index"),
            _text(pl.col("key")).alias("category"),
            _text(pl.col("value")).alias("value_text"),
            amount_expr(pl.col("value")).alias("amount_uah"),
        )
        .with_columns(pl.col("category_index").cast(pl.String).alias(RECORD_KEY))
        .with_columns(
            (
                pl.col("amount_uah").is_not_null()
                | (
                    pl.col("value_text").is_not_null()
                    & ~pl.col("value_text").str.contains(NOT_REPORTED_RE)
                )
            ).alias("is_reported")
        )
        .pipe(conform, SCHEMAS["assistance_project_spending"])
    )


def project(
    passport: pl.LazyFrame,
    title: str,
    source_sha256: str,
    source_file: str,
    free: dict[str, str | None],
) -> pl.LazyFrame:
    """The passport pivoted to one typed row."""
    names = [name for name, _ in PASSPORT_FIELDS]
    wide = passport.select(
        *(_text(pl.col("value").filter(pl.col("field") == n).first()).alias(n) for n in names),
        _text(pl.col("key").filter(pl.col("field") == "total_spent").first()).alias(
            "total_spent_label"
        ),
    )
    card = pl.col("registration_card").str.extract_groups(CARD_RE)
    start, end = period_exprs(pl.col("reporting_period"))
    title_parts = pl.lit(title).str.extract_groups(TITLE_PROJECT_RE)
    return (
        wide.with_columns(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.lit(DOCUMENT_RECORD_KEY, pl.String).alias(RECORD_KEY),
            pl.lit(source_file, pl.String).alias("source_file"),
            _text(title_parts.struct.field("title")).alias("project_title"),
            _text(title_parts.struct.field("code")).alias("project_code"),
            pl.col("monitoring_type").alias("monitoring_type_text"),
            pl.coalesce(
                monitoring_class_expr(pl.col("monitoring_type")),
                monitoring_class_expr(pl.lit(title)),
            ).alias("_monitoring"),
            pl.col("reporting_period").alias("reporting_period_text"),
            start.alias("period_start_date"),
            end.alias("period_end_date"),
            pl.col("beneficiary").alias("beneficiaries_text"),
            split_list_expr(pl.col("beneficiary")).alias("beneficiaries"),
            pl.col("recipient").alias("recipients_text"),
            split_list_expr(pl.col("recipient")).alias("recipients"),
            pl.col("registration_card").alias("registration_card_text"),
            card.struct.field("number").alias("registration_card_number"),
            _make_date(
                card.struct.field("y"),
                card.struct.field("m").cast(pl.Int32),
                card.struct.field("d"),
            ).alias("registration_card_date"),
            pl.col("total_spent").alias("total_spent_text"),
            amount_expr(pl.col("total_spent")).alias("total_spent_uah"),
            *(pl.lit(v, pl.String).alias(k) for k, v in free.items()),
        )
        .drop("monitoring_type")
        .rename({"_monitoring": "monitoring_type"})
        .pipe(conform, SCHEMAS["assistance_project"])
    )


def results_frame(table: Table, mapping: dict[str, int]) -> pl.LazyFrame:
    """The results table's rows: kind, criterion/planned/actual, actual vertically merged, pages."""
    actual_col = mapping["actual"]
    data: dict[str, list[object]] = {
        k: []
        for k in ("kind", "group", "criterion", "planned", "actual", "page_first", "page_last")
    }
    data["actual_vmerged"] = []
    for row in table.rows:
        data["kind"].append(row.kind)
        data["group"].append(row.text if row.kind == "group" else None)
        for col in RESULT_COLUMNS:
            i = mapping[col.key]
            ok = row.kind == "data" and i < len(row.cells)
            data[col.key].append(row.cells[i] if ok else None)
        data["actual_vmerged"].append(row.kind == "data" and actual_col in row.vmerge)
        data["page_first"].append(row.page_first)
        data["page_last"].append(row.page_last)
    schema = {k: pl.String for k in ("kind", "group", "criterion", "planned", "actual")}
    schema |= {"page_first": pl.Int32, "page_last": pl.Int32, "actual_vmerged": pl.Boolean}
    return pl.LazyFrame(data, schema=schema)


def indicators(rows: pl.LazyFrame, source_sha256: str) -> pl.LazyFrame:
    """Rows of the results table -> one row per indicator (pure, lazy)."""
    is_group = pl.col("kind") == "group"
    goal = pl.col("group").str.replace_all(r"\s+", " ").str.extract_groups(GOAL_RE)
    number = pl.col("criterion").str.extract(INDICATOR_NO_RE).cast(pl.Int32)
    return (
        rows.with_columns(
            pl.when(is_group).then(goal.struct.field("1").cast(pl.Int32)).alias("goal_number"),
            pl.when(is_group).then(_text(goal.struct.field("2"))).alias("goal_title"),
        )
        .with_columns(pl.col("goal_number", "goal_title").forward_fill())
        .filter(~is_group)
        .with_columns(_text(pl.col(k)).alias(k) for k in ("criterion", "planned", "actual"))
        .filter(pl.any_horizontal(pl.col(k).is_not_null() for k in ("criterion", "planned")))
        .with_columns(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.int_range(pl.len(), dtype=pl.Int32).alias("indicator_index"),
            pl.coalesce(number, pl.int_range(1, pl.len() + 1, dtype=pl.Int32))
            .alias("indicator_number"),
        )
        .with_columns(pl.col("indicator_number").cast(pl.String).alias(RECORD_KEY))
        .with_columns(
            pl.when(~pl.col("actual_vmerged")).then(pl.col("indicator_number"))
            .forward_fill().alias("_owner"),
        )
        .with_columns(
            pl.when(pl.col("actual_vmerged")).then(pl.col("_owner")).alias("actual_merged_into"),
        )
        .pipe(conform, SCHEMAS["assistance_project_indicators"])
    )  # fmt: skip


def results_continuation(mapping: dict[str, int]):
    """`is_continuation` for `restitch`: a piece at the top of a page continues the indicator
    above unless its criterion starts a new numbered indicator ("3. …"). A long criterion cut by
    a page break leaves its tail ("відомствами.") in the first cell of the next page's piece."""
    col = mapping["criterion"]

    def is_continuation(previous: Row, cells: list[str], at_page_top: bool) -> bool:
        if not at_page_top:
            return False
        criterion = cells[col] if col < len(cells) else ""
        return not re.match(INDICATOR_NO_RE, criterion or "")

    return is_continuation


def kind_expr(body: pl.Expr) -> pl.Expr:
    """The kind whose word comes first in the body; "інше" when none does (on a tie, the kind
    listed first in `KINDS`).

    Kept linear in the number of kinds: a fold that reuses the running best inside the next
    step doubles the expression tree per kind (2^10 copies took 30 s and 4 GB per document).
    """
    low = body.str.to_lowercase()
    positions = [low.str.find(pattern) for _, pattern in KINDS]
    first = pl.min_horizontal(positions)
    chain = pl.when(positions[0] == first).then(pl.lit(KINDS[0][0]))
    for (label, _), pos in zip(KINDS[1:], positions[1:], strict=True):
        chain = chain.when(pos == first).then(pl.lit(label))
    return chain.otherwise(pl.lit(OTHER_KIND))


def activities(indicators_lf: pl.LazyFrame, source_sha256: str) -> pl.LazyFrame:
    """Actual results -> one row per dated activity (grammar in the module docstring)."""
    match = pl.col("_match").str.extract_groups(ACTIVITY_RE)
    participants = (
        pl.concat_str(pl.col("body"), pl.col("tail").fill_null(""))
        .str.extract_all(PARTICIPANTS_RE)
        .list.last()
    )
    return (
        indicators_lf.select(
            "indicator_number",
            pl.col("actual").str.replace_all(r"\s+", " ")
            .str.replace_all(LIST_ITEM_RE, LIST_ITEM_DASH)
            .str.extract_all(ACTIVITY_RE).alias("_match"),
        )
        .explode("_match")
        .filter(pl.col("_match").is_not_null())
        .with_columns(match.alias("_g"))
        .unnest("_g")
        .with_columns(month_number(pl.col(m)).alias(f"_{m}") for m in ("m1", "m2"))
        .with_columns(
            pl.lit(source_sha256, pl.String).alias("source_sha256"),
            pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("indicator_number")
            .alias("activity_position"),
            pl.col("_match").str.extract(rf"({DATE_RE})").str.strip_chars().alias("date_text"),
            _make_date(
                pl.coalesce("y1", "y2"), pl.coalesce("_m1", "_m2"), pl.col("d1")
            ).alias("start_date"),
            _make_date(pl.col("y2"), pl.col("_m2"), pl.coalesce("d2", "d1")).alias("end_date"),
            pl.coalesce(
                _text(pl.col("place")), pl.col("body").str.extract(PLACE_IN_BODY_RE)
            ).alias("place"),
            kind_expr(pl.col("body")).alias("kind"),
            participants.str.extract(r"(\d+)").cast(pl.Int32).alias("participants_count"),
            _text(
                pl.col("body").str.replace_all(PARTICIPANTS_RE, "").str.strip_chars(" ;.,–-")
            ).alias("title"),
        )
        .with_columns(
            pl.format("{}|{}", "indicator_number", "activity_position").alias(RECORD_KEY),
        )
        .pipe(conform, SCHEMAS["assistance_project_activities"])
    )  # fmt: skip


def free_sections(doc: Document, results: Table) -> dict[str, str | None]:
    """Sections 4 (assessment) and 5 (problems and proposals) and the signer, after the table."""
    found, trailing = sections(blocks_after(doc.blocks, results))
    out: dict[str, str | None] = {"assessment": None, "problems": None}
    for section in found:
        heading = re.sub(r"^\s*\d+(?:\.\d+)*\.\s*", "", section.heading)
        key = next((k for k, pattern in FREE_SECTIONS.items() if re.search(pattern, heading)), None)
        if key and out[key] is None:
            out[key] = section.text or None
    out["signer_position"] = " ".join(trailing[:-1]) or None if len(trailing) > 1 else None
    out["signer_name"] = trailing[-1] if trailing else None
    return out


def normalise(doc: Document) -> dict[str, pl.DataFrame]:
    """The document -> the four `assistance_project*` frames."""
    passport, results, mapping = find_tables(doc)
    if passport.rows and all(row.parts for row in passport.rows):  # truth-built tables have none
        passport = restitch(passport, is_key_continuation)
    free = free_sections(doc, results)  # found by position: before re-stitching the table
    if results.rows and all(row.parts for row in results.rows):
        results = restitch(results, results_continuation(mapping))
    pp = passport_frame(passport)
    present = set(pp.select("field").collect().to_series().drop_nulls())
    missing = [f for f in REQUIRED_FIELDS if f not in present]
    if missing:
        raise DocumentError("missing_field", f"passport field(s) not found: {', '.join(missing)}")
    title = common.report_title(doc)
    proj = project(pp, title, doc.sha256, doc.file_name, free)
    spend = spending(pp, doc.sha256)
    ind = indicators(results_frame(results, mapping), doc.sha256)
    act = activities(ind, doc.sha256)
    out = pl.collect_all([proj, spend, ind, act])
    frames = dict(zip(SCHEMAS, out, strict=True))
    row = frames["assistance_project"].row(0, named=True)
    if row["period_start_date"] is None or row["period_end_date"] is None:
        raise DocumentError("bad_period", "the reporting period names no months or dates")
    if frames["assistance_project_indicators"].is_empty():
        raise DocumentError("no_rows", "the results table has no indicators")
    return frames
