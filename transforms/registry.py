"""The document types zvit knows: one module per type (the `transforms.base.DocType` contract),
registered once here.

Adding a type means adding its module and one line in `DOC_TYPES`; everything else (reason codes,
raw tables, versions, vocabularies) is read from the modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

import polars as pl

from reader import READER_VERSION
from reader.errors import DocumentError
from reader.model import Document
from transforms import (
    anticorruption,
    assistance_project,
    common,
    plan_execution,
    references,
    service_card,
)
from transforms.base import DocType

DOC_TYPES: dict[str, ModuleType] = {
    module.DOC_TYPE: module
    for module in (plan_execution, anticorruption, service_card, assistance_project)
}

report_title = common.report_title
report_year = common.report_year


def doc_type(name: str) -> DocType:
    """The registered module of type `name` (KeyError when there is none)."""
    return DOC_TYPES[name]  # type: ignore[return-value]


def detect(doc: Document) -> str:
    """The type of `doc`; DocumentError("unknown_type") when no registered type matches.

    A document with tables whose title names exactly one type, but whose tables match none, is of
    that type: its `normalise` then says which required column is missing (`missing_column`),
    which is what its data owner needs to hear, not that the report is of no known type.
    """
    for name, module in DOC_TYPES.items():
        if module.matches(doc):
            return name
    titled = [name for name, module in DOC_TYPES.items() if module.titled(doc)]
    if doc.tables and len(titled) == 1:
        return titled[0]
    # No document text in the reason: titles can name people and are kept out of logs.
    raise DocumentError("unknown_type", f"the title and headers match none of {sorted(DOC_TYPES)}")


def extractor_version(name: str | None) -> str:
    """The version the ledger stores with a document of type `name`.

    A typed document is read again only when the reader or its own type changes. A document of no
    known type (unknown, or refused before its type was known) is read again when any type is
    added or changes, since that may make it readable.
    """
    if name in DOC_TYPES:
        return f"reader-{READER_VERSION}.{name}-{DOC_TYPES[name].VERSION}"
    types = ".".join(f"{n}-{m.VERSION}" for n, m in sorted(DOC_TYPES.items()))
    return f"reader-{READER_VERSION}.any[{types}]"


def reasons() -> dict[str, str]:
    """Every type's own reason codes, merged (a code means one thing across types)."""
    merged: dict[str, str] = {}
    for name, module in DOC_TYPES.items():
        for code, text in module.REASONS.items():
            if merged.get(code, text) != text:
                raise ValueError(f"{name}: reason code {code!r} already means {merged[code]!r}")
            merged[code] = text
    return merged


def raw_schemas() -> dict[str, pl.Schema]:
    """Every raw table the registered types write -> its schema (shared tables once)."""
    schemas: dict[str, pl.Schema] = {}
    for name, module in DOC_TYPES.items():
        for table, schema in module.SCHEMAS.items():
            if table in schemas and schemas[table] != pl.Schema(schema):
                raise ValueError(f"{name}: raw table {table!r} has another schema in another type")
            schemas[table] = pl.Schema(schema)
    return schemas


def vocabularies() -> dict[str, tuple[str, ...]]:
    """`table.column` -> allowed values, for every type and the shared tables.

    A shared table's column (`document_references.field`) allows what any type writes into it:
    the types' lists are joined, in registry order.
    """
    merged: dict[str, tuple[str, ...]] = dict(references.VOCABULARIES)
    for module in DOC_TYPES.values():
        vocab: Mapping[str, tuple[str, ...]] = module.VOCABULARIES
        for column, values in vocab.items():
            merged[column] = tuple(dict.fromkeys((*merged.get(column, ()), *values)))
    return merged


def labels_uk() -> dict[str, dict[str, str]]:
    """`table.column` -> {value: Ukrainian label} for the vocabularies whose type labels them
    (a type's optional `LABELS_UK`, kept beside its lists); passed to dbt with the lists."""
    merged: dict[str, dict[str, str]] = {}
    for module in DOC_TYPES.values():
        for column, labels in getattr(module, "LABELS_UK", {}).items():
            merged[column] = {**merged.get(column, {}), **labels}
    return merged


REASONS = reasons()

__all__ = [
    "DOC_TYPES",
    "REASONS",
    "detect",
    "doc_type",
    "extractor_version",
    "labels_uk",
    "raw_schemas",
    "report_title",
    "report_year",
    "vocabularies",
]
