"""Read, recognise and normalise one document: what an extraction worker runs (`zvit.workers`).

Kept apart from the pipeline so that a worker imports only the reading layers (reader,
transforms, and the ledger's record type), never the warehouse, Prefect or Great Expectations.
`extract` is picklable and returns a small, picklable result.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from reader import DocumentError, read_document
from reader.sniff import sha256_file
from transforms import registry
from warehouse.ledger import DocumentMeta
from zvit.provenance import TITLES_TABLE, document_rows_frame, document_titles_frame


@dataclass
class Extracted:
    """What a worker process sends back: the document as the ledger will record it, and frames to
    load or a reason to quarantine."""

    document: DocumentMeta
    """Its `extractor_version` is set by the pipeline, which also asks the ledger."""
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    error_code: str | None = None
    error: str | None = None
    seconds: float = 0.0
    peak_mb: float | None = None

    @property
    def ok(self) -> bool:
        return self.error_code is None


def extract(path: Path) -> Extracted:
    """Read, recognise and normalise one document. Runs in a worker process; never raises."""
    started = time.perf_counter()
    out = Extracted(DocumentMeta(sha256="", file_name=path.name))
    try:
        out.document = replace(out.document, sha256=sha256_file(path))
        doc = read_document(path)
        out.document = replace(out.document, format=doc.format, pages=doc.pages)
        doc_type = registry.detect(doc)
        out.document = replace(
            out.document,
            doc_type=doc_type,
            report_year=registry.report_year(doc),
        )
        out.frames = {
            **registry.DOC_TYPES[doc_type].normalise(doc),
            "document_rows": document_rows_frame(doc),
            TITLES_TABLE: document_titles_frame(doc),
        }
        out.warnings = list(doc.warnings)  # after normalise: columns recognised by their cells
    except DocumentError as e:
        out.error_code, out.error = e.code, e.message
    except MemoryError:
        out.error_code, out.error = "resource_limit", DocumentError("resource_limit").message
    except Exception as e:
        # Only the exception type: parser messages can carry raw document bytes.
        out.error_code = "extract_error"
        out.error = DocumentError("extract_error", type(e).__name__).message
    out.seconds = time.perf_counter() - started
    return out
