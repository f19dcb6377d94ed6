"""Unit codes and persons from executor / responsible cells."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.support.truth import ANTICORRUPTION_TRUTH, PLAN_TRUTH, SERVICE_CARD_TRUTH, load_truth
from transforms.units import UNIT_CODES, Person, parse_responsible, parse_units, units_expr

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "units.csv"


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("ДОЗ", ["ДОЗ"]),
        ("ДСЮБГ ДІТЗІ", ["ДСЮБГ", "ДІТЗІ"]),
        ("ВСКМ, ДОЗ, ДЮЗ, ДПГР, ДСЮБГ ДІТЗІ", ["ВСКМ", "ДОЗ", "ДЮЗ", "ДПГР", "ДСЮБГ", "ДІТЗІ"]),
        ("ПТРБ у м. Яготин, ДСЮБГ,ДФЗБС, УРГЗКБ", ["PTRB_YAHOTYN", "ДСЮБГ", "ДФЗБС", "УРГЗКБ"]),
        ("УКЕС, територіальн і органи ДМС", ["УКЕС", "TERRITORIAL_BODIES"]),
        ("ДІТЗІ, ДГПР, ДП «Документ»", ["ДІТЗІ", "ДГПР", "DP_DOKUMENT"]),
        (
            "УП, самостійні структурні підрозділи апарату ДМС, територіальні органи\\nДМС",
            ["УП", "SSP_APARAT", "TERRITORIAL_BODIES"],
        ),
        ("Територіальний орган ДМС, територіальний підрозділ ДМС",
         ["TERRITORIAL_BODIES", "TERRITORIAL_SUBDIVISIONS"]),
        ("ВПЗВК, територіальні органи ДМС, установи та підприємства, що належать до сфери "
         "управління ДМС",
         ["ВПЗВК", "TERRITORIAL_BODIES", "SUBORDINATE_INSTITUTIONS", "SUBORDINATE_ENTERPRISES"]),
        ("ДОЗ, ДОЗ", ["ДОЗ"]),
        ("ХЮЯ, нова група", ["ХЮЯ", "нова група"]),
        ("", []),
        (None, []),
    ],
)  # fmt: skip
def test_parse_units(text: str | None, units: list[str]) -> None:
    assert parse_units(text.replace("\\n", "\n") if text else text) == units


def test_persons_with_units() -> None:
    got = parse_responsible(
        "Гребенюк С.В. (ВПЗВК) Донський С.М. (Конкурсна комісія) Селіванов С.В. (УП)"
    )
    assert got.units == ["ВПЗВК", "COMPETITION_COMMISSION", "УП"]
    assert got.persons == [
        Person("Гребенюк С.В.", "Гребенюк", "С.В.", "ВПЗВК"),
        Person("Донський С.М.", "Донський", "С.М.", "COMPETITION_COMMISSION"),
        Person("Селіванов С.В.", "Селіванов", "С.В.", "УП"),
    ]
    plain = parse_responsible("Гребенюк С. В., ВПЗВК")
    assert plain.persons == [Person("Гребенюк С.В.", "Гребенюк", "С.В.", None)]
    assert plain.units == ["ВПЗВК"]


def test_units_expr_on_a_frame() -> None:
    df = pl.DataFrame({"t": ["ДОЗ, ДЮЗ", None, "Тендерний комітет ДМС"]})
    got = df.select(units_expr(pl.col("t")).alias("u"))
    expected = pl.DataFrame(
        {"u": [["ДОЗ", "ДЮЗ"], None, ["TENDER_COMMITTEE"]]}, schema={"u": pl.List(pl.String)}
    )
    assert_frame_equal(got, expected)


def _seed_cells() -> list[str]:
    plan = load_truth(PLAN_TRUTH)["data"]["measures"]
    anti = load_truth(ANTICORRUPTION_TRUTH)["data"]["measures"]
    card = load_truth(SERVICE_CARD_TRUTH)["data"]["stages"]
    return (
        [m["executor"] for m in plan]
        + [m["responsible"] for m in anti]
        + [step["unit"] for s in card for step in s["steps"]]
    )


def test_units_seed_has_every_code_seen_and_only_those() -> None:
    with SEED.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["unit_code", "unit_name", "unit_kind", "name_source"]
    # a name only with the place it was read from; no source, no name
    assert all(bool(r["unit_name"]) == bool(r["name_source"]) for r in rows)
    seeded = {r["unit_code"] for r in rows}
    assert len(seeded) == len(rows)
    seen: set[str] = set()
    for cell in _seed_cells():
        got = parse_responsible(cell)
        seen |= set(got.units) | {p.unit for p in got.persons if p.unit}
    assert seen == seeded
    assert {c for c in seen if c.isascii()} <= set(UNIT_CODES)
    assert all(r["unit_kind"] for r in rows)
