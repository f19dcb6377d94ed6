"""Readable reasons for documents that cannot be read.

Every failure the reading layer raises is a `DocumentError` with a short machine code (kept in the
ledger and quarantine) and a message a person can act on. Messages never carry document text or
parser internals (pdfminer's errors can contain raw stream bytes and paths).
"""

from __future__ import annotations

from collections.abc import Mapping

REASONS: dict[str, str] = {
    "empty": "the file is empty",
    "not_a_document": "not a PDF or DOCX",
    "truncated": "the file is truncated or damaged",
    "encrypted": "the document is encrypted",
    "no_text_layer": "no text layer (scanned pages need OCR)",
    "unmapped_glyphs": "text uses fonts without a Unicode map ((cid:NN) glyphs)",
    "no_table": "no table found",
    "unread_rows": "text in a table's columns lies in none of its rows (rows drawn without rules)",
    "unknown_type": "not a known report type",
    "missing_column": "a required column is missing",
    "validation_failed": "the extracted rows failed validation",
    "unsafe_xml": "the DOCX declares a DTD or entities (refused: external or expanding entities)",
    "not_a_regular_file": "not a regular file (links, folders and devices are not read)",
    "duplicate": "the same bytes arrived under another name in this run",
    "resource_limit": "reading exceeded the memory limit",
    "timeout": "reading exceeded the time limit",
    "extract_error": "the extractor failed on this document",
}
"""Reasons of the reading layer and the pipeline. A document type adds its own with
`register_reasons` (through `transforms.base.declare_reasons`), so this file never changes for a
new type."""


def register_reasons(extra: Mapping[str, str]) -> None:
    """Add a document type's reason codes; a code may not change its meaning once registered."""
    for code, text in extra.items():
        if REASONS.get(code, text) != text:
            raise ValueError(f"reason code {code!r} is already registered with another meaning")
        REASONS[code] = text


class DocumentError(Exception):
    """A document that cannot be loaded, with a reason code from `REASONS`."""

    def __init__(self, code: str, detail: str = "") -> None:
        if code not in REASONS:
            raise ValueError(f"unknown reason code {code!r}")
        self.code = code
        self.detail = detail
        super().__init__(self.message)

    @property
    def message(self) -> str:
        base = REASONS[self.code]
        return f"{base}: {self.detail}" if self.detail else base
