"""The contract every document type keeps: one module per type, registered in `registry`.

A type module is everything zvit knows about one kind of report. The pipeline, the warehouse, the
validation layer and the contract tests only ever use the names below, so a new type is a new
module (plus its suites, its dbt folder and its fixtures), never an edit to the shared layers.

What several types do alike lives here once: `TableReport` for reports that are one table found
by its headers (plan, anticorruption, and the table part of service cards), `cell_text`,
`first_match` and `conform` for every type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import polars as pl

from reader.errors import register_reasons
from reader.model import Document, Row, Table
from transforms import columns, common, references
from transforms.columns import Column
from transforms.common import conform as conform  # re-exported with the other type helpers
from transforms.deadlines import add_deadline


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
        """Is `doc` a report of this type (title and table columns)?"""
        ...

    def titled(self, doc: Document) -> bool:
        """Does the title of `doc` name this type? A titled document with tables that `matches`
        no type is refused by its own type's `normalise` (`missing_column`), not as unknown."""
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


def cell_text(expr: str | pl.Expr, *, collapse: bool = False) -> pl.Expr:
    """A text cell stripped (inner whitespace runs made one space with `collapse`); empty -> null.

    Types that keep a cell's line breaks (plan and anticorruption measures) do not collapse.
    """
    col = pl.col(expr) if isinstance(expr, str) else expr
    out = col.str.replace_all(r"\s+", " ") if collapse else col
    out = out.str.strip_chars()
    return pl.when(out != "").then(out)


def first_match(
    value: pl.Expr, classes: Sequence[tuple[str, str]], default: str | None = None
) -> pl.Expr:
    """The class of the first (class, regex) pair whose regex is found in the lower-cased value;
    `default` when none is (and for a null value)."""
    low = value.str.to_lowercase()
    out = pl.lit(default, pl.String)
    for cls, pattern in reversed(classes):
        out = pl.when(low.str.contains(pattern)).then(pl.lit(cls)).otherwise(out)
    return out


@dataclass(frozen=True)
class TableReport:
    """A report that is one table of rows found by what its column headers mean.

    Configured by its columns, its title pattern and its status classes; the type module keeps
    what is really its own (grouping, numbering, keys, extra columns).
    """

    doc_type: str
    columns: tuple[Column, ...]
    title_re: str
    """Regex on the report title (`common.report_title`)."""
    no_table_message: str
    """The detail of DocumentError("no_table") when the document has no table at all."""
    group_column: str
    """The column that holds a group row's (section, appendix, area) text in `rows_frame`."""
    reference_fields: Mapping[str, str]
    """Reference field -> the record column its text is read from (`document_references`)."""
    status_classes: tuple[tuple[str, str], ...] = ()
    """(class, regex on the lower-cased status text); the first found wins."""
    status_values: tuple[str, ...] = ()
    """Every status the type writes: its vocabulary, checked against what `status_expr` can
    produce when the report is declared."""
    status_default: str = "unknown"
    """The status of a written text that no class matches."""
    status_empty: str = "unknown"
    """The status of an empty status cell."""

    def __post_init__(self) -> None:
        if self.status_classes:
            produced = [cls for cls, _ in self.status_classes]
            produced += [self.status_default, self.status_empty]
            common.check_vocabulary(f"{self.doc_type}.status", produced, self.status_values)

    def titled(self, doc: Document) -> bool:
        """The title matches `title_re`."""
        return bool(re.search(self.title_re, common.report_title(doc)))

    def matches(self, doc: Document) -> bool:
        """The title matches `title_re` and some table has every required column (by header,
        else by content)."""
        return self.titled(doc) and columns.has_table(doc, self.columns)

    def find_table(self, doc: Document) -> tuple[Table, dict[str, int]]:
        """The report's table and its column mapping; DocumentError when there is none.
        Columns recognised by their cells are noted in `doc.warnings`."""
        return columns.find_table(doc, self.columns, self.no_table_message)

    def rows_frame(self, rows: Iterable[Row], mapping: dict[str, int]) -> pl.LazyFrame:
        """Table rows as a frame: kind, pages and one text per logical column (a group row's
        text in `group_column`)."""
        keys = [c.key for c in self.columns]
        data: dict[str, list[object]] = {"kind": [], "page_first": [], "page_last": []}
        data |= {k: [] for k in keys}
        for row in rows:
            data["kind"].append(row.kind)
            data["page_first"].append(row.page_first)
            data["page_last"].append(row.page_last)
            for k in keys:
                if row.kind == "group":
                    data[k].append((row.text or None) if k == self.group_column else None)
                elif k in mapping and mapping[k] < len(row.cells):
                    data[k].append(row.cells[mapping[k]])
                else:
                    data[k].append(None)
        schema = {"kind": pl.String, "page_first": pl.Int32, "page_last": pl.Int32}
        schema |= {k: pl.String for k in keys}
        return pl.LazyFrame(data, schema=schema)

    def data_rows(self, rows: pl.LazyFrame) -> pl.LazyFrame:
        """The data rows with every column's text stripped; blank spacer rows dropped."""
        keys = [c.key for c in self.columns]
        return (
            rows.filter(pl.col("kind") != "group")
            .with_columns(cell_text(k).alias(k) for k in keys)
            .filter(pl.any_horizontal(pl.col(k).is_not_null() for k in keys))
        )

    def with_deadline_and_status(self, rows: pl.LazyFrame, year_column: str) -> pl.LazyFrame:
        """The texts kept as `deadline_text` and `status_text`; the deadline parsed against the
        report year (`deadline_*`), the status classified (`status`)."""
        return rows.with_columns(
            pl.col("deadline").alias("deadline_text"),
            pl.col("status").alias("status_text"),
            self.status_expr(pl.col("status")).alias("status"),
        ).pipe(add_deadline, "deadline", year_column, prefix="deadline_")

    def status_expr(self, status_text: pl.Expr) -> pl.Expr:
        """Status text -> one of `status_values`."""
        classified = first_match(status_text, self.status_classes, self.status_default)
        return pl.when(status_text.is_null()).then(pl.lit(self.status_empty)).otherwise(classified)

    def vocabularies(self, **more: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """The type's `VOCABULARIES`: its statuses, the reference fields it writes, and `more`
        (`column=values` of the type's own table)."""
        out = {f"{self.doc_type}.{column}": values for column, values in more.items()}
        if self.status_classes:
            out[f"{self.doc_type}.status"] = self.status_values
        out["document_references.field"] = tuple(self.reference_fields)
        return out

    def references(self, records: pl.LazyFrame, source_sha256: str) -> pl.LazyFrame:
        """Records -> the `document_references` rows they cite, keyed by their `record_key`."""
        return references.document_references(
            records, self.reference_fields, source_sha256, self.doc_type
        )

    def with_references(self, records: pl.LazyFrame, source_sha256: str) -> dict[str, pl.DataFrame]:
        """The type's records and the references they cite, collected together."""
        refs = self.references(records, source_sha256)
        records_df, refs_df = pl.collect_all([records, refs])
        return {self.doc_type: records_df, "document_references": refs_df}
