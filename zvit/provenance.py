"""Every extracted table row as a raw record, so any value in the marts can be traced to a page;
and each loaded document's title, kept with its rows rather than in the ledger (which holds no
document text)."""

from __future__ import annotations

import polars as pl

from reader.model import Document
from transforms import common

SCHEMA = pl.Schema(
    {
        "source_sha256": pl.String,
        "table_index": pl.Int32,
        "row_index": pl.Int32,
        "kind": pl.String,
        "cells": pl.List(pl.String),
        "page_first": pl.Int32,
        "page_last": pl.Int32,
        "bbox": pl.List(pl.Float64),
    }
)


def document_rows_frame(doc: Document) -> pl.DataFrame:
    """One row per logical table row of `doc`, with its pages and bounding box."""
    records = [
        {
            "source_sha256": doc.sha256,
            "table_index": table.index,
            "row_index": row.index,
            "kind": row.kind,
            "cells": list(row.cells),
            "page_first": row.page_first,
            "page_last": row.page_last,
            "bbox": list(row.bbox) if row.bbox else None,
        }
        for table in doc.tables
        for row in table.rows
    ]
    return pl.DataFrame(records, schema=SCHEMA)


TITLES_TABLE = "document_titles"
TITLES_SCHEMA = pl.Schema({"source_sha256": pl.String, "title": pl.String, "report_year": pl.Int32})
"""One row per loaded document: its title as printed (document text, so never in the ledger,
reasons or logs) and the year it covers; `dim_documents` joins it."""


def document_titles_frame(doc: Document) -> pl.DataFrame:
    """The one-row `document_titles` frame of `doc`."""
    title = common.report_title(doc) or None
    return pl.DataFrame(
        {"source_sha256": [doc.sha256], "title": [title], "report_year": [common.report_year(doc)]},
        schema=TITLES_SCHEMA,
    )
