"""A copy of dbt_project in tmp (dbt writes nothing into the checkout) with a test seed."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

from zvit.settings import PROJECT_DIR

UNITS_CSV = """unit_code,unit_name,unit_kind
ДОЗ,Департамент організаційного забезпечення,department
ДІТЗІ,Департамент інформаційних технологій та захисту інформації,department
SSP_APARAT,Самостійні структурні підрозділи апарату ДМС,group
TERRITORIAL_BODIES,Територіальні органи ДМС,group
"""


def _load_synthetic():
    """The frame builders of tests/warehouse, shared without making tests a package."""
    path = PROJECT_DIR / "tests/warehouse/synthetic.py"
    spec = importlib.util.spec_from_file_location("zvit_test_synthetic", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


synthetic = _load_synthetic()


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
