"""Every extracted table row as a raw record, so any value in the marts can be traced to a page."""

from __future__ import annotations

import polars as pl

from reader.model import Document

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
