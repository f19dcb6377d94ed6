"""Per-document limits of an extraction worker, stdlib only.

`zvit.workers` imports this in the capped child before it sets `RLIMIT_DATA`: the child must cap
itself before loading anything heavy, so this module may import nothing beyond the standard
library (the typed `zvit.settings.Settings` uses pydantic and lives apart).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_DOCUMENT_TIMEOUT_S = 600.0
DEFAULT_WORKER_MEMORY_MB = 1024
DEFAULT_PAGES_PER_WORKER = 400
OCR_PAGE_WEIGHT = 500
"""A page without a text layer, read by OCR, counts as this many text pages when a PDF's pages
are weighed against `Limits.pages_per_worker`: OCR takes 3-10 s a page on one core, the pdfium
reader ~5 ms. So a scan of two pages or more is read in page ranges when slots are free."""


@dataclass(frozen=True)
class Limits:
    """Per-document limits of an extraction worker (`zvit.workers`)."""

    memory_mb: int = DEFAULT_WORKER_MEMORY_MB
    """Cap on the worker's data segment (heap and anonymous mappings), `RLIMIT_DATA`.

    Not `RLIMIT_AS`: polars reserves ~1 GiB of address space it never touches, so an address-space
    cap low enough to stop a bomb also stops polars from starting. Reading a 300-page report
    peaks near 200 MB of data segment."""
    timeout_s: float = DEFAULT_DOCUMENT_TIMEOUT_S
    pages_per_worker: int = DEFAULT_PAGES_PER_WORKER
    """A PDF with more pages is read in page ranges by several workers when slots are free;
    0 turns that off. Pages to be read by OCR count `OCR_PAGE_WEIGHT` each. With the pdfium
    reader (~200 text pages/s in one worker) a second worker pays only from ~300 pages on an
    idle machine, and a run's other core is busy warming GX: on the 296-page report two workers
    made the whole run ~0.45 s slower than one."""
