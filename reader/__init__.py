"""Reading layer: PDF (pdfplumber) and DOCX (python-docx) into logical tables with provenance."""

from reader.errors import DocumentError
from reader.model import Document, Paragraph, Row, Table

READER_VERSION = "1"
"""Bump when extraction output can change: documents read by an older version are reprocessed."""

__all__ = ["READER_VERSION", "Document", "DocumentError", "Paragraph", "Row", "Table"]
