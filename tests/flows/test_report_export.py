"""After a real nightly run over one document of each type (two plan years): the published HTML
report draws a chart per report type in headless Chromium, offline; `zvit report` rebuilds it;
`zvit export` writes every mart as CSV (with a BOM), Parquet and Excel with the marts' row
counts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from tests.support.flows import query_marts, run_nightly
from zvit import cli
from zvit.settings import PROJECT_DIR

SAMPLES = PROJECT_DIR / "samples"
FILES = [
    SAMPLES / "plan_2021.pdf",
    SAMPLES / "plan_2022.docx",
    SAMPLES / "anticorruption_2019.pdf",
    SAMPLES / "assistance_project_2022.docx",
    SAMPLES / "service_card_residence_permit.docx",
]
REPORT_TYPES = ("plan", "anticorruption", "assistance", "service")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, data_dir, summary = run_nightly(tmp_path_factory.mktemp("report"), FILES, keep_inbox=True)
    assert summary["dbt_success"] is True
    assert {o["state"] for o in summary["outcomes"]} == {"loaded"}
    return data_dir


@pytest.fixture()
def zvit_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZVIT_DATA_DIR", str(data_dir))
    return data_dir


def mart_counts(data_dir: Path) -> dict[str, int]:
    names = [
        r[0]
        for r in query_marts(
            data_dir, "select table_name from information_schema.tables order by 1"
        )
    ]
    return {n: query_marts(data_dir, f'select count(*) from "{n}"')[0][0] for n in names}


class Charts(HTMLParser):
    """Per chart container (`div.chart`): its attributes and the bars Vega drew inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.charts: dict[str, dict] = {}
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, chart id, is bar group)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        chart = self.stack[-1][1] if self.stack else None
        in_bars = bool(self.stack) and self.stack[-1][2]
        if tag == "section":
            self.section = a.get("data-report-type") or ""
        if tag == "div" and "chart" in classes:
            chart = a["id"]
            self.charts[chart] = {"section": self.section, "attrs": a, "bars": 0, "svg": 0}
        if chart and tag == "svg":
            self.charts[chart]["svg"] += 1
        if chart and in_bars and tag == "path" and a.get("d"):
            self.charts[chart]["bars"] += 1
        bars = tag == "g" and {"mark-rect", "role-mark"} <= set(classes)
        if tag not in ("path", "br", "meta", "img", "input", "link"):
            self.stack.append((tag, chart, bars))

    def handle_endtag(self, tag: str) -> None:
        if any(t == tag for t, _, _ in self.stack):
            while self.stack.pop()[0] != tag:
                pass


def render(report: Path) -> str:
    """The report's DOM after its scripts ran, from headless Chromium with no network."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}", "--virtual-time-budget=15000",
                "--dump-dom", report.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )  # fmt: skip
    return done.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (make setup installs it)")
def test_published_report_draws_a_chart_per_report_type_in_chromium(data_dir: Path) -> None:
    report = data_dir / "report" / "index.html"
    source = report.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", source), "every script is inlined (offline)"
    assert not re.search(r"<link[^>]+href=\"https?:", source)

    parser = Charts()
    parser.feed(render(report))
    charts = parser.charts
    assert {c["section"] for c in charts.values()} == set(REPORT_TYPES)
    for chart_id, chart in charts.items():
        assert "data-error" not in chart["attrs"], (chart_id, chart["attrs"].get("data-error"))
        assert chart["attrs"].get("data-rendered") == "true", chart_id
        assert chart["svg"] >= 1 and chart["bars"] >= 1, (chart_id, chart)
    assert len(charts) >= len(REPORT_TYPES)


def chart_data(html: str, chart_id: str) -> list[dict]:
    specs = json.loads(
        re.search(r'<script type="application/json" id="chart-specs">(.*?)</script>', html, re.S)
        .group(1)
        .replace("<\\/", "</")
    )
    spec = specs[chart_id]
    if "datasets" in spec:
        return [row for rows in spec["datasets"].values() for row in rows]
    return spec["data"]["values"]


def test_zvit_report_rebuilds_it_in_ukrainian_with_codes_for_unnamed_units(zvit_env: Path) -> None:
    report = zvit_env / "report" / "index.html"
    report.unlink()
    assert cli.main(["report"]) == 0
    html = report.read_text(encoding="utf-8")
    for label in ("Виконання Плану роботи ДМС", "Частка виконаних", "Статус", "Виконано"):
        assert label in html

    by_section = chart_data(html, "plan-by-section")
    assert {r["Рік"] for r in by_section} == {"2021", "2022"}, "years side by side"
    names = dict(query_marts(zvit_env, "select unit_code, unit_name from dim_units"))
    by_unit = chart_data(html, "plan-by-unit")
    assert by_unit
    for row in by_unit:
        assert row["Підрозділ"] == (names[row["unit_code"]] or row["unit_code"])
    assert any(names[r["unit_code"]] is None for r in by_unit), "an unnamed unit is charted"
    assert any(names[r["unit_code"]] for r in by_unit), "a named unit is charted by name"


def test_zvit_report_without_marts_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ZVIT_DATA_DIR", str(tmp_path))
    assert cli.main(["report"]) == 1
    assert not (tmp_path / "report").exists()


def test_export_csv_has_a_bom_readable_cyrillic_and_lists(zvit_env: Path, tmp_path: Path) -> None:
    counts = mart_counts(zvit_env)
    assert cli.main(["export", "--format", "csv", "--out", str(tmp_path)]) == 0
    assert sorted(p.stem for p in tmp_path.glob("*.csv")) == sorted(counts)
    for name, rows in counts.items():
        raw = (tmp_path / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name
        assert pl.read_csv(raw, infer_schema=False).height == rows, name

    text = (tmp_path / "plan_execution_by_section.csv").read_text(encoding="utf-8-sig")
    assert "Реалізація Стратегії державної міграційної політики" in text
    measures = pl.read_csv(tmp_path / "fct_plan_measures.csv", infer_schema=False)
    listed = [e for e in measures["executors"].to_list() if e and "; " in e]
    assert listed and not any("[" in e or "'" in e for e in listed)
    expected = query_marts(
        zvit_env,
        "select array_to_string(executors, '; ') from fct_plan_measures where len(executors) > 1",
    )
    assert sorted(listed) == sorted(r[0] for r in expected)
    persons = pl.read_csv(tmp_path / "fct_anticorruption_measures.csv", infer_schema=False)
    first = next(p for p in persons["responsible_persons"].to_list() if p)
    assert json.loads(first.split("; ")[0])["surname"]  # structs as JSON, Cyrillic as is
    assert "\\u04" not in first


def test_export_parquet_keeps_types_and_xlsx_opens(zvit_env: Path, tmp_path: Path) -> None:
    counts = mart_counts(zvit_env)
    marts_file = zvit_env / "marts.duckdb"
    before = marts_file.stat().st_mtime_ns
    assert cli.main(["export", "--format", "parquet", "--out", str(tmp_path / "pq")]) == 0
    for name, rows in counts.items():
        assert pl.read_parquet(tmp_path / "pq" / f"{name}.parquet").height == rows, name
    measures = pl.read_parquet(tmp_path / "pq" / "fct_plan_measures.parquet")
    assert measures.schema["executors"] == pl.List(pl.String)
    assert measures.schema["deadline_end_date"] == pl.Date

    assert cli.main(["export", "--format", "xlsx", "--out", str(tmp_path / "xlsx")]) == 0
    assert sorted(p.stem for p in (tmp_path / "xlsx").glob("*.xlsx")) == sorted(counts)
    book = openpyxl.load_workbook(tmp_path / "xlsx" / "plan_execution_by_section.xlsx")
    sheet = book["plan_execution_by_section"]
    assert sheet.max_row - 1 == counts["plan_execution_by_section"]
    header = [c.value for c in sheet[1]]
    titles = [row[header.index("section_title")] for row in sheet.iter_rows(2, values_only=True)]
    assert any("міграційної політики" in t for t in titles)
    assert marts_file.stat().st_mtime_ns == before, "the published file is only read"
