"""Small synthetic plan-execution documents with the exact raw schemas of the transforms."""

from __future__ import annotations

import hashlib
from datetime import date

import polars as pl

from transforms import plan_execution
from warehouse.ledger import DocumentMeta
from zvit.provenance import SCHEMA as PROVENANCE_SCHEMA

# The transforms' own schemas: a new raw column (record_key ...) reaches these tests by itself.
PLAN_EXECUTION = pl.Schema(plan_execution.SCHEMAS["plan_execution"])
DOCUMENT_REFERENCES = pl.Schema(plan_execution.SCHEMAS["document_references"])

DOCUMENT_ROWS = PROVENANCE_SCHEMA

RAW_SCHEMAS = {
    "plan_execution": PLAN_EXECUTION,
    "document_references": DOCUMENT_REFERENCES,
    "document_rows": DOCUMENT_ROWS,
}

STATUS_TEXT = {
    "done": "Виконано",
    "partially_done": "Виконано частково",
    "not_done": "Не виконано",
    "not_held": "Не проводилось",
    "in_progress": "Виконується",
    "postponed": "Перенесено",
    "unknown": "",
}

# (section, item, executors, status)
DEFAULT_MEASURES = [
    (1, "1", ["ДОЗ"], "done"),
    (1, "2", ["ДОЗ", "ДІТЗІ"], "done"),
    (1, "3", ["ДІТЗІ"], "not_done"),
    (2, "4", ["TERRITORIAL_BODIES", "ДОЗ"], "partially_done"),
    (2, "5", ["НОВИЙ_ПІДРОЗДІЛ"], "done"),
]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def meta(sha256: str, file_name: str = "plan.pdf", version: str = "v1") -> DocumentMeta:
    return DocumentMeta(
        sha256=sha256,
        file_name=file_name,
        doc_type="plan_execution",
        report_year=2021,
        pages=3,
        format="pdf",
        extractor_version=version,
    )


def plan_frames(
    sha256: str,
    measures: list[tuple[int, str, list[str], str]] | None = None,
    file_name: str = "plan.pdf",
    year: int = 2021,
) -> dict[str, pl.DataFrame]:
    """Frames of one plan-execution document: measures, a reference per measure, its table rows."""
    measures = DEFAULT_MEASURES if measures is None else measures
    plan = pl.DataFrame(
        [
            {
                "source_sha256": sha256,
                "record_key": item,
                "source_file": file_name,
                "report_year": year,
                "measure_index": i,
                "section_number": section,
                "section_title": f"Розділ {section}",
                "item_number": item,
                "measure": f"Захід {item}",
                "executors_text": ", ".join(executors),
                "executors": executors,
                "deadline_text": "I квартал",
                "deadline_kind": "quarter",
                "deadline_start_date": date(year, 1, 1),
                "deadline_end_date": date(year, 3, 31),
                "deadline_condition": None,
                "status_text": STATUS_TEXT[status],
                "status": status,
                "status_reason": None,
                "justification": None,
                "evidence": f"Наказ ДМС від 22.02.{year} № {i + 1}",
                "page_first": 1 + i // 2,
                "page_last": 1 + i // 2,
            }
            for i, (section, item, executors, status) in enumerate(measures)
        ],
        schema=PLAN_EXECUTION,
    )
    references = pl.DataFrame(
        [
            {
                "source_sha256": sha256,
                "doc_type": "plan_execution",
                "record_key": item,
                "field": "evidence",
                "position": 0,
                "kind": "order",
                "kind_text": "наказ",
                "issuer": "ДМС",
                "reference_date": date(year, 2, 22),
                "number": str(i + 1),
                "text": f"наказ ДМС від 22.02.{year} № {i + 1}",
            }
            for i, (_, item, _, _) in enumerate(measures)
        ],
        schema=DOCUMENT_REFERENCES,
    )
    rows = pl.DataFrame(
        [
            {
                "source_sha256": sha256,
                "table_index": 0,
                "row_index": i,
                "kind": "data",
                "cells": [item, f"Захід {item}"],
                "page_first": 1,
                "page_last": 1,
                "bbox": [10.0, 20.0 * i, 500.0, 20.0 * i + 18],
            }
            for i, (_, item, _, _) in enumerate(measures)
        ],
        schema=DOCUMENT_ROWS,
    )
    return {"plan_execution": plan, "document_references": references, "document_rows": rows}
