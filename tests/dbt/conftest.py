"""A copy of dbt_project in tmp (dbt writes nothing into the checkout) with a test seed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zvit.settings import PROJECT_DIR

UNITS_CSV = """unit_code,unit_name,unit_kind,name_source
ДОЗ,Департамент організаційного забезпечення,department,a made-up test name
ДІТЗІ,,department,
SSP_APARAT,Самостійні структурні підрозділи апарату ДМС,group,a made-up test name
TERRITORIAL_BODIES,Територіальні органи ДМС,group,a made-up test name
"""
"""Test names, not sources: ДІТЗІ has none (the seed lists it without a name)."""


@pytest.fixture(scope="module")
def dbt_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dbt_project copied without build output; `seeds/units.csv` is always the test's own."""
    target = tmp_path_factory.mktemp("dbt") / "dbt_project"
    shutil.copytree(
        PROJECT_DIR / "dbt_project",
        target,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml"),
    )
    (target / "seeds/units.csv").write_text(UNITS_CSV, encoding="utf-8")
    return target
