"""Read, recognise and normalise one document: what an extraction worker runs (`zvit.workers`).

Kept apart from the pipeline so that a worker imports only the reading layers (reader,
transforms, and the ledger's record type), never the warehouse, Prefect or Great Expectations.
`extract` is picklable and returns a small, picklable result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from reader import READER_VERSION, Document, DocumentError, read_document
from reader.pdf import PageResult, assemble, read_pdf_pages
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


def extract(path: Path, read: Callable[[Path], Document] = read_document) -> Extracted:
    """Read, recognise and normalise one document. Runs in a worker process; never raises.

    `read` is `read_document`, or a `ranged_reader` when other workers read part of the pages."""
    started = time.perf_counter()
    out = Extracted(DocumentMeta(sha256="", file_name=path.name))
    try:
        out.document = replace(out.document, sha256=sha256_file(path))
        doc = read(path)
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


RangeReply = tuple[Any, ...]
"""A page-range worker's answer: ("ok", [PageResult, ...]) or ("error", reason code, detail)."""


def read_range(path: Path, first: int, last: int | None) -> RangeReply:
    """Pages `first`..`last` of a PDF read but not stitched: what a page-range worker runs."""
    try:
        pages, _ = read_pdf_pages(path, first=first, last=last)
    except DocumentError as e:
        return ("error", e.code, e.detail)
    except MemoryError:
        raise  # the worker exits with its out-of-memory code
    except Exception as e:
        return ("error", "extract_error", type(e).__name__)
    return ("ok", pages)


def ranged_reader(
    first: int, last: int | None, rest: Callable[[], RangeReply]
) -> Callable[[Path], Document]:
    """A `read` for `extract` that reads pages `first`..`last` itself and takes the remaining
    pages, in order, from `rest` (the other page-range workers), then stitches them all: the
    same `Document` as `read_document`, whose steps it repeats for a PDF."""

    def read(path: Path) -> Document:
        mine, n_pages = read_pdf_pages(path, first=first, last=last)
        reply = rest()
        if reply[0] != "ok":
            raise DocumentError(reply[1], reply[2])
        others: list[PageResult] = reply[1]
        blocks, pages, warnings = assemble([*mine, *others], n_pages)
        return Document(
            file_name=path.name,
            sha256=sha256_file(path),
            format="pdf",
            pages=pages,
            blocks=blocks,
            reader_version=READER_VERSION,
            warnings=warnings,
        )

    return read
