"""The document types zvit knows: one module per type, registered once here.

Each module exposes `DOC_TYPE`, `matches(doc)`, `normalise(doc)` and `SCHEMAS` (raw table name
-> polars schema). Adding a type means adding its module and one line in `DOC_TYPES`.
"""

from __future__ import annotations

from types import ModuleType

from reader.errors import DocumentError
from reader.model import Document
from transforms import anticorruption, assistance_project, common, plan_execution, service_card

TRANSFORMS_VERSION = "5"
"""Bump when any normalisation changes its output: the ledger re-reads older documents."""

DOC_TYPES: dict[str, ModuleType] = {
    plan_execution.DOC_TYPE: plan_execution,
    anticorruption.DOC_TYPE: anticorruption,
    service_card.DOC_TYPE: service_card,
    assistance_project.DOC_TYPE: assistance_project,
}

report_title = common.report_title
report_year = common.report_year


def detect(doc: Document) -> str:
    """The type of `doc`; DocumentError("unknown_type") when no registered type matches."""
    for name, module in DOC_TYPES.items():
        if module.matches(doc):
            return name
    title = report_title(doc)[:120] or "(no title)"
    raise DocumentError("unknown_type", f"no document type matches the title {title!r}")


__all__ = ["DOC_TYPES", "TRANSFORMS_VERSION", "detect", "report_title", "report_year"]
