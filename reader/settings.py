"""Reading settings: pdfplumber table finding, stitching tolerances and DOCX size limits."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

DEFAULT_SNAP_TOLERANCE = 3.0
DEFAULT_JOIN_TOLERANCE = 3.0
DEFAULT_INTERSECTION_TOLERANCE = 3.0
DEFAULT_COLUMN_TOLERANCE = 3.0
DEFAULT_PAGE_MARGIN_RATIO = 0.08
DEFAULT_MAX_HEADER_ROWS = 3
DEFAULT_LINE_GAP_RATIO = 3.0
DEFAULT_MAX_ZIP_ENTRIES = 2000
DEFAULT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_COMPRESSION_RATIO = 200.0
PDF_ENGINES = ("pdfium", "pdfplumber")


@dataclass(frozen=True)
class ReaderSettings:
    """How to find ruled tables, when a table on the next page continues one, and what a sane
    DOCX looks like. Checked on creation so a typo fails at start-up, not mid-run."""

    snap_tolerance: float = DEFAULT_SNAP_TOLERANCE
    """Ruling lines closer than this (pt) are snapped together by pdfplumber."""
    join_tolerance: float = DEFAULT_JOIN_TOLERANCE
    intersection_tolerance: float = DEFAULT_INTERSECTION_TOLERANCE
    column_tolerance: float = DEFAULT_COLUMN_TOLERANCE
    """Column edges of two table fragments within this distance (pt) count as the same column."""
    page_margin_ratio: float = DEFAULT_PAGE_MARGIN_RATIO
    """Lines holding only a page number within this share of the page height from the top or
    bottom are page furniture and are dropped (they would break stitching)."""
    max_header_rows: int = DEFAULT_MAX_HEADER_ROWS
    line_gap_ratio: float = DEFAULT_LINE_GAP_RATIO
    """A gap wider than this × the font size splits a text line outside tables into two
    paragraphs (a signer's position and name set apart on one line)."""
    max_zip_entries: int = DEFAULT_MAX_ZIP_ENTRIES
    max_uncompressed_bytes: int = DEFAULT_MAX_UNCOMPRESSED_BYTES
    max_compression_ratio: float = DEFAULT_MAX_COMPRESSION_RATIO
    """Largest uncompressed/compressed ratio of one zip member (zip bombs go far beyond)."""
    extra_table_settings: dict[str, Any] = field(default_factory=dict)
    """Passed on to pdfplumber's `find_tables` on top of the lines strategy."""
    ocr: bool = True
    """Read pages without a text layer with Tesseract (`reader.ocr`) when it is installed."""
    pdf_engine: str | None = None
    """Where a PDF's characters and ruling lines come from: "pdfium" (fast, the default) or
    "pdfplumber" (pdfminer's parse, the reference both must match). `None` reads
    `ZVIT_PDF_ENGINE` when a PDF is opened, so a worker started with it set uses it."""

    def __post_init__(self) -> None:
        for name in (
            "snap_tolerance",
            "join_tolerance",
            "intersection_tolerance",
            "column_tolerance",
            "line_gap_ratio",
        ):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a number >= 0, got {value!r}")
        if not 0 <= self.page_margin_ratio < 0.5:
            raise ValueError(
                f"page_margin_ratio must be in [0, 0.5), got {self.page_margin_ratio!r}"
            )
        for name in ("max_header_rows", "max_zip_entries", "max_uncompressed_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be an int >= 1, got {value!r}")
        if self.max_compression_ratio <= 1:
            raise ValueError(
                f"max_compression_ratio must be > 1, got {self.max_compression_ratio!r}"
            )
        if self.pdf_engine is not None and self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"pdf_engine must be one of {PDF_ENGINES}, got {self.pdf_engine!r}")
        if not isinstance(self.extra_table_settings, dict):
            raise ValueError("extra_table_settings must be a dict")

    def engine(self) -> str:
        """The PDF engine to use: the field, else `ZVIT_PDF_ENGINE`, else pdfium."""
        engine = self.pdf_engine or os.environ.get("ZVIT_PDF_ENGINE") or "pdfium"
        if engine not in PDF_ENGINES:
            raise ValueError(f"ZVIT_PDF_ENGINE must be one of {PDF_ENGINES}, got {engine!r}")
        return engine

    def table_settings(self) -> dict[str, Any]:
        """pdfplumber `table_settings` for ruled tables."""
        return {
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": self.snap_tolerance,
            "join_tolerance": self.join_tolerance,
            "intersection_tolerance": self.intersection_tolerance,
            **self.extra_table_settings,
        }


DEFAULT_SETTINGS = ReaderSettings()
