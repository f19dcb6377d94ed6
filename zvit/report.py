"""The HTML report published beside the marts: one self-contained file people open with a double
click, with a chart per report type and small tables, labelled in Ukrainian.

Charts are Vega-Lite specs made with altair; the Vega, Vega-Lite and vega-embed JavaScript is
inlined once (bundled by `vl-convert-python`), so the file needs no network. Each chart container
gets `data-rendered="true"` once vega-embed has drawn it (the headless-browser test looks for it).

Everything is read from the published marts file over a read-only connection; a mart that is
missing or empty leaves its section saying so. Unit names come from `dim_units.unit_name` (the code
where there is none); status labels from a `status_label_uk` column when the marts have one, else
from `STATUS_LABELS` below.
"""

from __future__ import annotations

import functools
import html
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import altair as alt
import duckdb
import jinja2

from warehouse.publish import open_marts
from zvit.settings import Settings

REPORT_DIR = "report"
CHART_WIDTH = 640
LOCALE = "uk-UA"

STATUS_LABELS: dict[str, dict[str, str]] = {
    "plan": {
        "done": "Виконано",
        "partially_done": "Виконано частково",
        "in_progress": "Виконується",
        "postponed": "Перенесено",
        "not_held": "Не проводився",
        "not_done": "Не виконано",
        "unknown": "Не визначено",
    },
    "anticorruption": {
        "done": "Виконано",
        "ongoing": "Виконується постійно",
        "not_required": "Не потребує виконання",
        "partially_done": "Частково / призупинено",
        "not_done": "Не виконано",
        "unknown": "Без відмітки",
    },
}
"""Legend labels of the status codes, in the order the bars stack (done first)."""

STATUS_COLOURS = {
    "done": "#2e7d32",
    "ongoing": "#66bb6a",
    "not_required": "#a5d6a7",
    "partially_done": "#f9a825",
    "in_progress": "#29b6f6",
    "postponed": "#8e24aa",
    "not_held": "#8d6e63",
    "not_done": "#c62828",
    "unknown": "#9e9e9e",
}


@dataclass
class Section:
    """One report type: its charts (Vega-Lite dicts) and tables (header + rows)."""

    key: str
    title: str
    note: str = ""
    charts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    tables: list[tuple[str, Sequence[str], list[Sequence[Any]]]] = field(default_factory=list)


class Marts:
    """Small read-only queries on the published marts file."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.columns: dict[str, set[str]] = {}
        for table, column in con.execute(
            "select table_name, column_name from duckdb_columns() "
            "where database_name = current_database()"
        ).fetchall():
            self.columns.setdefault(table, set()).add(column)

    def has(self, table: str, *columns: str) -> bool:
        return table in self.columns and set(columns) <= self.columns[table]

    def empty(self, table: str) -> bool:
        """No such mart, or no rows in it (nothing of its type loaded yet)."""
        return not self.has(table) or not self.rows(f"select 1 from {table} limit 1")

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]

    def unit_labels(self) -> dict[str, str]:
        """Unit code -> its name, or the code itself where the marts know no name."""
        if not self.has("dim_units", "unit_code", "unit_name"):
            return {}
        return {
            r["unit_code"]: r["unit_name"] or r["unit_code"]
            for r in self.rows("select unit_code, unit_name from dim_units")
        }

    def status_labels(self, kind: str, table: str) -> dict[str, str]:
        """Status code -> Ukrainian label: the marts' own `status_label_uk` when present."""
        labels = dict(STATUS_LABELS[kind])
        if self.has(table, "status", "status_label_uk"):
            for r in self.rows(
                f"select distinct status, status_label_uk from {table} "
                "where status_label_uk is not null"
            ):
                labels[r["status"]] = r["status_label_uk"]
        return labels


def _status_long(
    rows: Iterable[dict[str, Any]], labels: dict[str, str], keys: Sequence[str]
) -> list[dict[str, Any]]:
    """Wide status-count rows (one column per status) -> one row per group and status."""
    out = []
    for r in rows:
        for order, (status, label) in enumerate(labels.items()):
            if r.get(status):
                out.append(
                    {**{k: r[k] for k in keys}, "Статус": label, "order": order, "n": r[status]}
                )
    return out


def _status_colour(labels: dict[str, str]) -> alt.Color:
    return alt.Color(
        "Статус:N",
        sort=list(labels.values()),
        scale=alt.Scale(
            domain=list(labels.values()),
            range=[STATUS_COLOURS.get(s, "#607d8b") for s in labels],
        ),
        legend=alt.Legend(title="Статус", orient="bottom", columns=3),
    )


def _rate(channel: type[alt.X] | type[alt.Y]) -> alt.X | alt.Y:
    """The execution rate on an axis, 0-100 %."""
    return channel(
        "execution_rate:Q",
        title="Частка виконаних",
        axis=alt.Axis(format="%"),
        scale=alt.Scale(domain=[0, 1]),
    )


def _year_colour() -> alt.Color:
    return alt.Color("Рік:N", title="Рік звіту", legend=alt.Legend(orient="bottom"))


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


def plan_section(m: Marts, s: Section) -> None:
    labels = m.status_labels("plan", "fct_plan_measures")
    by_section = m.rows(
        "select * from plan_execution_by_section order by report_year, section_number"
    )
    for r in by_section:
        r["Рік"] = str(r["report_year"])
        r["Розділ"] = f"Розділ {r['section_number']}"
    years = sorted({r["Рік"] for r in by_section})
    s.note = (
        "Частка виконаних заходів (статус «Виконано») за останнім завантаженим звітом кожного року."
        + (" Роки поруч для порівняння." if len(years) > 1 else "")
    )
    tooltip = [
        alt.Tooltip("Рік:N"),
        alt.Tooltip("section_title:N", title="Розділ"),
        alt.Tooltip("measures:Q", title="Заходів"),
        alt.Tooltip("done:Q", title="Виконано"),
        alt.Tooltip("execution_rate:Q", title="Частка виконаних", format=".1%"),
    ]
    rate = (
        alt.Chart(alt.Data(values=by_section), title="Частка виконаних заходів за розділами")
        .mark_bar()
        .encode(
            x=alt.X("Розділ:N", sort=None, title="Розділ плану", axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("Рік:N"),
            y=_rate(alt.Y),
            color=_year_colour(),
            tooltip=tooltip,
        )
        .properties(width=CHART_WIDTH, height=260)
    )
    s.charts.append(("plan-by-section", rate.to_dict()))

    statuses = (
        alt.Chart(
            alt.Data(values=_status_long(by_section, labels, ["Рік", "Розділ", "section_title"])),
            title="Заходи за статусом виконання",
        )
        .mark_bar()
        .encode(
            y=alt.Y("Розділ:N", sort=None, title=None),
            x=alt.X("sum(n):Q", title="Кількість заходів"),
            color=_status_colour(labels),
            order=alt.Order("order:Q"),
            row=alt.Row("Рік:N", title="Рік звіту"),
            tooltip=[
                alt.Tooltip("section_title:N", title="Розділ"),
                "Статус:N",
                alt.Tooltip("n:Q", title="Заходів"),
            ],
        )
        .properties(width=CHART_WIDTH - 120)
    )
    s.charts.append(("plan-statuses", statuses.to_dict()))

    units = m.unit_labels()
    by_unit = m.rows(
        "select * from plan_execution_by_executor order by report_year, measures desc, unit_code"
    )
    for r in by_unit:
        r["Рік"] = str(r["report_year"])
        r["Підрозділ"] = units.get(r["unit_code"], r["unit_code"])
    totals: dict[str, int] = {}
    for r in by_unit:
        totals[r["unit_code"]] = totals.get(r["unit_code"], 0) + r["measures"]
    top = set(sorted(totals, key=lambda code: (-totals[code], code))[:15])
    unit_chart = (
        alt.Chart(
            alt.Data(values=[r for r in by_unit if r["unit_code"] in top]),
            title="Виконання плану за підрозділами-виконавцями (15 з найбільшою кількістю заходів)",
        )
        .mark_bar()
        .encode(
            y=alt.Y("Підрозділ:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            yOffset=alt.YOffset("Рік:N"),
            x=_rate(alt.X),
            color=_year_colour(),
            tooltip=[
                alt.Tooltip("Підрозділ:N"),
                alt.Tooltip("unit_code:N", title="Код"),
                alt.Tooltip("Рік:N"),
                alt.Tooltip("measures:Q", title="Заходів"),
                alt.Tooltip("done:Q", title="Виконано"),
                alt.Tooltip("execution_rate:Q", title="Частка виконаних", format=".1%"),
            ],
        )
        .properties(width=CHART_WIDTH - 320)
    )
    s.charts.append(("plan-by-unit", unit_chart.to_dict()))

    s.tables.append(
        (
            "За розділами",
            ["Рік", "Розділ", "Назва", "Заходів", "Виконано", "Частка виконаних"],
            [
                [
                    r["report_year"],
                    r["section_number"],
                    r["section_title"],
                    r["measures"],
                    r["done"],
                    _percent(r["execution_rate"]),
                ]
                for r in by_section
            ],
        )
    )
    s.tables.append(
        (
            "За підрозділами",
            ["Рік", "Підрозділ", "Код", "Заходів", "Виконано", "Частка виконаних"],
            [
                [
                    r["report_year"],
                    r["Підрозділ"],
                    r["unit_code"],
                    r["measures"],
                    r["done"],
                    _percent(r["execution_rate"]),
                ]
                for r in by_unit
            ],
        )
    )


def anticorruption_section(m: Marts, s: Section) -> None:
    s.note = (
        "Стан заходів за напрямами, за останнім завантаженим звітом року. «Частка виконаних» "
        "означає те саме, що й у плані роботи: виконані заходи до всіх; частка з постійними "
        "заходами і тими, що не потребують виконання, наведена окремо."
    )
    labels = m.status_labels("anticorruption", "fct_anticorruption_measures")
    areas = m.rows(
        "select * from anticorruption_by_area order by programme_year, appendix_number, area_number"
    )
    units = m.unit_labels()
    for r in areas:
        r["Рік"] = str(r["programme_year"])
        r["Напрям"] = f"{r['appendix_number']}.{r['area_number']} {r['area_title'] or ''}".strip()
    chart = (
        alt.Chart(
            alt.Data(values=_status_long(areas, labels, ["Рік", "Напрям"])),
            title="Заходи антикорупційної програми за напрямами і станом виконання",
        )
        .mark_bar()
        .encode(
            y=alt.Y("Напрям:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)),
            x=alt.X("sum(n):Q", title="Кількість заходів"),
            color=_status_colour(labels),
            order=alt.Order("order:Q"),
            row=alt.Row("Рік:N", title="Рік програми"),
            tooltip=["Напрям:N", "Статус:N", alt.Tooltip("n:Q", title="Заходів")],
        )
        .properties(width=CHART_WIDTH - 360)
    )
    s.charts.append(("anticorruption-by-area", chart.to_dict()))
    s.tables.append(
        (
            "За напрямами",
            [
                "Рік",
                "Напрям",
                "Заходів",
                "Частка виконаних",
                "Разом із постійними і непотрібними",
                "Відповідальні",
            ],
            [
                [
                    r["programme_year"],
                    r["Напрям"],
                    r["measures"],
                    _percent(r["execution_rate"]),
                    _percent(r.get("done_ongoing_or_not_required_rate")),
                    "; ".join(units.get(u, u) for u in r["responsible_units"] or []),
                ]
                for r in areas
            ],
        )
    )


def assistance_section(m: Marts, s: Section) -> None:
    s.note = "Витрати за категоріями з паспорта проєкту; показники — заплановане і фактичне."
    spending = m.rows(
        "select coalesce(project_code, project_title) as project, category, amount_uah, "
        "value_text, is_reported from fct_assistance_spending order by project, category_index"
    )
    reported = [
        {**r, "amount_uah": float(r["amount_uah"])}
        for r in spending
        if r["is_reported"] and r["amount_uah"] is not None
    ]
    if reported:
        chart = (
            alt.Chart(alt.Data(values=reported), title="Витрати за категоріями, грн")
            .mark_bar()
            .encode(
                y=alt.Y("category:N", title=None, axis=alt.Axis(labelLimit=360)),
                yOffset=alt.YOffset("project:N"),
                x=alt.X("amount_uah:Q", title="Сума, грн", axis=alt.Axis(format=",.0f")),
                color=alt.Color("project:N", title="Проєкт", legend=alt.Legend(orient="bottom")),
                tooltip=[
                    alt.Tooltip("project:N", title="Проєкт"),
                    alt.Tooltip("category:N", title="Категорія"),
                    alt.Tooltip("amount_uah:Q", title="Сума, грн", format=",.2f"),
                ],
            )
            .properties(width=CHART_WIDTH - 240)
        )
        s.charts.append(("assistance-spending", chart.to_dict()))
    indicators = m.rows(
        "select coalesce(project_code, project) as project, goal_number, indicator_number, "
        "criterion, planned, actual, activities_count, participants_total "
        "from fct_assistance_indicators order by project, indicator_number"
    )
    for r in indicators:
        r["Показник"] = f"{r['project']} · {r['indicator_number']}"
        r["participants_total"] = int(r["participants_total"] or 0)
    chart = (
        alt.Chart(alt.Data(values=indicators), title="Показники: заходи, якими підтверджено факт")
        .mark_bar()
        .encode(
            x=alt.X(
                "Показник:N", sort=None, title="Проєкт · № показника", axis=alt.Axis(labelAngle=-45)
            ),
            y=alt.Y("activities_count:Q", title="Заходів у фактичних результатах"),
            color=alt.Color("project:N", title="Проєкт", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("Показник:N"),
                alt.Tooltip("criterion:N", title="Критерій"),
                alt.Tooltip("activities_count:Q", title="Заходів"),
                alt.Tooltip("participants_total:Q", title="Учасників"),
            ],
        )
        .properties(width=CHART_WIDTH, height=220)
    )
    s.charts.append(("assistance-indicators", chart.to_dict()))
    s.tables.append(
        (
            "Витрати за категоріями",
            ["Проєкт", "Категорія", "Сума, грн / як записано"],
            [
                [
                    r["project"],
                    r["category"],
                    f"{r['amount_uah']:,.2f}".replace(",", " ").replace(".", ",")
                    if r["amount_uah"] is not None
                    else r["value_text"],
                ]
                for r in spending
            ],
        )
    )
    s.tables.append(
        (
            "Показники: заплановано і фактично",
            ["Проєкт", "Ціль", "№", "Заплановано", "Фактично", "Заходів", "Учасників"],
            [
                [
                    r["project"],
                    r["goal_number"],
                    r["indicator_number"],
                    r["planned"],
                    r["actual"],
                    r["activities_count"],
                    r["participants_total"],
                ]
                for r in indicators
            ],
        )
    )


def service_section(m: Marts, s: Section) -> None:
    s.note = (
        "Граничний строк кожного етапу в календарних днях (робочий день = 1,4; місяць = 30) "
        "за останньою карткою послуги; етапи, що виконуються в день звернення, — 0."
    )
    stages = m.rows(
        "select d.service_name, f.stage_number, sum(f.deadline_days) as days, "
        "count(*) as steps, bool_and(f.is_same_day) as same_day "
        "from fct_service_stages f join dim_services d using (service_id) "
        "where f.is_latest_card group by all order by d.service_name, f.stage_number"
    )
    for r in stages:
        r["days"] = None if r["days"] is None else float(r["days"])
        r["Етап"] = r["stage_number"]
    chart = (
        alt.Chart(alt.Data(values=stages), title="Граничний строк за етапами, календарних днів")
        .mark_bar()
        .encode(
            x=alt.X("Етап:O", title="Етап", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("days:Q", title="Днів"),
            color=alt.Color(
                "service_name:N",
                legend=None,  # the row headers name the services
            ),
            row=alt.Row(
                "service_name:N",
                title=None,
                header=alt.Header(
                    labelAngle=0,
                    labelAlign="left",
                    labelOrient="top",
                    labelLimit=CHART_WIDTH,
                    labelFontWeight="bold",
                ),
            ),
            tooltip=[
                alt.Tooltip("service_name:N", title="Послуга"),
                alt.Tooltip("Етап:O"),
                alt.Tooltip("days:Q", title="Днів", format=",.1f"),
                alt.Tooltip("steps:Q", title="Кроків"),
            ],
        )
        .properties(width=CHART_WIDTH, height=160)
        .resolve_scale(x="independent", y="independent")
    )
    s.charts.append(("service-stages", chart.to_dict()))
    if m.has("service_time_budget"):
        budget = m.rows("select * from service_time_budget order by service_name")
        s.tables.append(
            (
                "Строки послуг",
                [
                    "Послуга",
                    "Етапів",
                    "Кроків",
                    "Сума строків, днів",
                    "Кроків без строку",
                    "Етапів у день звернення",
                ],
                [
                    [
                        r["service_name"],
                        r["stages"],
                        r["steps"],
                        f"{r['longest_path_days']:.1f}".replace(".", ","),
                        r["steps_without_deadline"],
                        f"{r['same_day_stages']} ({_percent(r['same_day_share'])})",
                    ]
                    for r in budget
                ],
            )
        )


SECTIONS: tuple[tuple[str, str, str, str, Callable[[Marts, Section], None]], ...] = (
    (
        "plan",
        "Виконання Плану роботи ДМС",
        "plan_execution_by_section",
        "Звітів про виконання плану ще не завантажено.",
        plan_section,
    ),
    (
        "anticorruption",
        "Антикорупційна програма",
        "anticorruption_by_area",
        "Звітів про виконання антикорупційної програми ще не завантажено.",
        anticorruption_section,
    ),
    (
        "assistance",
        "Проєкти міжнародної технічної допомоги",
        "fct_assistance_indicators",
        "Звітів моніторингу проєктів МТД ще не завантажено.",
        assistance_section,
    ),
    (
        "service",
        "Адміністративні послуги: строки за етапами",
        "fct_service_stages",
        "Технологічних карток ще не завантажено.",
        service_section,
    ),
)
"""Per report type: key, title, the mart that is empty until one is loaded, what to say then,
and what fills the section."""


def build_sections(m: Marts) -> list[Section]:
    sections = []
    for key, title, table, when_empty, fill in SECTIONS:
        section = Section(key, title)
        if m.empty(table):
            section.note = when_empty
        else:
            fill(m, section)
        sections.append(section)
    return sections


@functools.cache
def vega_javascript(cache_dir: Path | None = None) -> str:
    """vega, vega-lite and vega-embed in one script (~0.9 MB), for the Vega-Lite version altair
    writes. Bundling takes ~3 s, so the bundle is kept in `cache_dir` (the report folder), named
    by the vl-convert and Vega-Lite versions, and in memory for the process."""
    import vl_convert

    vl_version = "v" + ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    cached = None
    if cache_dir is not None:
        cached = cache_dir / f".vega-bundle-{vl_convert.__version__}-{vl_version}.js"
        if cached.exists():
            return cached.read_text(encoding="utf-8")
    bundle = vl_convert.javascript_bundle(vl_version=vl_version)
    if cached is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        os.replace(tmp, cached)
    return bundle


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2")


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def build_report(marts_path: Path | str, cache_dir: Path | None = None) -> str:
    """The report as one HTML string, read from the published marts file."""
    import vl_convert

    con = open_marts(marts_path)
    try:
        m = Marts(con)
        sections = build_sections(m)
        documents = (
            m.rows("select doc_type, count(*) as n from dim_documents where is_loaded group by 1")
            if m.has("dim_documents", "doc_type", "is_loaded")
            else []
        )
    finally:
        con.close()
    charts = [(cid, spec) for s in sections for cid, spec in s.charts]
    embed = {
        "renderer": "svg",
        "actions": False,
        "formatLocale": vl_convert.get_format_locale(LOCALE),
        "timeFormatLocale": vl_convert.get_time_format_locale(LOCALE),
    }
    return _template().render(
        sections=sections,
        documents={r["doc_type"]: r["n"] for r in documents},
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        marts_file=html.escape(Path(marts_path).name),
        vega_js=vega_javascript(cache_dir),
        specs_json=_script_json({cid: spec for cid, spec in charts}),
        embed_json=_script_json(embed),
    )


def write_report(marts_path: Path | str, out_path: Path | str) -> Path:
    """Write the report to `out_path`, swapped in whole (a browser never sees half a file)."""
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    tmp.write_text(build_report(marts_path, out_path.parent), encoding="utf-8")
    os.replace(tmp, out_path)
    return out_path


def report_path(settings: Settings) -> Path:
    """`$ZVIT_DATA_DIR/report/index.html`."""
    return settings.data_dir / REPORT_DIR / "index.html"


def publish_report(settings: Settings) -> Path:
    """Rebuild the report from the published marts (the nightly flow calls this after publish)."""
    return write_report(settings.marts_path, report_path(settings))
