"""Generate a second administrative-service process card (another service, 8 stages) with its truth.

The immigration-permit card is the only real one; other services' cards share its skeleton but
not its wording. This card differs on purpose: another service and approving body, the title
without "ЗРАЗОК" and in the nominative, reworded column headers, no numbering gap, one two-step
stage whose two steps name different deadlines in other units (working days, calendar days,
months), only an appeal row (no note), landscape page and other column widths.

    .venv/bin/python tools/generate_service_card.py   # needs LibreOffice

Writes `service_card_residence_permit.{docx,pdf,json}` into
`tests/fixtures/documents/service_card/variants/` (truth schema `zvit-corpus-truth/1`) and copies
the DOCX into `samples/`.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_fixtures import ROOT, SAMPLES_DIR, render_truth

OUT_DIR = ROOT / "tests" / "fixtures" / "documents" / "service_card" / "variants"
DOC_ID = "service_card_residence_permit"

OFFICIAL = "Працівник управління (відділу) ГУ ДМС у Львівській області"
HEAD = "Начальник управління (відділу) або особа, яка виконує його обов’язки"
UNIT = "Управління (відділ) оформлення посвідок"

STAGES: list[dict[str, Any]] = [
    {"no": "1", "steps": [(
        "Прийняття заяви та документів від іноземця або особи без громадянства, перевірка "
        "повноти поданих документів і відповідності їх оформлення вимогам законодавства.",
        OFFICIAL, UNIT, "Під час прийому у день звернення")]},
    {"no": "2", "steps": [(
        "Формування заяви-анкети із застосуванням засобів Реєстру, отримання біометричних "
        "даних та підпису заявника.",
        OFFICIAL, UNIT, "У день звернення")]},
    {"no": "3", "steps": [(
        "Реєстрація заяви в журналі обліку та передання документів на розгляд начальнику "
        "управління (відділу).",
        OFFICIAL, UNIT, "Не пізніше наступного робочого дня після прийняття документів")]},
    {"no": "4", "steps": [
        ("Перевірка заявника за обліками ДМС та надсилання запитів до органів Національної "
         "поліції та СБУ.",
         OFFICIAL, UNIT, "Протягом 5 робочих днів з дня реєстрації заяви"),
        ("Отримання відповідей на запити та долучення їх до матеріалів справи.",
         OFFICIAL, UNIT, "Не пізніше 15 календарних днів з дня надсилання запитів"),
    ]},
    {"no": "5", "steps": [(
        "Розгляд документів і прийняття рішення про оформлення посвідки або про відмову в її "
        "оформленні.",
        HEAD, UNIT, "Протягом одного місяця з дня прийняття заяви")]},
    {"no": "6", "steps": [(
        "Внесення відомостей про прийняте рішення до Реєстру та замовлення виготовлення "
        "посвідки.",
        OFFICIAL, UNIT, "Не пізніше 2 робочих днів з дати прийняття рішення")]},
    {"no": "7", "steps": [(
        "Отримання виготовленої посвідки та перевірка правильності внесених до неї відомостей.",
        OFFICIAL, UNIT, "10 днів, починаючи з дня замовлення виготовлення посвідки")]},
    {"no": "8", "steps": [(
        "Видача посвідки заявнику під особистий підпис.",
        OFFICIAL, UNIT, "У день звернення заявника за отриманням посвідки")]},
]  # fmt: skip
APPEAL = (
    "Рішення, дії чи бездіяльність посадових осіб можуть бути оскаржені до ДМС або до суду в "
    "порядку, встановленому законом."
)
COLUMNS = [
    {"key": "no", "header": "№ п/п"},
    {"key": "description", "header": "Етапи опрацювання звернення"},
    {"key": "official", "header": "Відповідальна посадова особа"},
    {"key": "unit", "header": "Структурний підрозділ, відповідальний за етап"},
    {"key": "deadline", "header": "Строки виконання етапів"},
]
APPROVAL = [
    "ЗАТВЕРДЖЕНО",
    "Наказ ГУ ДМС у Львівській області",
    "від 02.03.2022 № 31/аг",
]
TITLE = "ТЕХНОЛОГІЧНА КАРТКА АДМІНІСТРАТИВНОЇ ПОСЛУГИ"
SERVICE = "ОФОРМЛЕННЯ ТА ВИДАЧА ПОСВІДКИ НА ТИМЧАСОВЕ ПРОЖИВАННЯ"


def build() -> dict[str, Any]:
    """The card's truth (blocks drawn by the renderer + data + counts)."""
    rows: list[dict[str, Any]] = []
    stages: list[dict[str, Any]] = []
    for stage in STAGES:
        ref = f"st{stage['no']}"
        steps = [
            {"position": i, "description": d, "official": o, "unit": u, "deadline": dl}
            for i, (d, o, u, dl) in enumerate(stage["steps"], start=1)
        ]

        def joined(key: str, steps: list[dict[str, Any]] = steps) -> str:
            return "\n".join(s[key] for s in steps)

        cells = [stage["no"], joined("description"), steps[0]["official"], steps[0]["unit"],
                 joined("deadline")]  # fmt: skip
        rows.append({"kind": "data", "ref": ref, "cells": cells})
        stages.append({"id": ref, "no_printed": stage["no"], "number": int(stage["no"]),
                       "description": cells[1], "official": cells[2], "unit": cells[3],
                       "deadline": cells[4], "steps": steps})  # fmt: skip
    rows.append({"kind": "data", "ref": "x9", "cells": ["9", "Оскарження", APPEAL],
                 "span": {"2": 3}})  # fmt: skip
    blocks: list[dict[str, Any]] = [
        *({"type": "para", "role": "approval", "text": line, "size": 12} for line in APPROVAL),
        {"type": "para", "role": "title", "text": TITLE, "align": "center", "bold": True,
         "size": 13, "space_before": 18},
        {"type": "para", "role": "title", "text": SERVICE, "align": "center", "bold": True,
         "size": 13, "space_before": 6},
        {"type": "para", "role": "caption", "text": "(назва адміністративної послуги)",
         "align": "center", "italic": True, "size": 9, "space_after": 10},
        {"type": "table", "id": "stages", "role": "service_stages", "columns": COLUMNS,
         "header": True, "header_repeat": True, "widths_cm": [1.2, 9.5, 5.5, 5.0, 4.5],
         "rows": rows},
        {"type": "signature", "role": "signature", "position": ["Начальник Головного управління"],
         "name": "Ольга КОВАЛЬ", "bold_position": False, "space_before": 18},
    ]  # fmt: skip
    step_count = sum(len(s["steps"]) for s in stages)
    return {
        "schema": "zvit-corpus-truth/1",
        "doc_type": "service_card",
        "source": {"seed": None, "derived_from": "service_card_immigration",
                   "mutation": "generated: another service (8 stages, one with two steps), "
                               "reworded headers, no numbering gap, appeal row only, landscape"},
        "layout": {"page": "A4", "orientation": "landscape", "margins_cm": [1.5, 1.5, 1.5, 2.0],
                   "font": "Times New Roman", "font_size": 11, "header_bold": True,
                   "widths_cm": [1.2, 9.5, 5.5, 5.0, 4.5], "page_numbers": False},
        "blocks": blocks,
        "data": {
            "approval": {"lines": APPROVAL, "label": "ЗАТВЕРДЖЕНО",
                         "issuer": "ГУ ДМС у Львівській області", "order_date": "2022-03-02",
                         "order_number": "31/аг"},
            "title_lines": [TITLE],
            "title": TITLE,
            "service_name": SERVICE,
            "stages": stages,
            "extra_rows": [{"id": "x9", "no_printed": "9", "number": 9, "label": "Оскарження",
                            "text": APPEAL}],
            "numbering_gaps": [],
            "signature": {"position_lines": ["Начальник Головного управління"],
                          "position": "Начальник Головного управління", "name": "Ольга КОВАЛЬ"},
            "columns": COLUMNS,
        },
        "counts": {"stages": len(stages), "stage_steps": step_count, "extra_rows": ["Оскарження"],
                   "numbering_gaps": [], "order": ["31/аг", "2022-03-02"],
                   "status_classes": None},
    }  # fmt: skip


def main() -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    truth = render_truth(build(), OUT_DIR, DOC_ID)
    shutil.copyfile(OUT_DIR / f"{DOC_ID}.docx", SAMPLES_DIR / f"{DOC_ID}.docx")
    print(DOC_ID, truth["pdf"]["pages"], "pages", truth["counts"])


if __name__ == "__main__":
    main()
