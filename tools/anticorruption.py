"""Anticorruption-programme reports: variants of the 2019 report (another year, widths, page).

From `tests/fixtures/documents/anticorruption/anticorruption_2019.json` (42 measures in 2
appendices): `anticorruption_2020_synthetic` (every year 2016-2020 shifted +1),
`anticorruption_2019_widths` (other column widths) and `anticorruption_2019_portrait`.
"""

from __future__ import annotations

from typing import Any

from tools.base import Generator, Truth, derive, shift_years, table_block


def _variant(source: Truth, mutation: str, **layout: Any) -> Truth:
    truth = derive(source, mutation, **layout)
    if "widths_cm" in layout:
        table_block(truth)["widths_cm"] = list(layout["widths_cm"])
    return truth


def anticorruption_2020_synthetic(source: Truth) -> Truth:
    """Every year 2016-2020 in every string of the truth shifted +1 (texts and data stay equal)."""
    truth = shift_years(source, range(2016, 2021))
    truth["data"]["programme_year"] = 2020
    return _variant(truth, "every year 2016-2020 in every text shifted +1 (programme year 2020)")


def anticorruption_2019_widths(source: Truth) -> Truth:
    widths = [1.0, 6.0, 4.2, 6.0, 8.0]
    return _variant(source, f"column widths {widths} cm", widths_cm=widths)


def anticorruption_2019_portrait(source: Truth) -> Truth:
    widths = [1.0, 4.5, 2.6, 3.2, 6.2]
    return _variant(
        source, f"portrait A4, column widths {widths} cm", orientation="portrait", widths_cm=widths
    )


GENERATOR = Generator(
    doc_type="anticorruption",
    source="anticorruption_2019.json",
    variants={
        "anticorruption_2020_synthetic": anticorruption_2020_synthetic,
        "anticorruption_2019_widths": anticorruption_2019_widths,
        "anticorruption_2019_portrait": anticorruption_2019_portrait,
    },
    samples={"anticorruption_2019.pdf": "anticorruption_2019.pdf"},
)
