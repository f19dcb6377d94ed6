"""ITA project monitoring reports: variants with another shape than IMMIS.

From `tests/fixtures/documents/assistance_project/itd_immis_final.json`:

- `itd_semiannual_synthetic`: a semiannual report of another project (another partner, 2 goals,
  3 indicators, two spending categories with amounts, a larger font), built from the IMMIS
  truth's layout and some of its indicator texts (copied to `samples/assistance_project_2022.docx`);
- `itd_immis_final_large`: IMMIS itself at 13 pt, so the passport breaks over a page.

Drawn like the corpus renders: cells a row marks `vmerge` merged into the cell above; the rows
located in the PDF are those of the results table.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pdfplumber

from tools.base import Generator, Truth, derive, render_truth

PASSPORT: list[tuple[str, str]] = [
    ("Піврічний/річний/заключний (зазначити необхідне)", "Піврічний моніторинг"),
    ("Період звітування", "січень 2022 р. – червень 2022 р."),
    ("§1. Вихідні дані проекту (програми)", ""),
    ("Партнер з розвитку", "Уряд Королівства Данія"),
    ("Бенефіціар", "ДМС, МВС"),
    ("Реципієнт", "ДМС, Державний центр обробки даних, обліку та захисту інформації МВС, "
                  "Головне управління ДМС у Київській області"),
    ("Номер реєстраційної картки проекту", "№ 4120-01 від 02.02.2022"),
    ("§2. Інформація про досягнення очікуваних результатів", ""),
    ("Узагальнені результати реалізації проекту (програми) в кількісних та/або якісних "
     "показниках", "Проведено навчання працівників територіальних органів ДМС з питань "
     "реадмісії та ідентифікації особи.\nПередано обладнання для центрів обробки документів."),
    ("Посилання на інтернет-ресурси, де розміщено інформацію про результати реалізації проекту "
     "(програми) та інші матеріали або документи, розроблені в рамках проекту (програми)",
     "Офіційний сайт ДМС: https://dmsu.gov.ua/readmit ."),
    ("Загальна сума витрачених під час реалізації проекту (програми) коштів міжнародної "
     "технічної допомоги на кінець звітного періоду (за наявності), у тому числі за "
     "категоріями:", "Загальна сума за звітний період становить: 12 450 300,50 грн."),
    ("послуги з організації тренінгів, навчання, опитування, інформаційні кампанії",
     "Сума витрачених коштів становить: 1 200 000,00 грн."),
    ("консультаційні послуги", "Інформація відсутня"),
    ("обладнання", "Сума витрачених коштів становить: 11 250 300,50 грн."),
    ("адміністративні витрати виконавця", "Інформація відсутня"),
]  # fmt: skip
"""Passport rows: (key, value); a key starting with § is a section row."""
CATEGORY_AMOUNTS = {
    "послуги з організації тренінгів, навчання, опитування, інформаційні кампанії": 1200000.0,
    "консультаційні послуги": None,
    "обладнання": 11250300.5,
    "адміністративні витрати виконавця": None,
}
GOALS = {
    1: "Ціль 1. Розвиток спроможностей ДМС у сфері реадмісії та ідентифікації особи",
    2: "Ціль 2. Технічне оснащення територіальних органів ДМС",
}
INDICATORS_FROM = [(1, 3), (1, 4), (2, 10)]
"""(goal, IMMIS indicator number) for the variant's indicators 1, 2, 3."""


def _renumber(text: str, number: int) -> str:
    return re.sub(r"^\s*\d+\.", f"{number}.", text, count=1)


def semiannual_synthetic(source: Truth) -> Truth:
    truth = derive(
        source,
        "semiannual report of another project: other partner, passport and title, 2 goals, "
        "3 indicators (IMMIS indicators 3, 4, 10 renumbered), 2 spending amounts, font 12 pt",
        font_size=12,
    )
    data = source["data"]
    immis = {i["number"]: i for i in data["indicators"]}
    title_lines = [
        "РЕЗУЛЬТАТИ",
        "піврічного моніторингу",
        "проекту (програми) «Зміцнення спроможностей ДМС у сфері реадмісії» (READMIT)",
    ]
    passport_rows: list[dict[str, Any]] = []
    for n, (key, value) in enumerate(PASSPORT, start=1):
        if key.startswith("§"):
            passport_rows.append({"kind": "group", "level": 1, "text": key[1:], "ref": f"p{n}"})
        else:
            passport_rows.append({"kind": "data", "cells": [key, value], "ref": f"p{n}"})
    indicators: list[dict[str, Any]] = []
    result_rows: list[dict[str, Any]] = []
    for n, (goal, src) in enumerate(INDICATORS_FROM, start=1):
        if not indicators or indicators[-1]["goal"] != goal:
            result_rows.append(
                {"kind": "group", "level": 1, "text": GOALS[goal], "ref": f"g{goal}"}
            )
        i = immis[src]
        ind = {
            "id": f"i{n}",
            "number": n,
            "goal": goal,
            "criterion": _renumber(i["criterion"], n),
            "planned": i["planned"],
            "actual": i["actual"],
            "actual_merged_into": None,
        }
        indicators.append(ind)
        cells = [ind["criterion"], ind["planned"], ind["actual"]]
        result_rows.append({"kind": "data", "ref": ind["id"], "cells": cells})
    assessment = (
        "Допомога відповідає потребам ДМС у сфері реадмісії; заплановані на перше півріччя "
        "заходи виконано."
    )
    problems = [
        "Постачання частини обладнання перенесено на друге півріччя 2022 року.",
        "Пропонуємо продовжити навчання працівників територіальних органів ДМС.",
    ]
    blocks: list[dict[str, Any]] = []
    for b in source["blocks"]:
        b = copy.deepcopy(b)
        if b["type"] == "para" and b.get("role") == "title":
            continue
        if b["type"] == "table" and b["id"] == "passport":
            b["rows"] = passport_rows
        elif b["type"] == "table":
            b["rows"] = result_rows
        elif b["type"] == "para" and b.get("role") == "body":
            continue
        elif b["type"] == "signature":
            b["position"], b["name"] = ["Заступник Голови ДМС"], "Олена ПЕТРЕНКО"
        blocks.append(b)
        if b["type"] == "para" and b["text"].startswith("4."):
            blocks.append({**_body(source), "text": assessment})
        if b["type"] == "para" and b["text"].startswith("5."):
            blocks.extend({**_body(source), "text": t} for t in problems)
    title_style = next(b for b in source["blocks"] if b.get("role") == "title")
    blocks[0:0] = [{**title_style, "text": t} for t in title_lines]
    keys = {k: v for k, v in PASSPORT if not k.startswith("§")}
    passport = {
        "monitoring_type": "Піврічний моніторинг",
        "monitoring_class": "semiannual",
        "reporting_period": keys["Період звітування"],
        "period_start": "2022-01",
        "period_end": "2022-06",
        "partner": keys["Партнер з розвитку"],
        "beneficiary": keys["Бенефіціар"],
        "beneficiaries": ["ДМС", "МВС"],
        "recipient": keys["Реципієнт"],
        "recipients": [
            "ДМС",
            "Державний центр обробки даних, обліку та захисту інформації МВС",
            "Головне управління ДМС у Київській області",
        ],
        "registration_card": keys["Номер реєстраційної картки проекту"],
        "registration_card_number": "4120-01",
        "registration_card_date": "2022-02-02",
        "results_summary": PASSPORT[8][1],
        "links": PASSPORT[9][1],
        "total_spent_label": PASSPORT[10][0],
        "total_spent": PASSPORT[10][1],
        "total_spent_uah": 12450300.5,
        "spending_categories": [
            {"category": k, "value": keys[k], "amount_uah": a} for k, a in CATEGORY_AMOUNTS.items()
        ],
    }
    truth["blocks"] = blocks
    truth["data"] = {
        "title_lines": title_lines,
        "title": " ".join(title_lines),
        "project": {"title": "Зміцнення спроможностей ДМС у сфері реадмісії", "code": "READMIT"},
        "passport_rows": [_passport_row(r) for r in passport_rows],
        "passport": passport,
        "goals": [{"number": n, "title": t} for n, t in GOALS.items()],
        "indicators": indicators,
        "free_sections": [
            {"heading": "4. Узагальнена оцінка бенефіціаром результатів проекту (програми)",
             "paragraphs": [assessment]},
            {"heading": "5. Проблемні питання та/або пропозиції", "paragraphs": problems},
        ],
        "signature": {"position_lines": ["Заступник Голови ДМС"],
                      "position": "Заступник Голови ДМС", "name": "Олена ПЕТРЕНКО"},
    }  # fmt: skip
    truth["counts"] = {
        "goals": 2,
        "indicators": 3,
        "indicators_per_goal": {"1": 2, "2": 1},
        "monitoring_type": "semiannual",
        "reporting_period": ["2022-01", "2022-06"],
        "registration_card": ["4120-01", "2022-02-02"],
        "total_spent_uah": 12450300.5,
        "spending_categories": 4,
        "spending_categories_reported": 2,
        "status_classes": None,
    }
    return truth


def immis_large_font(source: Truth, size: int = 13) -> Truth:
    """IMMIS at a larger font: the passport runs onto page 2 and its rows break at other places."""
    return derive(source, f"font {size} pt: the passport breaks over pages 1-2", font_size=size)


def _passport_row(row: dict[str, Any]) -> dict[str, Any]:
    """A table row as the truth's `data.passport_rows` gives it (field or section)."""
    if row["kind"] == "group":
        return {"kind": "section", "text": row["text"], "ref": row["ref"]}
    key, value = row["cells"]
    sub = key[:1].islower()
    return {"kind": "field", "key": key, "value": value, "sub": sub, "ref": row["ref"]}


def _body(source: Truth) -> dict[str, Any]:
    return copy.deepcopy(next(b for b in source["blocks"] if b.get("role") == "body"))


def wrap_ambiguities(pdf: Path, truth: Truth) -> list[dict[str, str]]:
    """Indicator cells whose "word/ word" or "word- word" the PDF wraps right after the slash or
    hyphen: read back, such a wrap joins without the space (corpus README), so the cell cannot be
    rebuilt exactly. Found by looking for "word/" at a line end followed by "word" in the PDF."""
    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    found = []
    for ind in truth["data"]["indicators"]:
        for col in ("criterion", "planned", "actual"):
            for m in re.finditer(r"(\w+[/-]) (\w+)", ind[col] or ""):
                if f"{m.group(1)}\n{m.group(2)}" in text:
                    found.append({"ref": ind["id"], "col": col, "pdf": m.group(1) + m.group(2),
                                  "truth": m.group(0)})  # fmt: skip
    return found


def _unlocated(pdf: Path, truth: Truth) -> dict[str, Any]:
    return {"rows": {}, "line_join_ambiguities": wrap_ambiguities(pdf, truth)}


def render(truth: Truth, out_dir: Path, doc_id: str) -> Truth:
    """DOCX (with vertical merges), PDF and truth JSON; `pdf.rows` are the results table's."""
    return render_truth(
        truth,
        out_dir,
        doc_id,
        table_id="results",
        record_widths=False,
        vertical_merges=True,
        unlocated=_unlocated,
    )


GENERATOR = Generator(
    doc_type="assistance_project",
    source="itd_immis_final.json",
    variants={
        "itd_semiannual_synthetic": semiannual_synthetic,
        "itd_immis_final_large": immis_large_font,
    },
    samples={
        "assistance_project_2022.docx": "itd_semiannual_synthetic.docx",
        "assistance_project_immis.pdf": "itd_immis_final.pdf",
    },
    render=render,
)
