"""Scanned pages: ruled tables found in the image, cells read with Tesseract (`ukr+eng`).

A page without a text layer (a whole scanned PDF, or a scanned page inside a text PDF) is turned
into the same pieces the text path makes (`reader.pdf.Fragment` table fragments and `Paragraph`
lines), so stitching across pages, header handling, normalisation and validation are shared.

Steps per page (see `ocr_page`):

1. Render at the scan's own resolution (the embedded image's pixels per inch, from its size on
   the page; pypdfium2 `render(scale=dpi/72)`), grayscale.
2. Deskew: the median angle of the long straight lines (the table rules; Hough transform),
   small angles only (|angle| <= `OcrSettings.max_skew`); the page is turned back by it.
3. Clean: Otsu binarisation, specks (tiny connected blobs) dropped.
4. Grid: horizontal and vertical rules by morphological opening with long thin kernels; a table
   is a connected set of rules; its cells are the connected blank areas inside it. Cell edges are
   clustered into column and row boundaries, so spans, vertical merges and full-width (group)
   rows are classified like pdfplumber's cells in the text path.
5. OCR: every non-empty cell of the page is cut out (rules removed), upscaled to ~300 dpi,
   binarised (Tesseract misreads short items such as "1." from grey), and stacked into one tall
   strip with white gaps; one Tesseract call (`image_to_data`, `--psm 6`) reads the strip and
   every word goes back to its cell by where it sits. Per-cell accuracy at the cost of one process
   per page (a process per cell cost ~12 s a page and read worse). Text outside tables is read by
   a second call (`--psm 4`) on the page with the tables blanked out, one `Paragraph` per line.
6. Header rows: a scan has no font names, so "bold" is a row's stroke width (mean horizontal ink
   run) well above the page's typical one; a header repeated on the next page is recognised by a
   close match (`align_repeated_header`), since OCR may read it a letter differently.
7. A few known confusions are set right in context (`fix_text`).

Confidence: Tesseract's word confidence, 0..100. Each physical row piece keeps its words'
confidences and the cells holding a word under `OcrSettings.low_confidence` (flagged, so a
person checks them; see `Row.low_confidence_cells`).

Tesseract runs as a child process (pytesseract): it inherits the worker's RLIMIT_DATA, and
`OMP_THREAD_LIMIT=1` keeps it on one core with one stack.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import statistics
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from reader.model import BBox, Fragment, Paragraph, RowPart
from reader.text import collapse, join_pieces

if TYPE_CHECKING:
    import numpy as np


LANG = "ukr+eng"


@dataclass(frozen=True)
class OcrSettings:
    """How scans are read. Sizes in inches are turned into pixels at the scan's resolution."""

    lang: str = LANG
    min_dpi: float = 100.0
    """Scans coarser than this are not read (text there is a guess): the page stays unread."""
    max_dpi: float = 600.0
    ocr_dpi: float = 300.0
    """Cells are upscaled to about this resolution before Tesseract reads them."""
    max_skew: float = 3.0
    """Largest page rotation corrected (degrees); the rules' angle beyond that is ignored."""
    low_confidence: float = 60.0
    """A cell holding a word with a lower Tesseract confidence (0..100) is flagged."""
    min_word_confidence: float = 10.0
    """Words below this confidence that are one or two non-alphanumeric marks are noise."""
    h_rule_in: float = 0.3
    """Shortest horizontal run (inches) taken for a rule."""
    v_rule_in: float = 0.15
    """Shortest vertical run (inches) taken for a rule (shorter than a one-line row)."""
    min_cell_in: float = 0.06
    edge_tolerance_in: float = 0.04
    """Cell edges closer than this fall on the same column or row boundary."""
    timeout_s: float = 120.0
    """Per Tesseract call; a page that takes longer is left unread with a warning."""


DEFAULT_OCR_SETTINGS = OcrSettings()


@functools.cache
def available(lang: str = LANG) -> bool:
    """Tesseract with the languages of `lang` and the Python libraries are installed (else scans
    stay `no_text_layer`)."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import cv2  # noqa: F401
        import pytesseract
    except ImportError:
        return False
    try:
        have = set(pytesseract.get_languages(config=""))
    except Exception:  # a broken install: treat as missing
        return False
    return set(lang.split("+")) <= have


@dataclass(eq=False)
class _Cell:
    x0: int
    y0: int
    x1: int
    y1: int
    c0: int = 0
    c1: int = 0
    r0: int = 0
    r1: int = 0
    words: list[tuple[float, float, float, float, str, float]] = field(default_factory=list)
    """(x0, y0, x1, y1, text, conf) in the strip, rebased to the cell."""


@dataclass
class _Grid:
    x0: int
    y0: int
    x1: int
    y1: int
    cells: list[_Cell]
    cols: list[float]
    rows: list[float]


# --- image ---------------------------------------------------------------------------------


def page_dpi(page: Any) -> float | None:
    """Pixels per inch of the largest image drawn on the page (None: no image)."""
    import pypdfium2 as pdfium

    best = None
    for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            w_px, _ = obj.get_px_size()
            left, _, right, _ = obj.get_bounds()
        except Exception:
            continue
        if right - left <= 1 or w_px <= 0:
            continue
        area = right - left
        dpi = w_px / ((right - left) / 72.0)
        if best is None or area > best[0]:
            best = (area, dpi)
    return best[1] if best else None


def _render(page: Any, dpi: float) -> np.ndarray:
    import numpy as np

    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    img = np.array(bitmap.to_numpy(), copy=True)
    if img.ndim == 3:
        img = img[:, :, 0]
    return img


def _skew(ink: np.ndarray, dpi: float, max_skew: float) -> float:
    """Median angle (degrees) of the long straight lines; 0 when there are none."""
    import cv2
    import numpy as np

    _, w = ink.shape
    # only the pixels of long horizontal strokes (the rules): Hough on the whole page is slow
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(10, int(0.2 * dpi)), 1))
    strokes = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    lines = cv2.HoughLinesP(
        strokes, 1, np.pi / 1800, threshold=int(dpi), minLineLength=w // 4, maxLineGap=int(dpi / 30)
    )
    if lines is None:
        return 0.0
    angles = []
    for x0, y0, x1, y1 in np.asarray(lines).reshape(-1, 4):
        a = float(np.degrees(np.arctan2(y1 - y0, x1 - x0)))
        if abs(a) <= max_skew:
            angles.append(a)
    return statistics.median(angles) if angles else 0.0


def _binarise(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """Ink mask (255 = ink) with specks removed, and the grey level that splits ink from paper."""
    import cv2
    import numpy as np

    blur = cv2.GaussianBlur(gray, (3, 3), 0)
    level, ink = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    min_area = max(2, int((dpi / 150) ** 2 * 3))
    small = stats[:, cv2.CC_STAT_AREA] < min_area
    small[0] = False
    if small.any():
        ink[np.isin(labels, np.nonzero(small)[0])] = 0
    return ink, float(level)


def _rules(ink: np.ndarray, dpi: float, s: OcrSettings) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    hk = cv2.getStructuringElement(cv2.MORPH_RECT, (max(10, int(s.h_rule_in * dpi)), 1))
    vk = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(8, int(s.v_rule_in * dpi))))
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, hk)
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, vk)
    # close small breaks (JPEG, noise) along the rules
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 5)))
    return horiz, vert


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted values merged where closer than `tol`: the mean of each run."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(run) / len(run) for run in out]


def _nearest(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _grids(horiz: np.ndarray, vert: np.ndarray, dpi: float, s: OcrSettings) -> list[_Grid]:
    """Ruled tables: connected sets of rules with at least two rows or columns of cells."""
    import cv2

    rules = cv2.bitwise_or(horiz, vert)
    n, _, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    min_cell = s.min_cell_in * dpi
    tol = s.edge_tolerance_in * dpi
    grids: list[_Grid] = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w < dpi or h < min_cell * 2:
            continue
        region = rules[y : y + h, x : x + w]
        blank = cv2.bitwise_not(region)
        m, _, cstats, _ = cv2.connectedComponentsWithStats(blank, connectivity=4)
        cells = []
        for k in range(1, m):
            cx, cy, cw, ch = (int(v) for v in cstats[k, :4])
            if cw < min_cell or ch < min_cell:
                continue
            if cx <= 0 or cy <= 0 or cx + cw >= w or cy + ch >= h:
                continue  # outside the frame (corners of the bounding box)
            if cstats[k, cv2.CC_STAT_AREA] < 0.6 * cw * ch:
                continue  # not a rectangle: the gap around a rule that ends inside
            cells.append(_Cell(x + cx, y + cy, x + cx + cw, y + cy + ch))
        if len(cells) < 2:
            continue  # a frame around text (a stamp, a note): read as text
        cols = _cluster([c.x0 for c in cells] + [c.x1 for c in cells], tol)
        rows = _cluster([c.y0 for c in cells] + [c.y1 for c in cells], tol)
        for c in cells:
            c.c0, c.c1 = _nearest(cols, c.x0), _nearest(cols, c.x1)
            c.r0, c.r1 = _nearest(rows, c.y0), _nearest(rows, c.y1)
        cells = [c for c in cells if c.c1 > c.c0 and c.r1 > c.r0]
        if cells:
            grids.append(_Grid(x, y, x + w, y + h, cells, cols, rows))
    grids.sort(key=lambda g: g.y0)
    return grids


def _run_width(ink: np.ndarray) -> float:
    """Mean length of horizontal ink runs: the stroke width (bold text has thicker strokes)."""
    import numpy as np

    if ink.size == 0:
        return 0.0
    on = ink > 0
    total = int(on.sum())
    if total == 0:
        return 0.0
    starts = int(np.count_nonzero(on[:, 1:] & ~on[:, :-1])) + int(np.count_nonzero(on[:, 0]))
    return total / max(starts, 1)


def _sharpen(gray: np.ndarray, scale: float, level: float) -> np.ndarray:
    """Upscaled (cubic) to the OCR resolution, then black on white at the page's ink level:
    Tesseract reads short items ("1.", "7") far better from a clean binary image than from grey."""
    import cv2

    if scale > 1.0:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    if level <= 0:
        _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    else:
        _, out = cv2.threshold(gray, level, 255, cv2.THRESH_BINARY)
    return out


# --- OCR -----------------------------------------------------------------------------------


def _tesseract(img: np.ndarray, s: OcrSettings, psm: int) -> dict[str, list[Any]]:
    import pytesseract

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    return pytesseract.image_to_data(
        img,
        lang=s.lang,
        config=f"--psm {psm} --dpi {int(s.ocr_dpi)}",
        output_type=pytesseract.Output.DICT,
        timeout=s.timeout_s,
    )


_NOISE = re.compile(r"^[^\w№%]{1,2}$")


def _words(data: dict[str, list[Any]], s: OcrSettings) -> list[tuple[Any, ...]]:
    """(x0, y0, x1, y1, text, conf, block, par, line) of each recognised word, noise dropped."""
    out = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        if conf < s.min_word_confidence and _NOISE.match(text):
            continue
        x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
        out.append(
            (
                x,
                y,
                x + w,
                y + h,
                text,
                conf,
                data["block_num"][i],
                data["par_num"][i],
                data["line_num"][i],
            )
        )
    return out


_NUMERO = re.compile(r"(?<![^\W\d_])(?:N[oOоеe°2]|[МM][еeоo])(?=\s*(?:\d|[зпЗП3n]/[пnП]))")
"""Tesseract's readings of "№" before a number or "з/п", "п/п"."""
_ROW_NUMBER = re.compile(r"^(\d{1,3}),$")
_THREE = re.compile(r"(?<=[а-яіїєґ'’] )З(?= [а-яіїєґ])|(?<=\d)З|З(?=\d)")
"""A Cyrillic "З" alone in mid-sentence ("не пізніше З робочих днів"), or next to digits, is
the digit 3: the preposition "з" is lower case there."""
_SLASH_ABBR = {"3/п": "з/п", "3/n": "з/п", "з/n": "з/п", "n/n": "п/п", "п/n": "п/п", "n/п": "п/п"}


def fix_text(text: str) -> str:
    """Known OCR confusions of these reports set right, each tied to its context:

    - "№" read as "No", "Ne", "Ме", "Мо" before a number or "з/п" / "п/п";
    - "з/п", "п/п" (numbering headers) read with Latin "n" or a digit 3;
    - a cell that is only an item number with a comma ("1,") as "1.";
    - the digit 3 read as the letter "З" (see `_THREE`).
    """
    text = _THREE.sub("3", text)
    text = _NUMERO.sub("№", text)
    for wrong, right in _SLASH_ABBR.items():
        text = re.sub(rf"(?<!\w){re.escape(wrong)}(?!\w)", right, text)
    return _ROW_NUMBER.sub(r"\1.", text)


def _cell_text(words: list[tuple[float, float, float, float, str, float]]) -> str:
    """Words of one cell into lines (by vertical position), lines joined as the text path does."""
    if not words:
        return ""
    words = sorted(words, key=lambda w: (w[1] + w[3]) / 2)
    lines: list[list[tuple[float, float, float, float, str, float]]] = []
    for w in words:
        mid = (w[1] + w[3]) / 2
        if lines:
            last = lines[-1]
            top = min(v[1] for v in last)
            bottom = max(v[3] for v in last)
            if top <= mid <= bottom:
                last.append(w)
                continue
        lines.append([w])
    out = ""
    for line in lines:
        out = join_pieces(out, collapse(" ".join(w[4] for w in sorted(line, key=lambda v: v[0]))))
    return fix_text(out)


def _read_cells(
    clean: np.ndarray,
    level: float,
    ink: np.ndarray,
    rules: np.ndarray,
    cells: list[_Cell],
    dpi: float,
    s: OcrSettings,
) -> None:
    """OCR every non-empty cell through one strip image; fills `cell.words`."""
    import numpy as np

    scale = max(1.0, s.ocr_dpi / dpi)
    pad = int(0.08 * s.ocr_dpi)
    pieces = []
    inset = max(1, int(dpi / 100))
    for cell in cells:
        x0, y0, x1, y1 = cell.x0 + inset, cell.y0 + inset, cell.x1 - inset, cell.y1 - inset
        if x1 <= x0 or y1 <= y0:
            continue
        cell_ink = ink[y0:y1, x0:x1] & ~rules[y0:y1, x0:x1]
        if int(np.count_nonzero(cell_ink)) < (dpi / 150) ** 2 * 8:
            continue
        crop = clean[y0:y1, x0:x1]
        pieces.append((cell, _sharpen(crop, scale, 0)))
    if not pieces:
        return
    width = max(p.shape[1] for _, p in pieces) + 2 * pad
    height = sum(p.shape[0] + pad for _, p in pieces) + pad
    strip = np.full((height, width), 255, np.uint8)
    spans = []
    y = pad
    for cell, crop in pieces:
        h, w = crop.shape
        strip[y : y + h, pad : pad + w] = crop
        spans.append((y, y + h, cell))
        y += h + pad
    data = _tesseract(strip, s, psm=6)
    for x0, y0, x1, y1, text, conf, *_ in _words(data, s):
        mid = (y0 + y1) / 2
        for top, bottom, cell in spans:
            if top - pad / 2 <= mid < bottom + pad / 2:
                cell.words.append((x0 - pad, y0 - top, x1 - pad, y1 - top, text, conf))
                break


def _fragments(
    grid: _Grid,
    page_no: int,
    dpi: float,
    ink: np.ndarray,
    rules: np.ndarray,
    s: OcrSettings,
) -> tuple[Fragment, list[float]]:
    """A text-path table fragment from a read grid; also each row's stroke width."""
    from reader.text import normalise

    pt = 72.0 / dpi
    n_cols = len(grid.cols) - 1
    n_rows = len(grid.rows) - 1
    owner: dict[tuple[int, int], _Cell] = {}
    for c in grid.cells:
        for r in range(c.r0, c.r1):
            for j in range(c.c0, c.c1):
                owner.setdefault((r, j), c)
    parts: list[RowPart] = []
    texts: list[list[str]] = []
    widths: list[float] = []
    for r in range(n_rows):
        top, bottom = grid.rows[r], grid.rows[r + 1]
        bbox: BBox = (grid.cols[0] * pt, top * pt, grid.cols[-1] * pt, bottom * pt)
        row_cells = [owner.get((r, j)) for j in range(n_cols)]
        starting = [c for c in row_cells if c is not None and c.r0 == r]
        if not starting:
            continue
        band = (ink & ~rules)[int(top) : int(bottom), grid.x0 : grid.x1]
        widths.append(_run_width(band))
        confs = [w[5] for c in dict.fromkeys(starting) for w in c.words]
        first = row_cells[0]
        if (
            first is not None
            and first.r0 == r
            and first.c0 == 0
            and first.c1 == n_cols
            and n_cols > 1
        ):
            text = normalise(_cell_text(first.words))
            low = [0] if any(w[5] < s.low_confidence for w in first.words) else []
            parts.append(
                RowPart(
                    cells=[text],
                    page=page_no,
                    bbox=bbox,
                    kind="group",
                    extraction_method="ocr",
                    word_confidences=confs,
                    low_confidence=low,
                )
            )
            texts.append([text])
            continue
        out: list[str] = []
        vmerge: list[int] = []
        span: dict[int, int] = {}
        low: list[int] = []
        for j, c in enumerate(row_cells):
            if c is None:
                out.append("")
            elif c.r0 == r and c.c0 == j:
                out.append(normalise(_cell_text(c.words)))
                if any(w[5] < s.low_confidence for w in c.words):
                    low.append(j)
            elif c.r0 == r:
                out.append("")
                span[c.c0] = span.get(c.c0, 1) + 1
            else:
                out.append("")
                vmerge.append(j)
        parts.append(
            RowPart(
                cells=out,
                page=page_no,
                bbox=bbox,
                vmerge=vmerge,
                span=span,
                extraction_method="ocr",
                word_confidences=confs,
                low_confidence=low,
            )
        )
        texts.append(out)
    edges = [c * pt for c in grid.cols]
    frag_bbox: BBox = (grid.x0 * pt, grid.y0 * pt, grid.x1 * pt, grid.y1 * pt)
    frag = Fragment(page_no, frag_bbox, edges, parts, texts, [False] * len(parts), ocr=True)
    return frag, widths[: len(parts)]


def _lines(
    clean: np.ndarray, level: float, ink: np.ndarray, grids: list[_Grid], dpi: float, s: OcrSettings
) -> list[tuple[list[tuple[Any, ...]], float]]:
    """Text lines outside the tables: their words (page pixels) and stroke width."""
    import numpy as np

    page = clean.copy()
    mask = ink.copy()
    for g in grids:
        page[g.y0 : g.y1 + 1, g.x0 : g.x1 + 1] = 255
        mask[g.y0 : g.y1 + 1, g.x0 : g.x1 + 1] = 0
    if int(np.count_nonzero(mask)) < (dpi / 150) ** 2 * 20:
        return []
    scale = max(1.0, s.ocr_dpi / dpi)
    data = _tesseract(_sharpen(page, scale, level), s, psm=4)
    groups: dict[tuple[int, int, int], list[tuple[Any, ...]]] = {}
    for w in _words(data, s):
        x0, y0, x1, y1 = (v / scale for v in w[:4])
        groups.setdefault((w[6], w[7], w[8]), []).append((x0, y0, x1, y1, w[4], w[5]))
    out = []
    for words in groups.values():
        x0 = int(min(w[0] for w in words))
        y0 = int(min(w[1] for w in words))
        x1 = int(max(w[2] for w in words)) + 1
        y1 = int(max(w[3] for w in words)) + 1
        out.append((sorted(words, key=lambda w: w[0]), _run_width(mask[y0:y1, x0:x1])))
    out.sort(key=lambda item: min(w[1] for w in item[0]))
    return out


_PAGE_NUMBER = re.compile(r"^[-–—\s]*\d{1,4}[-–—\s]*$")


def ocr_page(
    page: Any,
    page_no: int,
    margin_ratio: float,
    gap_ratio: float,
    max_header: int,
    warnings: list[str],
    s: OcrSettings = DEFAULT_OCR_SETTINGS,
) -> list[tuple[float, Any]] | None:
    """Table fragments and text lines of one scanned page, by their top (PDF points).

    None when the page cannot be read (no image, too coarse, Tesseract failed): the caller keeps
    it as a page without text.
    """
    import cv2
    import numpy as np

    dpi = page_dpi(page)
    if dpi is None:
        return None
    if dpi < s.min_dpi:
        warnings.append(f"page {page_no}: scan resolution {dpi:.0f} dpi is too low to read")
        return None
    dpi = min(dpi, s.max_dpi)
    gray = _render(page, dpi)
    ink, level = _binarise(gray, dpi)
    angle = _skew(ink, dpi, s.max_skew)
    if abs(angle) >= 0.05:
        h, w = gray.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        gray = cv2.warpAffine(
            gray,
            m,
            (w, h),
            flags=cv2.INTER_CUBIC,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=255,
        )
        ink, level = _binarise(gray, dpi)
    horiz, vert = _rules(ink, dpi, s)
    rules = cv2.bitwise_or(horiz, vert)
    grids = _grids(horiz, vert, dpi, s)
    # paper white, rules gone: only the ink near text is left for Tesseract
    clean = gray.copy()
    clean[cv2.dilate(ink, np.ones((3, 3), np.uint8)) == 0] = 255
    in_tables = np.zeros_like(rules)
    for g in grids:
        in_tables[g.y0 : g.y1 + 1, g.x0 : g.x1 + 1] = 255
    clean[(rules > 0) & (in_tables > 0)] = 255
    pt = 72.0 / dpi
    items: list[tuple[float, Any]] = []
    widths: list[float] = []
    frags = []
    try:
        for g in grids:
            _read_cells(clean, level, ink, rules, g.cells, dpi, s)
            frag, w = _fragments(g, page_no, dpi, ink, rules, s)
            frags.append((frag, w))
            widths.extend(w)
        lines = _lines(clean, level, ink, grids, dpi, s)
    except RuntimeError as exc:  # pytesseract's timeout
        warnings.append(f"page {page_no}: OCR stopped ({type(exc).__name__})")
        return None
    widths.extend(w for _, w in lines)
    typical = statistics.median([w for w in widths if w > 0] or [1.0])
    for frag, w in frags:
        frag.bold = [i < max_header and v > 1.25 * typical for i, v in enumerate(w)]
        items.append((frag.bbox[1], frag))
    height = gray.shape[0]
    margin = height * margin_ratio
    for words, width in lines:
        y0 = min(w[1] for w in words)
        y1 = max(w[3] for w in words)
        text = collapse(" ".join(w[4] for w in words))
        if (y0 < margin or y1 > height - margin) and _PAGE_NUMBER.match(text):
            continue
        for piece in _split(words, gap_ratio):
            bbox = (
                min(w[0] for w in piece) * pt,
                min(w[1] for w in piece) * pt,
                max(w[2] for w in piece) * pt,
                max(w[3] for w in piece) * pt,
            )
            text = fix_text(collapse(" ".join(w[4] for w in piece)))
            bold = width > 1.25 * typical
            para = Paragraph(text, page_no, bold, bbox, confidence=min(w[5] for w in piece))
            items.append((bbox[1], para))
    if not any(isinstance(i, Paragraph) for _, i in items) and not any(
        any(c for p in f.parts for c in p.cells) for _, f in items if not isinstance(f, Paragraph)
    ):
        return None
    items.sort(key=lambda item: item[0])
    return items


def _split(words: list[tuple[Any, ...]], ratio: float) -> list[list[tuple[Any, ...]]]:
    """A line cut where the gap between words is wider than `ratio` × the line height."""
    pieces: list[list[tuple[Any, ...]]] = []
    height = max(w[3] - w[1] for w in words)
    for w in words:
        if not pieces or w[0] - pieces[-1][-1][2] > ratio * height:
            pieces.append([])
        pieces[-1].append(w)
    return pieces


def same_row(a: list[str], b: list[str], threshold: float = 0.85) -> bool:
    """Two OCR readings of one row (a header repeated on the next page) agree closely."""
    if len(a) != len(b):
        return False
    x, y = "".join(a).replace(" ", ""), "".join(b).replace(" ", "")
    if not x or not y:
        return x == y
    return SequenceMatcher(None, x, y, autojunk=False).ratio() >= threshold


def align_repeated_header(first: Fragment, frag: Fragment, max_header: int) -> None:
    """Rows at the top of an OCR fragment that read like the table's first rows (a repeated
    header, told apart by a few misread letters) take the first fragment's text, so the text
    path's exact comparison drops them."""
    for i in range(min(max_header, len(first.texts), len(frag.texts))):
        if first.parts[i].kind != "data" or frag.parts[i].kind != "data":
            break
        if first.texts[i] == frag.texts[i]:
            continue
        if not same_row(first.texts[i], frag.texts[i]):
            break
        frag.texts[i] = list(first.texts[i])
        frag.parts[i].cells = list(first.parts[i].cells)
