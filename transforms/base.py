"""The contract every document type keeps: one module per type, registered in `registry`.

A type module is everything zvit knows about one kind of report. The pipeline, the warehouse, the
validation layer and the contract tests only ever use the names below, so a new type is a new
module (plus its suites, its dbt folder and its fixtures), never an edit to the shared layers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import polars as pl

from reader.errors import register_reasons
from reader.model import Document


@runtime_checkable
class DocType(Protocol):
    """What `transforms.registry` needs from a document-type module."""

    DOC_TYPE: str
    """The type's name: the ledger's `doc_type`, the suites' and the dbt folder's prefix."""
    VERSION: str
    """Bump when this type's output changes: the ledger re-reads only this type's documents."""
    SCHEMAS: Mapping[str, Mapping[str, pl.DataType]]
    """Raw table -> polars schema of every frame `normalise` returns (exactly these columns)."""
    REASONS: Mapping[str, str]
    """Reason codes only this type raises, with their readable text."""
    VOCABULARIES: Mapping[str, tuple[str, ...]]
    """`table.column` -> every value the column may hold: the one list that GX value sets and
    dbt accepted values are checked against."""

    def matches(self, doc: Document) -> bool:
        """Is `doc` a report of this type (title and table headers)?"""
        ...

    def normalise(self, doc: Document) -> dict[str, pl.DataFrame]:
        """The document -> one frame per raw table of `SCHEMAS`; DocumentError when it cannot."""
        ...


RECORD_KEY = "record_key"
"""Every raw table a type writes has `source_sha256` and this column, unique together: staging
computes each record's id from the pair, once."""
DOCUMENT_RECORD_KEY = "document"
"""The record key of a table that holds one row per document (a passport, a card)."""


def declare_reasons(reasons: Mapping[str, str]) -> dict[str, str]:
    """A type's own reason codes, made known to `DocumentError` when the module is imported."""
    register_reasons(reasons)
    return dict(reasons)
