"""Open a document by its magic bytes and hand it to the PDF or DOCX reader."""

from __future__ import annotations

from pathlib import Path

from reader.docx import read_docx
from reader.model import Document
from reader.pdf import read_pdf
from reader.settings import DEFAULT_SETTINGS, ReaderSettings
from reader.sniff import sha256_file, sniff

READER_VERSION = "3"
"""Bump when extraction output can change: documents read by an older version are reprocessed."""

__all__ = ["READER_VERSION", "read_document", "sha256_file"]


def read_document(path: str | Path, settings: ReaderSettings = DEFAULT_SETTINGS) -> Document:
    """Read a PDF or DOCX (chosen by magic bytes) into a `Document`. Raises `DocumentError`."""
    path = Path(path)
    kind = sniff(path)
    if kind == "pdf":
        blocks, pages, warnings = read_pdf(path, settings)
    else:
        blocks, warnings = read_docx(path, settings)
        pages = None
    return Document(
        file_name=path.name,
        sha256=sha256_file(path),
        format=kind,  # type: ignore[arg-type]
        pages=pages,
        blocks=blocks,
        reader_version=READER_VERSION,
        warnings=warnings,
    )
