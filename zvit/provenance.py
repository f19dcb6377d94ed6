"""Every extracted table row as a raw record, so any value in the marts can be traced to a page,
with how it was read: from the text layer, or by OCR from a scan (with Tesseract's confidence);
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
        "extraction_method": pl.String,
        "ocr_confidence": pl.Float64,
        "ocr_confidence_min": pl.Float64,
        "low_confidence_cells": pl.List(pl.Int32),
    }
)
"""`extraction_method` is "text" or "ocr"; the confidences are Tesseract's word confidences,
0..100 (mean and lowest over the row's words; null for text); `low_confidence_cells` lists the
cells (indices into `cells`) holding a word below `reader.ocr.OcrSettings.low_confidence`."""


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
            "extraction_method": row.extraction_method,
            "ocr_confidence": row.ocr_confidence,
            "ocr_confidence_min": row.ocr_confidence_min,
            "low_confidence_cells": row.low_confidence_cells,
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
