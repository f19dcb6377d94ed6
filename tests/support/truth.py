"""Build a reader `Document` from a corpus truth JSON, so transforms are tested without the reader.

The truth's `blocks` are exactly what the render drew: title paragraphs, the logical table (split
rows already merged) and the signature. Turning them into the reader's model gives the input the
reader should produce; once the reader lands, the same tests run on its output.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from reader.model import Block, Document, Paragraph, Row, Table

WS = re.compile(r"\s+")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
PLAN_TRUTH = FIXTURES / "plan_execution" / "plan_2021.json"
ANTICORRUPTION_TRUTH = FIXTURES / "anticorruption" / "anticorruption_2019.json"
SERVICE_CARD_TRUTH = FIXTURES / "service_card" / "service_card_immigration.json"
ASSISTANCE_TRUTH = FIXTURES / "assistance_project" / "itd_immis_final.json"
PLAN_FIELDS = {
    "measure": "measure",
    "executors_text": "executor",
    "deadline_text": "deadline",
    "status_text": "status",
    "justification": "justification",
    "evidence": "evidence",
}
"""plan_execution output column -> truth measure key, for cell-by-cell comparison."""


def producer_renders(json_path: Path) -> list[Path]:
    """Sidecar truths of `json_path` printed by other producers (`tools/producers.py`): beside
    each, its PDF; their `pdf` holds that render's own pages, rows and line-join ambiguities."""
    return sorted((json_path.parent / "producers").glob(f"{json_path.stem}.*.json"))


def source_truth(json_path: Path) -> Path:
    """The truth a producer render was made from (a truth that is no render: itself)."""
    if json_path.parent.name != "producers":
        return json_path
    return json_path.parent.parent / f"{json_path.name.split('.')[0]}.json"


def golden_cases(main: Path, variants: list[Path]) -> list[tuple[Path, str]]:
    """(truth JSON, source) for a type's golden tests: the truth-built Document, the PDF and
    DOCX of `main` and of each variant, and each of them as every other producer printed it."""
    return [
        (main, "truth"),
        *((path, fmt) for path in [main, *variants] for fmt in ("pdf", "docx")),
        *((render, "pdf") for path in [main, *variants] for render in producer_renders(path)),
    ]


def collapse(text: str | None) -> str | None:
    """Whitespace (newlines included) collapsed to single spaces: how truth cells are compared."""
    return None if text is None else WS.sub(" ", text).strip()


def load_truth(json_path: str | Path) -> dict[str, Any]:
    """The parsed truth JSON."""
    return json.loads(Path(json_path).read_text(encoding="utf-8"))


def _table(block: dict[str, Any], index: int, pages: dict[str, list[int]]) -> Table:
    header = [c["header"] for c in block["columns"]]
    rows: list[Row] = []
    for i, r in enumerate(block["rows"]):
        first, last = pages.get(r.get("ref", ""), [None, None])
        cells = [r["text"]] if r["kind"] == "group" else list(r["cells"])
        rows.append(
            Row(
                kind=r["kind"],
                cells=cells,
                index=i,
                page_first=first,
                page_last=last,
                vmerge=list(r.get("vmerge", [])),
            )
        )
    known = [p for r in rows for p in (r.page_first, r.page_last) if p is not None]
    return Table(
        header=header,
        rows=rows,
        index=index,
        page_first=min(known) if known else None,
        page_last=max(known) if known else None,
    )


def document_from_truth(json_path: str | Path, with_pages: bool = True) -> Document:
    """The `Document` the reader should return for the truth's PDF (or DOCX: `with_pages=False`)."""
    path = Path(json_path)
    truth = load_truth(path)
    pdf = truth.get("pdf") or {}
    pages: dict[str, list[int]] = pdf.get("rows", {}) if with_pages else {}
    blocks: list[Block] = []
    n_tables = 0
    for b in truth["blocks"]:
        if b["type"] == "table":
            blocks.append(_table(b, n_tables, pages))
            n_tables += 1
        elif b["type"] == "signature":
            for line in [*b.get("position", []), b.get("name", "")]:
                if line:
                    blocks.append(Paragraph(text=line, bold=bool(b.get("bold_position"))))
        elif b.get("text"):
            blocks.append(Paragraph(text=b["text"], bold=bool(b.get("bold"))))
    files = truth.get("files") or {}
    name = files.get("pdf" if with_pages else "docx") or f"{truth['doc_id']}.pdf"
    return Document(
        file_name=name,
        sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
        format="pdf" if with_pages else "docx",
        pages=pdf.get("pages") if with_pages else None,
        blocks=blocks,
        reader_version="truth",
    )


def golden_frames(json_path: Path, source: str, doc_type: str) -> dict[str, Any]:
    """A type's frames for one golden case: the truth-built Document (`source` "truth") or the
    real reader's render next to the truth JSON (`source` "pdf"/"docx"), which must also be
    recognised as `doc_type` without being told."""
    from reader import read_document
    from transforms import registry

    module = registry.DOC_TYPES[doc_type]
    if source == "truth":
        return module.normalise(document_from_truth(json_path))
    doc = read_document(Path(json_path).with_suffix(f".{source}"))
    assert registry.detect(doc) == doc_type
    return module.normalise(doc)
