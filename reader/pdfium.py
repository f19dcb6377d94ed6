"""PDF page objects read by pdfium (pypdfium2) in the shape pdfplumber's algorithms expect.

pdfminer's pure-Python parse is most of pdfplumber's time (STACK.md: 1.4 s for pdfium against
18.8 s for pdfplumber on a 296-page report). pdfplumber's table finding and text layout work on
plain object dicts, so this module builds those dicts from pdfium (characters from its text page,
rectangles, lines and curves from its path objects, classified the way pdfminer classifies them)
and hands them to pdfplumber's own `Page` code: `find_tables`, `filter`, `extract_text_lines`
and `edges` are pdfplumber's, unchanged. Coordinates follow pdfplumber's: origin at the top left
of the MediaBox, rotated pages turned the way pdfminer turns them.

Where pdfium and pdfminer disagree, pdfminer's choice is copied, because pdfplumber's output is
the reference (`ZVIT_PDF_ENGINE=pdfplumber`, `tests/reader/test_engines.py`):
- a character's box is its advance wide and its font size high, starting at the font
  descriptor's `/Descent` below the baseline (0 when the descriptor has none); pdfium falls back to
  the font's bounding box there, so the descents are read from the font dictionaries;
- pdfium does not list the space glyphs some producers draw (Chromium/Skia) and inserts
  "generated" spaces of its own instead: a generated space between two characters on one line
  becomes a space character filling the gap, as the drawn one would;
- U+0002 is pdfium's end-of-line hyphen (U+FFFE when the page's text is read at once): a "-";
- glyphs without a Unicode mapping read as `(cid:N)`, as pdfminer writes them.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property, lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_c
from pdfplumber.utils.clustering import cluster_objects
from pdfplumber.utils.text import LIGATURES

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_SPACE_GAP = 0.6
"""A generated space stands for a drawn one when its gap is at most this × the font size (a
space glyph is about a quarter em); wider gaps are pdfium's own guesses between cells."""

Matrix = tuple[float, float, float, float, float, float]


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """`m` then `n` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _page_ctm(box: tuple[float, float, float, float], rotate: int) -> Matrix:
    """pdfminer's device matrix for a page (`PDFPageInterpreter.process_page`)."""
    x0, y0, x1, y1 = box
    if rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


class _Fonts:
    """Each font's `/Descent` (per 1000 em) as pdfminer reads it, by base font name.

    pdfium offers no access to font dictionaries, so pdfminer reads them (its document parse is
    lazy: only the page tree and the font objects are resolved, no content stream)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.by_name: dict[str, float] | None = None
        self.mediaboxes: list[Any] = []
        """Each page's MediaBox as pdfminer parsed it: exact decimals, where pdfium keeps 32-bit
        floats (a page height off by 1e-5 moves a rounded coordinate in a warning)."""

    def _load(self) -> dict[str, float]:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdffont import FontMetricsDB
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import resolve1
        from pdfminer.psparser import PSLiteral

        def name(value: Any) -> str:
            value = resolve1(value)
            if isinstance(value, PSLiteral):
                value = value.name
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            return str(value)

        out: dict[str, float] = {}
        seen: set[int] = set()
        with open(self.path, "rb") as fh:
            doc = PDFDocument(PDFParser(fh))
            for page in PDFPage.create_pages(doc):
                self.mediaboxes.append(resolve1(page.attrs.get("MediaBox")))
                fonts = resolve1((page.resources or {}).get("Font")) or {}
                for ref in fonts.values() if isinstance(fonts, dict) else []:
                    key = getattr(ref, "objid", None)
                    if key is not None and key in seen:
                        continue
                    if key is not None:
                        seen.add(key)
                    spec = resolve1(ref)
                    if not isinstance(spec, dict):
                        continue
                    if name(spec.get("Subtype")) == "Type0" and spec.get("DescendantFonts"):
                        descendants = resolve1(spec["DescendantFonts"])
                        spec = resolve1(descendants[0]) if descendants else spec
                    base = _SUBSET.sub("", name(spec.get("BaseFont", "")))
                    descriptor = resolve1(spec.get("FontDescriptor"))
                    if not isinstance(descriptor, dict):
                        subtype = name(spec.get("Subtype"))
                        if subtype == "Type1" and base in _metrics_names():
                            descriptor = FontMetricsDB.get_metrics(base)[0]
                        else:
                            descriptor = {}
                    descent = resolve1(descriptor.get("Descent", 0))
                    descent = float(descent) if isinstance(descent, int | float) else 0.0
                    out.setdefault(base, -abs(descent))
        return out

    def _loaded(self) -> dict[str, float]:
        if self.by_name is None:
            try:
                self.by_name = self._load()
            except Exception:  # a damaged file pdfminer cannot walk: pdfium's own metrics
                self.by_name = {}
        return self.by_name

    def descent(self, base: str, fallback: float) -> float:
        return self._loaded().get(_SUBSET.sub("", base), fallback)

    def mediabox(self, index: int, pdfium_box: tuple[float, ...]) -> tuple[float, ...]:
        """pdfminer's exact MediaBox of a page when it is pdfium's box, else pdfium's."""
        self._loaded()
        box = self.mediaboxes[index] if index < len(self.mediaboxes) else None
        try:
            exact = tuple(float(v) for v in box)  # type: ignore[union-attr]
        except (TypeError, ValueError):
            return pdfium_box
        if len(exact) == 4 and all(
            abs(a - b) < 0.01 for a, b in zip(exact, pdfium_box, strict=True)
        ):
            return exact
        return pdfium_box


def _plain(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """A pdfium function called with plain ints for its pointers (no ctypes conversions)."""
    return ctypes.cast(fn, ctypes.CFUNCTYPE(restype, *argtypes))


@lru_cache(maxsize=1)
def _metrics_names() -> frozenset[str]:
    from pdfminer.fontmetrics import FONT_METRICS

    return frozenset(FONT_METRICS)


_TOLERANCE = 3  # pdfplumber's DEFAULT_X_TOLERANCE and DEFAULT_Y_TOLERANCE
_TOP = itemgetter("top")
_X0 = itemgetter("x0")


def _words(chars: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """pdfplumber's `WordExtractor.iter_extract_tuples` with its defaults, without the
    per-character generators: characters grouped by `upright`, clustered into lines, sorted
    along each line and cut into words at blanks and gaps."""
    tol = _TOLERANCE
    for upright, run in groupby(chars, itemgetter("upright")):
        line_key, across, start, end = (
            (_TOP, "top", "x0", "x1") if upright else (_X0, "x0", "top", "bottom")
        )
        sort_key = _X0 if upright else itemgetter("top", "bottom")
        for line in cluster_objects(list(run), line_key, tol):
            word: list[dict[str, Any]] = []
            for c in sorted(line, key=sort_key):
                text = c["text"]
                if text.isspace():
                    if word:
                        yield word
                    word = []
                elif not text:  # `"" in split_at_punctuation`: a word of its own
                    if word:
                        yield word
                    yield [c]
                    word = []
                elif word and (
                    c[start] < (prev := word[-1])[start]
                    or c[start] > prev[end] + tol
                    or abs(c[across] - prev[across]) > tol
                ):
                    yield word
                    word = [c]
                else:
                    word.append(c)
            if word:
                yield word


def _cell_text(chars: list[dict[str, Any]]) -> str:
    """`pdfplumber.utils.extract_text(chars)` (no layout, default tolerances), the same string:
    words joined by spaces along lines clustered by their top, lines by newlines."""
    words = []
    for w in _words(chars):
        words.append(
            {
                "text": "".join(LIGATURES.get(c["text"], c["text"] or "") for c in w),
                "top": min(c["top"] for c in w),
            }
        )
    lines = cluster_objects(words, _TOP, _TOLERANCE)
    return "\n".join(" ".join(word["text"] for word in line) for line in lines)


class _Table(pdfplumber.table.Table):
    """pdfplumber's `Table` whose `extract` finds each row's characters by bisecting them by
    their vertical middle instead of testing every character against every row: the same
    characters in the same order, so the same text (pdfplumber's own `extract` spent half the
    remaining time there)."""

    @cached_property
    def bbox(self) -> tuple[float, float, float, float]:  # type: ignore[override]
        """Computed from the cells once: `reader.pdf` asks for it once per character."""
        return super().bbox

    def extract(self, **kwargs: Any) -> list[list[str | None]]:
        if kwargs:
            return super().extract(**kwargs)
        chars = self.page.chars
        mids = self.page.char_mids()
        keys = [m[0] for m in mids]
        v_mid, h_mid = self.page.v_mid, self.page.h_mid
        out: list[list[str | None]] = []
        for row in self.rows:
            x0, top, x1, bottom = row.bbox
            picked = sorted(
                i
                for _, i, h in mids[bisect_left(keys, top) : bisect_left(keys, bottom)]
                if x0 <= h < x1
            )
            arr: list[str | None] = []
            for cell in row.cells:
                if cell is None:
                    arr.append(None)
                    continue
                cx0, ctop, cx1, cbottom = cell
                cell_chars = [
                    chars[i] for i in picked if cx0 <= h_mid[i] < cx1 and ctop <= v_mid[i] < cbottom
                ]
                arr.append(_cell_text(cell_chars) if cell_chars else "")
            out.append(arr)
        return out


class PdfiumPage(pdfplumber.page.Page):
    """A pdfplumber `Page` whose objects come from pdfium: everything pdfplumber computes from
    `objects` (edges, tables, text lines, filtering) works as on a pdfminer page."""

    def __init__(self, page: pypdfium2.PdfPage, page_number: int, doctop: float, fonts: _Fonts):
        self.pdf = None
        self.root_page = self
        self.page_obj = None
        self.page_number = page_number
        self.initial_doctop = doctop
        self.rotation = page.get_rotation() % 360
        raw = fonts.mediabox(page_number - 1, page.get_mediabox())
        x0, x1 = sorted((raw[0], raw[2]))
        y0, y1 = sorted((raw[1], raw[3]))
        mb_raw = (y0, x0, y1, x1) if self.rotation in (90, 270) else (x0, y0, x1, y1)
        mb_height = mb_raw[3] - mb_raw[1]
        self.mediabox = (mb_raw[0], mb_height - mb_raw[3], mb_raw[2], mb_height - mb_raw[1])
        self.cropbox = self.mediabox
        self.bbox = self.mediabox
        self.get_textmap = lru_cache()(self._get_textmap)
        self._ctm = _page_ctm((x0, y0, x1, y1), self.rotation)
        self._mb_x0 = mb_raw[0]
        self._mb_top = self.mediabox[1]
        self._height = mb_height
        try:
            paths, texts = self._walk(page)
            self._objects = {"char": self._chars(page, fonts, texts), **paths}
        finally:
            page.close()

    def find_tables(self, table_settings: Any = None) -> list[Any]:
        tables = super().find_tables(table_settings)
        for t in tables:
            t.__class__ = _Table
        return tables

    def char_mids(self) -> list[tuple[float, int, float]]:
        """(vertical middle, index, horizontal middle) of every character, by the middle."""
        if getattr(self, "_mids", None) is None:
            chars = self.chars
            self.v_mid = [(c["top"] + c["bottom"]) / 2 for c in chars]
            self.h_mid = [(c["x0"] + c["x1"]) / 2 for c in chars]
            self._mids = sorted(zip(self.v_mid, range(len(chars)), self.h_mid, strict=True))
        return self._mids

    # -- coordinates -------------------------------------------------------------------------

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> dict[str, float]:
        """pdfplumber's position keys for a device-space box (after the page matrix)."""
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        top = self._height - y1 + self._mb_top
        bottom = self._height - y0 + self._mb_top
        return {
            "x0": x0 + self._mb_x0,
            "y0": y0,
            "x1": x1 + self._mb_x0,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "top": top,
            "bottom": bottom,
            "doctop": self.initial_doctop + top,
        }

    # -- characters ---------------------------------------------------------------------------

    def _chars(
        self, page: pypdfium2.PdfPage, fonts: _Fonts, texts: list[tuple[int, Any, Matrix]]
    ) -> list[dict[str, Any]]:
        tp = page.get_textpage()
        try:
            return self._read_chars(tp.raw, fonts, texts)
        finally:
            tp.close()

    def _font(self, obj: Any, fonts: _Fonts, cache: dict[int, tuple[str, float, float]]):
        """A text object's font name, pdfminer's descent (per em) and its font size."""
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        info = cache.get(key)
        if info is None:
            c = pdfium_c
            font = c.FPDFTextObj_GetFont(obj)
            size_n = c.FPDFFont_GetBaseFontName(font, None, 0)
            buf = ctypes.create_string_buffer(max(size_n, 1))
            c.FPDFFont_GetBaseFontName(font, buf, size_n)
            fontname = buf.value.decode("utf-8", "replace")
            own, size = ctypes.c_float(), ctypes.c_float()
            c.FPDFFont_GetDescent(font, ctypes.c_float(1000), ctypes.byref(own))
            c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
            info = (fontname, fonts.descent(fontname, own.value) / 1000, size.value)
            cache[key] = info
        return info

    def _char(
        self, text: str, m: Matrix, adv: float, info: tuple[str, float, float]
    ) -> dict[str, Any]:
        """pdfminer's `LTChar`: `adv` wide and a font size high from the descent, in text
        space, through the character's matrix `m` (origin included) and the page matrix."""
        fontname, descent, size = info
        dm = _mul(m, self._ctm)
        return self._char_at(text, dm, adv, fontname, descent, size)

    def _char_at(
        self,
        text: str,
        dm: Matrix,
        adv: float,
        fontname: str,
        descent: float,
        size: float,
    ) -> dict[str, Any]:
        """A character dict from its matrix to device space `dm` (origin included)."""
        a, b, c, d, ex, ey = dm
        lo = descent * size
        hi = lo + size
        if b == 0 and c == 0:  # text along the page axes: two corners are enough
            x0, x1 = ex, ex + a * adv
            y0, y1 = ey + d * lo, ey + d * hi
            if x1 < x0:
                x0, x1 = x1, x0
            if y1 < y0:
                y0, y1 = y1, y0
        else:
            xs = (ex + c * lo, ex + c * hi, ex + a * adv + c * lo, ex + a * adv + c * hi)
            ys = (ey + d * lo, ey + d * hi, ey + b * adv + d * lo, ey + b * adv + d * hi)
            x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        top = self._height - y1 + self._mb_top
        bottom = self._height - y0 + self._mb_top
        # pdfminer's test, on the matrix to device space (a page's /Rotate turns text too)
        upright = a * d > 0 and b * c <= 0
        return {
            "object_type": "char",
            "page_number": self.page_number,
            "text": text,
            "fontname": fontname,
            "size": y1 - y0,  # pdfminer: the box's height for horizontal writing
            "upright": upright,
            "matrix": (a, b, c, d, ex, ey),
            "x0": x0 + self._mb_x0,
            "y0": y0,
            "x1": x1 + self._mb_x0,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "top": top,
            "bottom": bottom,
            "doctop": self.initial_doctop + top,
        }

    def _read_chars(
        self, tp: Any, fonts: _Fonts, texts: list[tuple[int, Any, Matrix]]
    ) -> list[dict[str, Any]]:
        c = pdfium_c
        n = c.FPDFText_CountChars(tp)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        box = c.FS_RECTF()
        # the per-character calls take plain addresses: ctypes converts no argument objects
        tp_at = ctypes.cast(tp, ctypes.c_void_p).value
        p_ox, p_oy, p_box = ctypes.addressof(ox), ctypes.addressof(oy), ctypes.addressof(box)
        cache: dict[int, tuple[str, float, float]] = {}
        objects: dict[int, tuple[Any, ...]] = {}
        by_object: dict[int, list[dict[str, Any]]] = {}
        # the whole page's text in one call: one UTF-16 unit per character index
        buf = (ctypes.c_ushort * (n + 1))()
        got = c.FPDFText_GetText(tp, 0, n, buf) if n else 0
        codes = list(buf[:n]) if got == n + 1 else [c.FPDFText_GetUnicode(tp, i) for i in range(n)]
        a0, b0, c0, d0, e0, f0 = self._ctm
        get_object = c.FPDFText_GetTextObject
        vp, ci = ctypes.c_void_p, ctypes.c_int
        is_generated = _plain(c.FPDFText_IsGenerated, ci, vp, ci)
        # `get_object` returning the object's address as an int: a key without ctypes.cast
        object_address = _plain(get_object, vp, vp, ci)
        map_error = _plain(c.FPDFText_HasUnicodeMapError, ci, vp, ci)
        loose_box = _plain(c.FPDFText_GetLooseCharBox, ci, vp, ci, vp)
        origin = _plain(c.FPDFText_GetCharOrigin, ci, vp, ci, vp, vp)
        char_at = self._char_at
        height, mb_top, mb_x0 = self._height, self._mb_top, self._mb_x0
        page_number, doctop = self.page_number, self.initial_doctop
        for i in range(n):
            code = codes[i]
            if code <= 32 and is_generated(tp_at, i):
                continue  # pdfium's guessed spaces and line ends: pdfminer has none
            key = object_address(tp_at, i)
            if not key:
                continue
            known = objects.get(key)
            if known is None:
                obj = get_object(tp, i)
                mat = c.FS_MATRIX()
                c.FPDFText_GetMatrix(tp, i, ctypes.byref(mat))
                ua, ub, uc, ud = mat.a, mat.b, mat.c, mat.d
                fontname, descent, size = self._font(obj, fonts, cache)
                # the character's matrix through the page matrix, without its origin
                la, lb, lc, ld = (
                    ua * a0 + ub * c0,
                    ua * b0 + ub * d0,
                    uc * a0 + ud * c0,
                    uc * b0 + ud * d0,
                )
                scale = (ua * ua + ub * ub) ** 0.5 or 1.0
                lo = descent * size
                known = (
                    (ua, ub, uc, ud, la, lb, lc, ld, scale, fontname, descent, size),
                    ub == 0 and uc == 0,
                    lb == 0 and lc == 0,
                    la * ld > 0 and lb * lc <= 0,  # upright when along the page axes
                    lo,
                    lo + size,
                    [],
                )
                objects[key] = known
                by_object[key] = known[6]
            m, along, axes, upright, lo, hi, out = known
            if map_error(tp_at, i):
                text = f"(cid:{code})"
            elif code in (2, 0xFFFE):
                text = "-"  # pdfium's end-of-line hyphen (U+0002, U+FFFE in bulk text)
            else:
                text = chr(code)
            loose_box(tp_at, i, p_box)
            origin(tp_at, i, p_ox, p_oy)
            # the advance in text space, from pdfium's loose box (origin to origin + advance)
            if along:
                adv = (box.right - box.left) / m[8]
            else:
                adv = ((box.right - box.left) ** 2 + (box.top - box.bottom) ** 2) ** 0.5 / m[8]
            x, y = ox.value, oy.value
            ex, ey = x * a0 + y * c0 + e0, x * b0 + y * d0 + f0
            la, lb, lc, ld = m[4], m[5], m[6], m[7]
            if not axes:
                out.append(char_at(text, (la, lb, lc, ld, ex, ey), adv, m[9], m[10], m[11]))
                continue
            # `_char_at` for text along the page axes, inlined: the same arithmetic
            x0, x1 = ex, ex + la * adv
            y0, y1 = ey + ld * lo, ey + ld * hi
            if x1 < x0:
                x0, x1 = x1, x0
            if y1 < y0:
                y0, y1 = y1, y0
            top = height - y1 + mb_top
            out.append(
                {
                    "object_type": "char",
                    "page_number": page_number,
                    "text": text,
                    "fontname": m[9],
                    "size": y1 - y0,
                    "upright": upright,
                    "matrix": (la, lb, lc, ld, ex, ey),
                    "x0": x0 + mb_x0,
                    "y0": y0,
                    "x1": x1 + mb_x0,
                    "y1": y1,
                    "width": x1 - x0,
                    "height": y1 - y0,
                    "top": top,
                    "bottom": height - y0 + mb_top,
                    "doctop": doctop + top,
                }
            )
        chars: list[dict[str, Any]] = []
        width = ctypes.c_float()
        for key, obj, m in texts:
            got_chars = by_object.pop(key, None)
            if got_chars is not None:
                chars.extend(got_chars)
                continue
            # a text object pdfium's text page leaves out: a space drawn on its own (Chromium)
            info = self._font(obj, fonts, cache)
            if not c.FPDFFont_GetGlyphWidth(
                c.FPDFTextObj_GetFont(obj), 32, ctypes.c_float(info[2]), ctypes.byref(width)
            ):
                continue
            chars.append(self._char(" ", m, width.value, info))
        for rest in by_object.values():
            chars.extend(rest)
        return chars

    # -- paths --------------------------------------------------------------------------------

    def _walk(
        self, page: pypdfium2.PdfPage
    ) -> tuple[dict[str, list[dict[str, Any]]], list[tuple[int, Any, Matrix]]]:
        """The page's paths as pdfminer's lines, rects and curves, and its text objects in
        content order with their matrix to user space (forms entered)."""
        out: dict[str, list[dict[str, Any]]] = {"rect": [], "line": [], "curve": []}
        texts: list[tuple[int, Any, Matrix]] = []
        kinds = (c_path := pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM)
        text_kind = pdfium_c.FPDF_PAGEOBJ_TEXT
        c = pdfium_c
        raw = page.raw

        def walk(get: Any, count: int, parent: Matrix) -> None:
            for k in range(count):
                obj = get(k)
                kind = c.FPDFPageObj_GetType(obj)
                if kind not in kinds and kind != text_kind:
                    continue
                fm = c.FS_MATRIX()
                if not c.FPDFPageObj_GetMatrix(obj, fm):
                    continue
                m = _mul((fm.a, fm.b, fm.c, fm.d, fm.e, fm.f), parent)
                if kind == text_kind:
                    texts.append((ctypes.cast(obj, ctypes.c_void_p).value or 0, obj, m))
                elif kind != c_path:
                    walk(
                        lambda j, o=obj: c.FPDFFormObj_GetObject(o, j),
                        c.FPDFFormObj_CountObjects(obj),
                        m,
                    )
                else:
                    self._path(obj, _mul(m, self._ctm), out)

        identity: Matrix = (1, 0, 0, 1, 0, 0)
        walk(lambda j: c.FPDFPage_GetObject(raw, j), c.FPDFPage_CountObjects(raw), identity)
        return out, texts

    def _path(self, obj: Any, m: Matrix, out: dict[str, list[dict[str, Any]]]) -> None:
        """pdfminer's `paint_path`: each subpath a line, a rect or a curve."""
        c = pdfium_c
        x, y = ctypes.c_float(), ctypes.c_float()
        ops: list[tuple[str, tuple[float, float]]] = []
        n = c.FPDFPath_CountSegments(obj)
        i = 0
        while i < n:
            seg = c.FPDFPath_GetPathSegment(obj, i)
            kind = c.FPDFPathSegment_GetType(seg)
            if kind == c.FPDF_SEGMENT_BEZIERTO:
                seg = c.FPDFPath_GetPathSegment(obj, min(i + 2, n - 1))
                i += 3
                op = "c"
            else:
                i += 1
                op = "m" if kind == c.FPDF_SEGMENT_MOVETO else "l"
            c.FPDFPathSegment_GetPoint(seg, x, y)
            ops.append((op, _apply(m, x.value, y.value)))
            if c.FPDFPathSegment_GetClose(seg):
                ops.append(("h", ops[0][1]))
        # split into subpaths at each moveto
        start = 0
        for j in range(1, len(ops) + 1):
            if j == len(ops) or ops[j][0] == "m":
                self._subpath(ops[start:j], out)
                start = j

    def _subpath(
        self, ops: list[tuple[str, tuple[float, float]]], out: dict[str, list[dict[str, Any]]]
    ) -> None:
        if not ops or ops[0][0] != "m":
            return
        first = ops[0][1]
        pts = [first if op == "h" else p for op, p in ops]
        shape = "".join(op for op, _ in ops)
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            (ax, ay), (bx, by) = pts[0], pts[1]
            obj = self._box(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
            obj.update(object_type="line", page_number=self.page_number, pts=self._coords(pts[:2]))
            out["line"].append(obj)
            return
        if shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            if pts[0] == pts[4] and square:
                obj = self._box(min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2))
                obj.update(object_type="rect", page_number=self.page_number)
                out["rect"].append(obj)
                return
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        obj = self._box(min(xs), min(ys), max(xs), max(ys))
        obj.update(object_type="curve", page_number=self.page_number, pts=self._coords(pts))
        out["curve"].append(obj)

    def _coords(self, pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
        """pdfplumber's `point2coord`: device points to (x, top)."""
        return [(self.mediabox[0] + px, self.mediabox[1] + self._height - py) for px, py in pts]


class PdfiumPages:
    """The pages of a pdfium document, built one at a time as pdfplumber's are."""

    def __init__(self, doc: pypdfium2.PdfDocument, fonts: _Fonts) -> None:
        self.doc, self.fonts = doc, fonts
        self.doctop = 0.0

    def __len__(self) -> int:
        return len(self.doc)

    def __iter__(self) -> Iterator[PdfiumPage]:
        return self[:]

    def __getitem__(self, index: slice) -> Iterator[PdfiumPage]:
        """Pages of a slice, built one at a time (a page range skips the pages before it: only
        their heights are read, for `doctop`)."""
        start, stop, step = index.indices(len(self.doc))
        if step != 1:
            raise ValueError("pages are read in order")
        return self._pages(start, stop)

    def _pages(self, start: int, stop: int) -> Iterator[PdfiumPage]:
        doctop = sum(self._height(i) for i in range(start))
        for i in range(start, stop):
            page = PdfiumPage(self.doc[i], i + 1, doctop, self.fonts)
            doctop += page.height
            yield page

    def _height(self, i: int) -> float:
        """A page's height as `PdfiumPage` computes it, without walking its objects."""
        page = self.doc[i]
        try:
            rotation = page.get_rotation() % 360
            raw = self.fonts.mediabox(i, page.get_mediabox())
        finally:
            page.close()
        across, down = abs(raw[2] - raw[0]), abs(raw[3] - raw[1])
        return across if rotation in (90, 270) else down


class PdfiumDocument:
    """What `reader.pdf` uses of a `pdfplumber.PDF`: `pages` and `close()`."""

    def __init__(self, path: Path) -> None:
        self.doc = pypdfium2.PdfDocument(path)
        self.pages = PdfiumPages(self.doc, _Fonts(path))

    def close(self) -> None:
        self.doc.close()


def error_code(exc: BaseException) -> str | None:
    """The reason code of a pdfium load error (`PdfiumError.err_code`), None if not one."""
    if not isinstance(exc, pypdfium2.PdfiumError):
        return None
    code = getattr(exc, "err_code", None)
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return "encrypted"
    return "truncated"  # FPDF_ERR_FORMAT, FILE, PAGE, UNKNOWN: the structure cannot be parsed


@contextmanager
def open_pdf(path: Path, engine: str) -> Iterator[Any]:
    """The document's pages from the chosen engine: pdfplumber's own or pdfium-built ones."""
    pdf: Any = pdfplumber.open(path) if engine == "pdfplumber" else PdfiumDocument(path)
    try:
        yield pdf
    finally:
        pdf.close()
