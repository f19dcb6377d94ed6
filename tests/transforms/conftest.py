"""Fixtures for the transforms tests: the truth-built plan Document."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# `tests/support` is shared test code, not an installed package: make `tests.support` importable.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reader.model import Document  # noqa: E402
from tests.support.truth import PLAN_TRUTH, document_from_truth, load_truth  # noqa: E402


@pytest.fixture(scope="session")
def plan_truth() -> dict:
    return load_truth(PLAN_TRUTH)


@pytest.fixture(scope="session")
def plan_doc() -> Document:
    return document_from_truth(PLAN_TRUTH)
