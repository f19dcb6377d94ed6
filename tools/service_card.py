"""Administrative-service process cards: a second card (another service, 8 stages) with its truth.

The immigration-permit card is the only real one; other services' cards share its skeleton but
not its wording. This card differs on purpose: another service and approving body, the title
without "ЗРАЗОК" and in the nominative, reworded column headers, no numbering gap, one two-step
stage whose two steps name different deadlines in other units (working days, calendar days,
months), only an appeal row (no note), landscape page and other column widths.

Variant `service_card_residence_permit` (copied to `samples/`), truth schema `zvit-corpus-truth/1`.
"""

from __future__ import annotations

from typing import Any

from tools.base import Generator, Truth

OFFICIAL = "Працівник управління (відділу) ГУ ДМС у Львівській області"
HEAD = "Начальник управління (відділу) або особа, яка виконує його обов’язки"
UNIT = "Управління (відділ) оформлення посвідок"


def _step(description: str, deadline: str, official: str = OFFICIAL) -> tuple[str, ...]:
    """One step of a stage: (description, official, unit, deadline)."""
    return (description, official, UNIT, deadline)


STAGES: list[list[tuple[str, ...]]] = [
    [_step("Прийняття заяви та документів від іноземця або особи без громадянства, перевірка "
           "повноти поданих документів і відповідності їх оформлення вимогам законодавства.",
           "Під час прийому у день звернення")],
    [_step("Формування заяви-анкети із застосуванням засобів Реєстру, отримання біометричних "
           "даних та підпису заявника.", "У день звернення")],
    [_step("Реєстрація заяви в журналі обліку та передання документів на розгляд начальнику "
           "управління (відділу).", "Не пізніше наступного робочого дня після прийняття "
           "документів")],
    [_step("Перевірка заявника за обліками ДМС та надсилання запитів до органів Національної "
           "поліції та СБУ.", "Протягом 5 робочих днів з дня реєстрації заяви"),
     _step("Отримання відповідей на запити та долучення їх до матеріалів справи.",
           "Не пізніше 15 календарних днів з дня надсилання запитів")],
    [_step("Розгляд документів і прийняття рішення про оформлення посвідки або про відмову в її "
           "оформленні.", "Протягом одного місяця з дня прийняття заяви", official=HEAD)],
    [_step("Внесення відомостей про прийняте рішення до Реєстру та замовлення виготовлення "
           "посвідки.", "Не пізніше 2 робочих днів з дати прийняття рішення")],
    [_step("Отримання виготовленої посвідки та перевірка правильності внесених до неї відомостей.",
           "10 днів, починаючи з дня замовлення виготовлення посвідки")],
    [_step("Видача посвідки заявнику під особистий підпис.",
           "У день звернення заявника за отриманням посвідки")],
]  # fmt: skip
"""Stage n (from 1) -> its steps."""
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


def residence_permit(source: Truth) -> Truth:
    """The card's truth (blocks drawn by the renderer + data + counts); of `source` (the
    immigration card) only the name is used: this card is written, not derived."""
    rows: list[dict[str, Any]] = []
    stages: list[dict[str, Any]] = []
    for number, stage_steps in enumerate(STAGES, start=1):
        no = str(number)
        ref = f"st{no}"
        steps = [
            {"position": i, "description": d, "official": o, "unit": u, "deadline": dl}
            for i, (d, o, u, dl) in enumerate(stage_steps, start=1)
        ]

        def joined(key: str, steps: list[dict[str, Any]] = steps) -> str:
            return "\n".join(s[key] for s in steps)

        cells = [no, joined("description"), steps[0]["official"], steps[0]["unit"],
                 joined("deadline")]  # fmt: skip
        rows.append({"kind": "data", "ref": ref, "cells": cells})
        stages.append({"id": ref, "no_printed": no, "number": number,
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
        "source": {"seed": None, "derived_from": source["doc_id"],
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


GENERATOR = Generator(
    doc_type="service_card",
    source="service_card_immigration.json",
    variants={"service_card_residence_permit": residence_permit},
    samples={
        "service_card_residence_permit.docx": "service_card_residence_permit.docx",
        "service_card_immigration.pdf": "service_card_immigration.pdf",
    },
)
