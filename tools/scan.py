"""Scanned copies of the bundled sample PDFs, for the OCR path: `python -m tools scan`.

A scan here is what a signed report looks like once it went through an office scanner: every page
an image only (no text layer), grayscale, at 150 or 300 dpi, turned a little (0.5–1°) and with
light noise (sensor grain and a few specks). Pages are rendered with pypdfium2, spoiled with
numpy/Pillow from a fixed seed (the same input gives the same pixels), and written as one
image-only PDF by Pillow (JPEG-compressed pages, page size = pixels / dpi).

Each scan's truth JSON is written beside it: the source truth, with `files` and `pdf` pointing at
the scan. When only some pages are scanned (`pages`), the truth keeps only the table rows drawn on
those pages; a row cut at the last page keeps the text the text reader finds drawn there (the
text layer of the same pages, read exactly), so the truth says what the scan shows.
"""

from __future__ import annotations

import copy
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from tools.base import DOCUMENTS_DIR, SAMPLES_DIR


@dataclass(frozen=True)
class Scan:
    """One scanned copy: which source, which pages (1-based, None = all), how."""

    doc_type: str
    source: str
    """Source doc id under tests/fixtures/documents/<type>/ (its .pdf and .json)."""
    dpi: int
    pages: tuple[int, int] | None = None
    seed: int = 11
    max_angle: float = 1.0
    quality: int = 50
    to_samples: bool = False
    scanned: tuple[int, ...] = ()
    """Only these pages (1-based) become images; the others keep their text layer (a text PDF
    with scanned pages inside, as when a signed last page is scanned in). Empty: all pages."""

    @property
    def doc_id(self) -> str:
        cut = f"_p{self.pages[0]}-{self.pages[1]}" if self.pages else ""
        mixed = "_mixed" if self.scanned else ""
        return f"{self.source}{cut}{mixed}_scan{self.dpi}"


SCANS = [
    Scan("service_card", "service_card_immigration", 150, to_samples=True),
    Scan("service_card", "service_card_immigration", 300, seed=12),
    Scan("service_card", "service_card_immigration", 150, seed=15, scanned=(3, 4)),
    Scan("plan_execution", "plan_2021", 150, pages=(1, 3), seed=13),
]


def spoil(img: Image.Image, rng: np.random.Generator, max_angle: float, dpi: int) -> Image.Image:
    """A grayscale page turned by a small angle, with grain and a few specks."""
    sign = 1 if rng.random() < 0.5 else -1
    angle = sign * float(rng.uniform(max_angle / 2, max_angle))
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    a = np.asarray(img, dtype=np.float32)
    a = a * 0.92 + 12  # paper is never white, ink never black
    a += rng.normal(0, 4, a.shape)
    n_specks = int(a.size / 20000)
    ys = rng.integers(0, a.shape[0], n_specks)
    xs = rng.integers(0, a.shape[1], n_specks)
    r = max(1, dpi // 150)
    for y, x in zip(ys, xs, strict=True):
        a[y : y + r, x : x + r] = rng.uniform(40, 140)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L")


def scan_pdf(source: Path, out: Path, scan: Scan) -> int:
    """Write the image-only PDF of `source` (pages `scan.pages`); returns the page count."""
    rng = np.random.default_rng(scan.seed)
    pdf = pdfium.PdfDocument(source)
    first, last = scan.pages or (1, len(pdf))
    images = []
    try:
        for i in range(first - 1, last):
            page = pdf[i]
            bitmap = page.render(scale=scan.dpi / 72, grayscale=True)
            images.append(spoil(bitmap.to_pil().convert("L"), rng, scan.max_angle, scan.dpi))
            page.close()
    finally:
        pdf.close()
    buf = io.BytesIO()
    images[0].save(
        buf,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=float(scan.dpi),
        quality=scan.quality,
    )
    out.write_bytes(buf.getvalue())
    return len(images)


def _cut_truth(truth: dict[str, Any], cut_pdf: Path, first: int, last: int) -> dict[str, Any]:
    """The truth of pages first..last: rows drawn there; a row cut at `last` as drawn."""
    from reader import read_document

    truth = copy.deepcopy(truth)
    rows = truth["pdf"]["rows"]
    keep = {ref for ref, (a, _) in rows.items() if first <= a <= last}
    doc = read_document(cut_pdf)
    read_rows = [r for t in doc.tables for r in t.rows]
    blocks = []
    n_table = 0
    for b in truth["blocks"]:
        if b["type"] != "table":
            if b["type"] == "signature" and any(rows[r][1] > last for r in rows):
                continue  # the signature is after the last row: not on the cut pages
            blocks.append(b)
            continue
        b["rows"] = [r for r in b["rows"] if r["ref"] in keep]
        n_table += 1
        blocks.append(b)
    refs = [r for b in blocks if b["type"] == "table" for r in b["rows"]]
    assert n_table == 1 and len(refs) == len(read_rows), "cut: rows drawn != truth rows kept"
    for want, got in zip(refs, read_rows, strict=True):
        if rows[want["ref"]][1] > last:  # cut at the page foot: what is drawn
            want["cells"] = list(got.cells) if want["kind"] == "data" else want["cells"]
            rows[want["ref"]] = [rows[want["ref"]][0], last]
    truth["pdf"]["rows"] = {k: v for k, v in rows.items() if k in keep}
    truth["pdf"]["line_join_ambiguities"] = [
        a for a in truth["pdf"].get("line_join_ambiguities", []) if a["ref"] in keep
    ]
    truth["counts"] = {"cut_from": truth["doc_id"], "pages": [first, last]}
    truth.pop("data", None)  # the source's parsed values cover rows that are not here
    return truth


def make_scan(scan: Scan, out_dir: Path | None = None, samples: Path | None = None) -> Path:
    """Write one scan PDF and its truth JSON; returns the PDF's path."""
    src_dir = DOCUMENTS_DIR / scan.doc_type
    source_pdf = src_dir / f"{scan.source}.pdf"
    truth = json.loads((src_dir / f"{scan.source}.json").read_text(encoding="utf-8"))
    out_dir = out_dir or src_dir / "scans"
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{scan.doc_id}.pdf"
    if scan.pages:
        import pypdfium2 as pdfium

        first, last = scan.pages
        cut = pdfium.PdfDocument.new()
        src = pdfium.PdfDocument(source_pdf)
        cut.import_pages(src, list(range(first - 1, last)))
        text_cut = out_dir / f".{scan.doc_id}.text.pdf"
        cut.save(text_cut)
        cut.close()
        src.close()
        try:
            truth = _cut_truth(truth, text_cut, first, last)
            n_pages = scan_pdf(text_cut, out, Scan(**{**scan.__dict__, "pages": None}))
        finally:
            text_cut.unlink()
    elif scan.scanned:
        images = out_dir / f".{scan.doc_id}.images.pdf"
        try:
            n_pages = scan_pdf(source_pdf, images, scan)
            _compose(source_pdf, images, out, scan.scanned)
        finally:
            images.unlink()
    else:
        n_pages = scan_pdf(source_pdf, out, scan)
    truth["doc_id"] = scan.doc_id
    truth["source"] = {**truth.get("source", {}), "scan": {"dpi": scan.dpi, "seed": scan.seed}}
    truth["files"] = {"pdf": out.name}
    truth["pdf"] = {**truth["pdf"], "file": out.name, "pages": n_pages}
    out.with_suffix(".json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if scan.to_samples:
        target = samples or SAMPLES_DIR
        target.mkdir(parents=True, exist_ok=True)
        (target / out.name).write_bytes(out.read_bytes())
    return out


def _compose(text_pdf: Path, image_pdf: Path, out: Path, scanned: tuple[int, ...]) -> None:
    """Pages of `text_pdf`, those in `scanned` taken from `image_pdf` instead."""
    text, images = pdfium.PdfDocument(text_pdf), pdfium.PdfDocument(image_pdf)
    composed = pdfium.PdfDocument.new()
    try:
        for i in range(len(text)):
            composed.import_pages(images if i + 1 in scanned else text, [i])
        composed.save(out)
    finally:
        composed.close()
        text.close()
        images.close()


def make_scans(out: Path | None = None, samples: Path | None = None) -> list[Path]:
    """Every scan in `SCANS` (into `out/<type>/` when given)."""
    return [make_scan(s, out / s.doc_type if out else None, samples) for s in SCANS]
