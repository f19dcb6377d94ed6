"""Tell a PDF from a DOCX by its first bytes (never the extension), and hash files."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from reader.errors import DocumentError

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_EOF_WINDOW = 16 * 1024


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sniff(path: Path) -> str:
    """The format, "pdf" or "docx", from the first bytes, whatever the extension says."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
        if not head:
            raise DocumentError("empty")
        if not head.startswith(_ZIP_MAGIC) and _PDF_MAGIC in head:
            # pdfminer rebuilds a cut file from what is left and reads part of it silently:
            # a PDF must end with its end-of-file marker (some writers pad after it)
            fh.seek(0, 2)
            size = fh.tell()
            fh.seek(max(0, size - _EOF_WINDOW))
            if b"%%EOF" not in fh.read():
                raise DocumentError("truncated", "the PDF has no end-of-file marker")
            return "pdf"
    if head.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, EOFError, OSError):
            raise DocumentError("truncated", "the zip container is damaged") from None
        if "word/document.xml" in names:
            return "docx"
        raise DocumentError("not_a_document", "a zip file without word/document.xml")
    raise DocumentError("not_a_document", "neither a PDF nor a DOCX by its first bytes")
