"""Plan execution reports: layout variants of the 2021 report and the long report for benchmarks.

From `tests/fixtures/documents/plan_execution/plan_2021.json` (64 measures, 8 sections):

- `plan_2021_reworded_reordered`: headers reworded, columns reordered, landscape Arial 9 pt;
- `plan_2021_six_columns_portrait`: the justification column removed, portrait Liberation Serif;
- `plan_2022_synthetic`: a 2022 report of 30 measures in 7 sections, other statuses and
  executors (copied to `samples/plan_2022.docx`).

`make_long` renders `benchmarks/data/plan_long.pdf`: the 2021 report's content six times over.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from tools.base import (
    ROOT,
    Generator,
    Truth,
    derive,
    docx_to_pdf,
    render_docx,
    shift_years,
    table_block,
)

LONG_PDF = ROOT / "benchmarks" / "data" / "plan_long.pdf"

STATUS_CLASSES: dict[str, str] = {
    "Виконано": "done",
    "Виконано частково": "partially_done",
    "Не виконано у зв'язку з відсутністю фінансування": "not_done",
    "Заходи не проводились": "not_held",
    "Виконується": "in_progress",
    "Перенесено на 2023 рік": "postponed",
}
ALL_CLASSES = ("done", "partially_done", "not_done", "not_held", "in_progress", "postponed")


def _rebuild_plan(
    truth: Truth,
    measures: list[dict[str, Any]],
    sections: list[dict[str, Any]],
    columns: list[dict[str, str]],
    widths: list[float],
) -> None:
    """Set `truth`'s table rows, `data` and `counts` from measures, sections and column order."""
    table = table_block(truth)
    table["columns"] = columns
    table["widths_cm"] = widths
    truth["layout"]["widths_cm"] = widths
    rows: list[dict[str, Any]] = []
    for section in sections:
        rows.append(
            {"kind": "group", "level": 1, "text": section["text"], "ref": f"s{section['number']}"}
        )
        for m in measures:
            if m["section"] == section["number"]:
                rows.append(
                    {"kind": "data", "ref": m["id"], "cells": [m[c["key"]] for c in columns]}
                )
    table["rows"] = rows
    truth["data"]["sections"] = sections
    truth["data"]["measures"] = measures
    truth["data"]["columns"] = columns
    classes = Counter(m["status_class"] for m in measures)
    per_section = Counter(m["section"] for m in measures)
    truth["counts"] = {
        "measures": len(measures),
        "sections": len(sections),
        "status_classes": {k: classes.get(k, 0) for k in ALL_CLASSES},
        "measures_per_section": {str(s["number"]): per_section[s["number"]] for s in sections},
    }


def _relaid(
    source: Truth,
    mutation: str,
    widths: dict[str, float],
    headers: dict[str, str] | None = None,
    **layout: Any,
) -> Truth:
    """The source's measures and sections in the columns `widths` names (in its order, with
    those widths and optional new `headers`); a column left out is emptied in every measure."""
    truth = derive(source, mutation, **layout)
    source_columns = table_block(source)["columns"]
    columns = [
        {"key": c["key"], "header": (headers or {}).get(c["key"], c["header"])}
        for key in widths
        for c in source_columns
        if c["key"] == key
    ]
    measures = []
    for m in source["data"]["measures"]:
        m = dict(m, source_no=m["no"], status_source=m["status"])
        measures.append(m | {c["key"]: None for c in source_columns if c["key"] not in widths})
    _rebuild_plan(truth, measures, source["data"]["sections"], columns, list(widths.values()))
    return truth


def _set_title_year(truth: Truth, year: int) -> None:
    for block in truth["blocks"]:
        if block.get("role") == "title":
            block["text"] = block["text"].replace("2021 рік", f"{year} рік")
    data = truth["data"]
    data["report_year"] = year
    data["title_lines"] = [t.replace("2021 рік", f"{year} рік") for t in data["title_lines"]]
    data["title"] = data["title"].replace("2021 рік", f"{year} рік")


# ---------------------------------------------------------------------------------------------
# Variants


def variant_reworded_reordered(source: Truth) -> Truth:
    return _relaid(
        source,
        "headers reworded; columns reordered to no, measure, deadline, executor, evidence, "
        "status, justification; landscape, Arial (Liberation Sans) 9 pt; cell text unchanged",
        widths={"no": 1.1, "measure": 5.4, "deadline": 2.6, "executor": 2.8, "evidence": 7.1,
                "status": 2.4, "justification": 4.8},
        headers={
            "no": "№ з/п",
            "measure": "Найменування заходу",
            "executor": "Відповідальні виконавці",
            "deadline": "Строк виконання",
            "status": "Стан виконання",
            "justification": "Обґрунтування",
            "evidence": "Підтверджувальні документи або інформація",
        },
        orientation="landscape", font="Arial", font_size=9, margins_cm=[2.0, 1.5, 1.5, 2.0],
    )  # fmt: skip


def variant_six_columns_portrait(source: Truth) -> Truth:
    truth = _relaid(
        source,
        "justification column removed (6 columns); portrait A4, Liberation Serif 10 pt; "
        "cell text unchanged",
        widths={"no": 1.0, "measure": 4.4, "executor": 2.5, "deadline": 2.3, "status": 2.4,
                "evidence": 4.9},
        orientation="portrait", font="Liberation Serif", font_size=10, title_size=13,
        margins_cm=[2.0, 1.0, 2.0, 2.0],
    )  # fmt: skip
    for block in truth["blocks"]:
        if block.get("role") == "title":
            block["size"] = 13
    return truth


SYNTHETIC_2022_PICK: dict[int, list[int]] = {
    1: [1, 2, 4, 5, 7, 9],
    2: [11, 12, 14],
    3: [15, 16, 17, 19, 21, 22],
    4: [24, 26, 27, 30, 33, 37],
    5: [39, 40, 42, 45],
    6: [47, 49, 50, 53],
    8: [62],
}
"""Source measure numbers kept per source section in the 2022 synthetic report (30 measures;
section 7 is dropped and section 8 becomes section 7)."""

IN_PROGRESS_2022 = {4, 14, 26, 40, 50}
POSTPONED_2022 = {9, 21, 33}
EXECUTOR_CHANGES_2022 = {
    1: "ДОЗ, ДЕФБО",
    12: "ДСЮБГ, УМЗ",
    27: "ДІТЗІ, ДПДП",
    45: "ДГПР, територіальні органи ДМС",
}


def variant_2022_synthetic(source: Truth) -> Truth:
    truth = derive(
        source,
        "synthetic 2022 report: title year 2022; 30 of the 64 measures (source numbers in "
        "source_no) in 7 sections (source section 7 dropped, 8 renumbered 7); years "
        "2020/2021 shifted +1 in measure, deadline and evidence; 5 statuses set to "
        "'Виконується', 3 to 'Перенесено на 2023 рік' (status_source keeps the original); "
        "4 executors changed; landscape Times New Roman (Liberation Serif) 11 pt",
        orientation="landscape",
        font="Times New Roman",
        font_size=11,
    )
    _set_title_year(truth, 2022)
    by_no = {int(m["no"]): m for m in source["data"]["measures"]}
    sections = []
    measures = []
    for new_section, (old_section, picks) in enumerate(SYNTHETIC_2022_PICK.items(), start=1):
        old = next(s for s in source["data"]["sections"] if s["number"] == old_section)
        sections.append(
            {
                "number": new_section,
                "title": old["title"],
                "text": f"Розділ {new_section}. {old['title']}",
            }
        )
        for source_no in picks:
            m = dict(by_no[source_no])
            no = len(measures) + 1
            m.update(
                id=f"m{no}",
                no=str(no),
                section=new_section,
                source_no=str(source_no),
                status_source=m["status"],
            )
            for key in ("measure", "deadline", "evidence"):
                m[key] = shift_years(m[key], (2020, 2021))
            if source_no in IN_PROGRESS_2022:
                m["status"] = "Виконується"
                m["evidence"] = "Станом на 31.12.2022 захід триває. " + m["evidence"]
            elif source_no in POSTPONED_2022:
                m["status"] = "Перенесено на 2023 рік"
                m["evidence"] = (
                    "Виконання заходу перенесено на 2023 рік у зв'язку із запровадженням "
                    "воєнного стану."
                )
            m["executor"] = EXECUTOR_CHANGES_2022.get(source_no, m["executor"])
            m["status_class"] = STATUS_CLASSES[m["status"]]
            measures.append(m)
    columns = [dict(c) for c in table_block(source)["columns"]]
    _rebuild_plan(truth, measures, sections, columns, source["layout"]["widths_cm"])
    return truth


GENERATOR = Generator(
    doc_type="plan_execution",
    source="plan_2021.json",
    variants={
        "plan_2021_reworded_reordered": variant_reworded_reordered,
        "plan_2021_six_columns_portrait": variant_six_columns_portrait,
        "plan_2022_synthetic": variant_2022_synthetic,
    },
    samples={"plan_2022.docx": "plan_2022_synthetic.docx", "plan_2021.pdf": "plan_2021.pdf"},
)
load_source = GENERATOR.load_source


# ---------------------------------------------------------------------------------------------
# Long report for benchmarks


def long_truth(source: Truth, copies: int = 6) -> Truth:
    """The source plan repeated `copies` times, sections and measures renumbered to stay unique."""
    truth = derive(source, f"content repeated {copies} times, sections and measures renumbered")
    sections, measures = [], []
    for _ in range(copies):
        section_map = {}
        for s in source["data"]["sections"]:
            number = len(sections) + 1
            section_map[s["number"]] = number
            sections.append(
                {"number": number, "title": s["title"], "text": f"Розділ {number}. {s['title']}"}
            )
        for m in source["data"]["measures"]:
            no = len(measures) + 1
            m = dict(m, source_no=m["no"], status_source=m["status"])
            m.update(id=f"m{no}", no=str(no), section=section_map[m["section"]])
            measures.append(m)
    columns = table_block(source)["columns"]
    _rebuild_plan(truth, measures, sections, columns, source["layout"]["widths_cm"])
    return truth


def make_long(pdf_path: Path = LONG_PDF, copies: int = 6) -> Path:
    """Render the long plan report (about 300 pages) to `pdf_path`."""
    truth = long_truth(load_source(), copies)
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "plan_long.docx"
        render_docx(truth, docx)
        docx_to_pdf(docx, pdf_path)
    return pdf_path
