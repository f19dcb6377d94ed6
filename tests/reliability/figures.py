"""Figures the reliability suite measures, printed at the end of the test run.

A module of its own: pytest loads `conftest.py` under another module name than the tests'
`from tests.reliability.conftest import …`, so a list kept there would exist twice.
"""

from __future__ import annotations

FIGURES: list[tuple[str, str]] = []


def figure(name: str, value: object) -> None:
    """Report a measured figure at the end of the run (and now, with `-s`)."""
    FIGURES.append((name, str(value)))
    print(f"[figure] {name}: {value}")
