"""Docs and code in step: every registered document type has one module in every layer."""

from __future__ import annotations

import pytest

from transforms import registry
from zvit.settings import PROJECT_DIR

TYPES = sorted(registry.DOC_TYPES)


def test_plan_execution_is_registered() -> None:
    assert "plan_execution" in TYPES


def test_anticorruption_is_registered() -> None:
    assert "anticorruption" in TYPES


def test_service_card_is_registered() -> None:
    assert "service_card" in TYPES


def test_assistance_project_is_registered() -> None:
    assert "assistance_project" in TYPES


@pytest.mark.parametrize("doc_type", TYPES)
def test_type_has_a_marts_folder_with_its_yml(doc_type: str) -> None:
    """dbt_project/models/marts/<type>/: its marts and one yml documenting them (tests/dbt reads
    the mart list from there)."""
    folder = PROJECT_DIR / "dbt_project/models/marts" / doc_type
    assert list(folder.glob("*.sql")), doc_type
    assert (folder / f"_{doc_type}__models.yml").exists(), doc_type


@pytest.mark.parametrize("doc_type", TYPES)
def test_type_has_a_module_suite_staging_model_and_fixtures(doc_type: str) -> None:
    module = registry.DOC_TYPES[doc_type]
    assert module.__name__ == f"transforms.{doc_type}"
    assert doc_type == module.DOC_TYPE
    assert (PROJECT_DIR / "expectations" / f"{doc_type}.json").exists()
    staging = PROJECT_DIR / "dbt_project/models/staging"
    assert (staging / f"stg_reports__{doc_type}.sql").exists()
    fixtures = PROJECT_DIR / "tests/fixtures/documents" / doc_type
    assert list(fixtures.glob("*.pdf")) and list(fixtures.glob("*.docx"))


@pytest.mark.parametrize("doc_type", TYPES)
def test_every_raw_table_of_a_type_has_a_suite(doc_type: str) -> None:
    for table in registry.DOC_TYPES[doc_type].SCHEMAS:
        assert (PROJECT_DIR / "expectations" / f"{table}.json").exists(), table
