"""Reading layer: PDF (pdfplumber) and DOCX (python-docx) into logical tables with provenance."""

from reader.errors import DocumentError
from reader.model import Document, Paragraph, Row, RowPart, Table
from reader.read import READER_VERSION, read_document, sha256_file
from reader.settings import ReaderSettings
from reader.stitch import default_is_continuation, restitch

__all__ = [
    "READER_VERSION",
    "Document",
    "DocumentError",
    "Paragraph",
    "ReaderSettings",
    "Row",
    "RowPart",
    "Table",
    "default_is_continuation",
    "read_document",
    "restitch",
    "sha256_file",
]
