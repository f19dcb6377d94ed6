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
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property, lru_cache
from itertools import groupby, pairwise
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

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


class _TextObject(NamedTuple):
    """What every character of one text object shares (`PdfiumPage._text_object`)."""

    la: float  # the character matrix through the page matrix, without its origin
    lb: float
    lc: float
    ld: float
    scale: float  # text space to user space along the baseline
    fontname: str
    descent: float  # pdfminer's, per em
    size: float
    lo: float  # the box's bottom and top above the baseline, in text space
    hi: float
    along: bool  # text matrix along its axes: the advance is the loose box's width
    axes: bool  # device matrix along the page axes: two corners make the box
    upright: bool


def _address(pointer: Any) -> int:
    """A ctypes pointer's value (what `ctypes.cast(p, c_void_p).value` gives, without a cast)."""
    return ctypes.c_void_p.from_buffer(pointer).value or 0


_USHORT_P = ctypes.POINTER(ctypes.c_ushort)


def _zeros(code: str, n: int) -> array:
    """A zeroed buffer of `n` items of `array` type `code`, for the native helper."""
    return array(code, bytes(array(code).itemsize * n))


def _at(buffer: array) -> int:
    """The address of an `array`'s items (valid while it is neither resized nor freed)."""
    return buffer.buffer_info()[0]


def _plain(fn: Any, restype: Any, *argtypes: Any) -> Any:
    """A pdfium function called with plain ints for its pointers (no ctypes conversions)."""
    return ctypes.cast(fn, ctypes.CFUNCTYPE(restype, *argtypes))


@lru_cache(maxsize=1)
def _metrics_names() -> frozenset[str]:
    from pdfminer.fontmetrics import FONT_METRICS

    return frozenset(FONT_METRICS)


_HELPER = Path(__file__).with_name("_pdfium_chars.so")
"""The native helper `make setup` builds from `_pdfium_chars.c` (absent: the pure-Python path)."""


_HELPER_ABI = 1
"""`zvit_abi()` of a helper built from this checkout's `_pdfium_chars.c`."""


@lru_cache(maxsize=1)
def native_helper() -> Any | None:
    """The helper library with its signatures, or None when it is not built, will not load or
    was built from another version of its source (`make setup` rebuilds it)."""
    try:
        lib = ctypes.CDLL(str(_HELPER))
        if lib.zvit_abi() != _HELPER_ABI:
            return None
    except (OSError, AttributeError):
        return None
    vp, i32 = ctypes.c_void_p, ctypes.c_int
    lib.zvit_chars.argtypes = [vp, i32, *[vp] * 18, i32, vp]
    lib.zvit_chars.restype = i32
    lib.zvit_boxes.argtypes = [i32, *[vp] * 25]
    lib.zvit_boxes.restype = None
    lib.zvit_order.argtypes = [i32, vp, vp, vp, vp, i32, *[vp] * 8]
    lib.zvit_order.restype = i32
    return lib


@lru_cache(maxsize=1)
def _native_functions() -> tuple[int, ...]:
    """The addresses of the pdfium functions the helper calls for each character."""
    c = pdfium_c
    return tuple(
        ctypes.cast(fn, ctypes.c_void_p).value or 0
        for fn in (
            c.FPDFText_IsGenerated,
            c.FPDFText_GetTextObject,
            c.FPDFText_HasUnicodeMapError,
            c.FPDFText_GetLooseCharBox,
            c.FPDFText_GetCharOrigin,
            c.FPDFText_GetMatrix,
            c.FPDFTextObj_GetFont,
            c.FPDFTextObj_GetFontSize,
        )
    )


_TOLERANCE = 3  # pdfplumber's DEFAULT_X_TOLERANCE and DEFAULT_Y_TOLERANCE


class CharColumns:
    """A page's characters as columns, in `page.chars` order: what the reading layer asks of
    every character (text, font, box, middle), without building a pdfplumber dict for each.
    Only the characters pdfplumber's own text layout sees (outside tables) become dicts
    (`dict_at`); a pdfium page builds ~600k characters on the long report, most in cells."""

    def __init__(
        self,
        text: list[str],
        fontname: list[str],
        upright: list[bool],
        x0: list[float],
        x1: list[float],
        top: list[float],
        bottom: list[float],
        v_mid: list[float],
        h_mid: list[float],
        dict_at: Any,
    ) -> None:
        self.text, self.fontname, self.upright = text, fontname, upright
        self.x0, self.x1, self.top, self.bottom = x0, x1, top, bottom
        self.v_mid, self.h_mid = v_mid, h_mid
        self.dict_at = dict_at
        """Position -> the character's pdfplumber dict (built on each call)."""
        self._sorted: tuple[list[float], list[int], list[float]] | None = None
        self.unmapped: bool | None = None
        """Some character is an unmapped glyph, `(cid:N)`, when known (pdfium counts them)."""

    @classmethod
    def from_dicts(cls, chars: list[dict[str, Any]]) -> CharColumns:
        """Columns of characters that are dicts already (pdfminer's, or pdfium's pure-Python
        path)."""
        top = [c["top"] for c in chars]
        bottom = [c["bottom"] for c in chars]
        x0 = [c["x0"] for c in chars]
        x1 = [c["x1"] for c in chars]
        return cls(
            [c.get("text", "") for c in chars],
            [c.get("fontname", "") for c in chars],
            [c.get("upright", True) for c in chars],
            x0,
            x1,
            top,
            bottom,
            [(t + b) / 2 for t, b in zip(top, bottom, strict=True)],
            [(a + b) / 2 for a, b in zip(x0, x1, strict=True)],
            chars.__getitem__,
        )

    def __len__(self) -> int:
        return len(self.text)

    def has_unmapped(self) -> bool:
        """Some character reads `(cid:N)`: a glyph without a Unicode mapping."""
        if self.unmapped is None:
            self.unmapped = any(text.startswith("(cid:") for text in self.text)
        return self.unmapped

    def by_middle(self) -> tuple[list[float], list[int], list[float]]:
        """(vertical middles sorted, their positions, their horizontal middles): the sort is
        stable, so ties keep page order, as sorting (middle, position) tuples would."""
        if self._sorted is None:
            v_mid = self.v_mid
            order = sorted(range(len(v_mid)), key=v_mid.__getitem__)
            self._sorted = (
                list(map(v_mid.__getitem__, order)),
                order,
                list(map(self.h_mid.__getitem__, order)),
            )
        return self._sorted


def _words(chars: list[int], columns: CharColumns) -> Iterator[list[int]]:
    """pdfplumber's `WordExtractor.iter_extract_tuples` with its defaults, on character
    positions in `columns`, without the per-character generators: characters grouped by
    `upright`, clustered into lines, sorted along each line and cut into words at blanks and
    gaps."""
    tol = _TOLERANCE
    text, x0, top, x1, bottom = columns.text, columns.x0, columns.top, columns.x1, columns.bottom
    for upright, run in groupby(chars, columns.upright.__getitem__):
        if upright:
            line_key, across, start, end = top.__getitem__, top, x0, x1
            sort_key: Any = x0.__getitem__
        else:
            line_key, across, start, end = x0.__getitem__, x0, top, bottom
            sort_key = lambda i: (top[i], bottom[i])  # noqa: E731
        for line in _cluster(list(run), line_key, tol):
            word: list[int] = []
            for i in sorted(line, key=sort_key):
                t = text[i]
                if t.isspace():
                    if word:
                        yield word
                    word = []
                elif not t:  # `"" in split_at_punctuation`: a word of its own
                    if word:
                        yield word
                    yield [i]
                    word = []
                elif word and (
                    start[i] < start[prev := word[-1]]
                    or start[i] > end[prev] + tol
                    or abs(across[i] - across[prev]) > tol
                ):
                    yield word
                    word = [i]
                else:
                    word.append(i)
            if word:
                yield word


_LIGATURES = str.maketrans(LIGATURES)
"""pdfplumber's ligature expansion as a table: a character's text is one UTF-16 unit (or
`(cid:N)`), so translating a word equals expanding each of its characters."""
_WORD_TOP = itemgetter(1)


def _cluster(xs: list[Any], key: Any, tol: float) -> list[list[Any]]:
    """pdfplumber's `cluster_objects(xs, key, tol)`, the same clusters in the same order: the
    sorted distinct values chained while `x <= last + tol` (its `cluster_list`), each cluster's
    objects in their given order, clusters by their values. Without its per-object tuples,
    sort and groupby (it was most of cell text); values that are NaN go to pdfplumber."""
    if not xs:
        return []
    values = sorted(set(map(key, xs)))
    ids: dict[Any, int] = {}
    last = values[0]
    n = 0
    for v in values:
        if v != v:  # NaN: pdfplumber's own behaviour, whatever it is
            return cluster_objects(xs, key, tol)
        if not v <= last + tol:
            n += 1
        ids[v] = n
        last = v
    if n == 0:
        return [xs]
    groups: list[list[Any]] = [[] for _ in range(n + 1)]
    for x, v in zip(xs, map(key, xs), strict=True):
        groups[ids[v]].append(x)
    return groups


def _cell_text(chars: list[int], columns: CharColumns) -> str:
    """`pdfplumber.utils.extract_text(chars)` (no layout, default tolerances) of the characters
    at positions `chars`, the same string: words joined by spaces along lines clustered by
    their top, lines by newlines."""
    text, top = columns.text, columns.top
    words = [
        ("".join([text[i] for i in w]).translate(_LIGATURES), min([top[i] for i in w]))
        for w in _words(chars, columns)
    ]
    lines = _cluster(words, _WORD_TOP, _TOLERANCE)
    return "\n".join(" ".join([word[0] for word in line]) for line in lines)


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
        cols = self.page.columns
        keys, positions, across = cols.by_middle()
        v_mid, h_mid = cols.v_mid, cols.h_mid
        out: list[list[str | None]] = []
        for row in self.rows:
            x0, top, x1, bottom = row.bbox
            lo, hi = bisect_left(keys, top), bisect_left(keys, bottom)
            picked = sorted(
                [i for i, h in zip(positions[lo:hi], across[lo:hi], strict=True) if x0 <= h < x1]
            )
            arr: list[str | None] = []
            for cell_chars in _by_cell(row.cells, picked, h_mid, v_mid):
                if cell_chars is None:
                    arr.append(None)
                else:
                    arr.append(_cell_text(cell_chars, cols) if cell_chars else "")
            out.append(arr)
        return out


def _by_cell(
    cells: list[Any],
    picked: list[int],
    h_mid: list[float],
    v_mid: list[float],
) -> list[list[int] | None]:
    """The characters at positions `picked` (in page order) of each cell of a row whose middle
    is in it (left and top edges included), in page order; None for a missing cell. When the
    cells do not overlap along the row, a cell's characters are one slice of the row's sorted
    by their horizontal middle instead of every character tested against every cell."""
    present = sorted((c[0], c[2], k) for k, c in enumerate(cells) if c is not None)
    out: list[list[int] | None] = [None if c is None else [] for c in cells]
    by_h = sorted(picked, key=h_mid.__getitem__)
    hs = [h_mid[i] for i in by_h]
    if any(a[1] > b[0] for a, b in pairwise(present)) or not all(h == h for h in hs):
        for k, cell in enumerate(cells):  # overlapping cells, or NaN: every test
            if cell is not None:
                cx0, ctop, cx1, cbottom = cell
                out[k] = [i for i in picked if cx0 <= h_mid[i] < cx1 and ctop <= v_mid[i] < cbottom]
        return out
    for cx0, cx1, k in present:
        inside = sorted(by_h[bisect_left(hs, cx0) : bisect_left(hs, cx1)])
        top, bottom = cells[k][1], cells[k][3]
        out[k] = [i for i in inside if top <= v_mid[i] < bottom]
    return out


class PdfiumPage(pdfplumber.page.Page):
    """A pdfplumber `Page` whose objects come from pdfium: everything pdfplumber computes from
    `objects` (edges, tables, text lines, filtering) works as on a pdfminer page."""

    def __init__(
        self,
        page: pypdfium2.PdfPage,
        page_number: int,
        doctop: float,
        fonts: _Fonts,
        native: bool = True,
    ):
        """`native`: read characters with the native helper when it is built."""
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
            self._objects = dict(paths)
            self.columns = self._chars(page, fonts, texts, native)
        finally:
            page.close()

    @property
    def objects(self) -> dict[str, list[dict[str, Any]]]:
        """pdfplumber's objects; the characters' dicts are built at the first call (the reading
        layer asks `columns` and `outside` instead)."""
        objects = self._objects
        if "char" not in objects:
            columns = self.columns
            objects["char"] = [columns.dict_at(j) for j in range(len(columns))]
        return objects

    def close(self) -> None:
        """pdfplumber's `close`, and the characters dropped now rather than when the page's
        reference cycles are collected."""
        super().close()
        self.__dict__.pop("columns", None)

    # pdfplumber's paths, without building the characters' dicts (edges ask for these)
    rects = property(lambda self: self._objects.get("rect", []))
    lines = property(lambda self: self._objects.get("line", []))
    curves = property(lambda self: self._objects.get("curve", []))
    images = property(lambda self: self._objects.get("image", []))

    def outside(self, inside: set[int]) -> pdfplumber.page.Page:
        """The page without the characters at positions `inside`: `page.filter` on them, with
        dicts built only for the characters kept."""
        kept = pdfplumber.page.FilteredPage(self, lambda _: True)
        columns = self.columns
        objects = {k: v for k, v in self._objects.items() if k != "char"}
        objects["char"] = [columns.dict_at(j) for j in range(len(columns)) if j not in inside]
        kept._objects = objects
        return kept

    def find_tables(self, table_settings: Any = None) -> list[Any]:
        tables = super().find_tables(table_settings)
        for t in tables:
            t.__class__ = _Table
        return tables

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
        self,
        page: pypdfium2.PdfPage,
        fonts: _Fonts,
        texts: list[tuple[int, Any, Matrix]],
        native: bool,
    ) -> CharColumns:
        tp = page.get_textpage()
        try:
            lib = native_helper() if native else None
            columns = self._read_chars_native(lib, tp.raw, fonts, texts) if lib else None
            if columns is None:
                chars = self._read_chars(tp.raw, fonts, texts)
                self._objects["char"] = chars
                columns = CharColumns.from_dicts(chars)
            return columns
        finally:
            tp.close()

    def _font(self, obj: Any, fonts: _Fonts, cache: dict[int, tuple[str, float, float]]):
        """A text object's font name, pdfminer's descent (per em) and its font size."""
        key = _address(obj)
        info = cache.get(key)
        if info is None:
            c = pdfium_c
            size = ctypes.c_float()
            c.FPDFTextObj_GetFontSize(obj, ctypes.byref(size))
            fontname, descent, _ = self._font_name(c.FPDFTextObj_GetFont(obj), fonts, cache)
            info = (fontname, descent, size.value)
            cache[key] = info
        return info

    def _font_name(
        self, font: Any, fonts: _Fonts, cache: dict[int, tuple[str, float, float]]
    ) -> tuple[str, float, float]:
        """A font's name and pdfminer's descent (per em), once per font: a page has a few
        fonts and thousands of text objects. Kept in `cache` under minus its address."""
        key = -_address(font)
        named = cache.get(key)
        if named is None:
            c = pdfium_c
            size_n = c.FPDFFont_GetBaseFontName(font, None, 0)
            buf = ctypes.create_string_buffer(max(size_n, 1))
            c.FPDFFont_GetBaseFontName(font, buf, size_n)
            fontname = buf.value.decode("utf-8", "replace")
            own = ctypes.c_float()
            c.FPDFFont_GetDescent(font, ctypes.c_float(1000), ctypes.byref(own))
            named = (fontname, fonts.descent(fontname, own.value) / 1000, 0.0)
            cache[key] = named
        return named

    def _text_object(
        self, tp: Any, i: int, fonts: _Fonts, cache: dict[int, tuple[str, float, float]]
    ) -> _TextObject:
        """The text object of character `i`: its font, pdfminer's descent, its matrix."""
        c = pdfium_c
        obj = c.FPDFText_GetTextObject(tp, i)
        mat = c.FS_MATRIX()
        c.FPDFText_GetMatrix(tp, i, ctypes.byref(mat))
        return self._object_params(mat.a, mat.b, mat.c, mat.d, *self._font(obj, fonts, cache))

    def _object_params(
        self, ua: float, ub: float, uc: float, ud: float, fontname: str, descent: float, size: float
    ) -> _TextObject:
        """A text object's character matrix (`ua`..`ud`, without origin) and font, as what its
        characters share."""
        a0, b0, c0, d0, _, _ = self._ctm
        la, lb, lc, ld = (
            ua * a0 + ub * c0,
            ua * b0 + ub * d0,
            uc * a0 + ud * c0,
            uc * b0 + ud * d0,
        )
        scale = (ua * ua + ub * ub) ** 0.5 or 1.0
        lo = descent * size
        return _TextObject(
            la,
            lb,
            lc,
            ld,
            scale,
            fontname,
            descent,
            size,
            lo,
            lo + size,
            ub == 0 and uc == 0,
            lb == 0 and lc == 0,
            la * ld > 0 and lb * lc <= 0,  # upright when along the page axes
        )

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
        return {
            "object_type": "char",
            "page_number": self.page_number,
            "text": text,
            "fontname": fontname,
            "size": y1 - y0,  # pdfminer: the box's height for horizontal writing
            # pdfminer's test, on the matrix to device space (a page's /Rotate turns text too)
            "upright": a * d > 0 and b * c <= 0,
            "matrix": (a, b, c, d, ex, ey),
            **self._box(x0, y0, x1, y1),
        }

    def _read_chars_native(
        self, lib: Any, tp: Any, fonts: _Fonts, texts: list[tuple[int, Any, Matrix]]
    ) -> CharColumns | None:
        """`_read_chars` with the per-character pdfium calls and box arithmetic in the native
        helper (`reader/_pdfium_chars.c`), the same characters as columns. None when the
        helper cannot take the page (codes not in one bulk call): the pure-Python path then.
        Buffers are `array`s passed by address: a ctypes array type per page length would be
        a new type per page."""
        c = pdfium_c
        n = c.FPDFText_CountChars(tp)
        codes = _zeros("H", n + 1)
        at = _at
        if n and c.FPDFText_GetText(tp, 0, n, ctypes.cast(at(codes), _USHORT_P)) != n + 1:
            return None
        slot, map_err, box, org = (
            _zeros("i", n),
            _zeros("B", n),
            _zeros("f", 4 * n),
            _zeros("d", 2 * n),
        )
        objects, first, matrices = _zeros("Q", n), _zeros("i", n), _zeros("f", 4 * n)
        fonts_at, sizes, table = _zeros("Q", n), _zeros("f", n), _zeros("q", 2 * n + 1)
        n_obj = lib.zvit_chars(
            tp,
            n,
            at(codes),
            *_native_functions(),
            *map(at, (slot, map_err, box, org, objects, first, matrices, fonts_at, sizes)),
            n,
            at(table),
        )
        if n_obj < 0:
            return None
        # per text object: pdfminer's font and descent, its matrix through the page matrix
        # (objects of one font, size and matrix share them: computed once)
        a0, b0, c0, d0, e0, f0 = self._ctm
        cache: dict[int, tuple[str, float, float]] = {}
        shared: dict[tuple[Any, ...], _TextObject] = {}
        font_type = pdfium_c.FPDF_FONT
        params = []
        for font, size, ua, ub, uc, ud in zip(
            fonts_at[:n_obj].tolist(),
            sizes[:n_obj].tolist(),
            matrices[0 : 4 * n_obj : 4].tolist(),
            matrices[1 : 4 * n_obj : 4].tolist(),
            matrices[2 : 4 * n_obj : 4].tolist(),
            matrices[3 : 4 * n_obj : 4].tolist(),
            strict=True,
        ):
            key = (font, size, ua, ub, uc, ud)
            t = shared.get(key)
            if t is None:
                named = cache.get(-font)
                if named is None:
                    named = self._font_name(ctypes.cast(font, font_type), fonts, cache)
                t = shared[key] = self._object_params(ua, ub, uc, ud, named[0], named[1], size)
            params.append(t)
        # the page's drawing order: text objects as walked, a space of its own for one the text
        # page leaves out, then objects the walk did not meet
        slot_of = {key: k for k, key in enumerate(objects[:n_obj].tolist())}
        rank = _zeros("i", max(n_obj, 1))
        extra = array("B")
        spaces: list[dict[str, Any]] = []
        width = ctypes.c_float()
        for key, obj, m in texts:
            k = slot_of.pop(key, None)
            if k is not None:
                rank[k] = len(extra)
                extra.append(0)
                continue
            info = self._font(obj, fonts, cache)
            if not c.FPDFFont_GetGlyphWidth(
                c.FPDFTextObj_GetFont(obj), 32, ctypes.c_float(info[2]), ctypes.byref(width)
            ):
                continue
            spaces.append(self._char(" ", m, width.value, info))
            extra.append(1)
        for k in slot_of.values():
            rank[k] = len(extra)
            extra.append(0)
        n_ranks = len(extra)
        extra.append(0)  # never empty: its address is passed
        n_out = n + len(spaces)
        order, out_slot, out_code = _zeros("i", n_out), _zeros("i", n_out), _zeros("I", n_out)
        cid_at = _zeros("i", max(n, 1))
        n_cid = ctypes.c_int()
        start, cursor = _zeros("i", n_ranks + 1), _zeros("i", n_ranks + 1)  # kept alive: scratch
        n_out = lib.zvit_order(
            n,
            at(slot),
            at(codes),
            at(map_err),
            at(rank),
            n_ranks,
            at(extra),
            at(start),
            at(cursor),
            at(order),
            at(out_slot),
            at(out_code),
            at(cid_at),
            ctypes.byref(n_cid),
        )
        out = _zeros("d", 13 * n_out)  # x0 x1 y0 y1 top bottom ex ey width height doctop v h
        base = at(out)
        done = _zeros("B", n_out)
        per_obj = _TextObject(*zip(*params, strict=True)) if params else _TextObject(*[()] * 13)
        simple = array("B", [a and b for a, b in zip(per_obj.along, per_obj.axes, strict=True)])
        per_double = [array("d", v or [0.0]) for v in (per_obj.la, per_obj.ld, per_obj.lo)]
        per_double += [array("d", v or [0.0]) for v in (per_obj.hi, per_obj.scale)]
        simple.append(0)
        page = array(
            "d",
            (a0, b0, c0, d0, e0, f0, self._height, self._mb_top, self._mb_x0, self.initial_doctop),
        )
        lib.zvit_boxes(
            n_out,
            at(order),
            at(slot),
            at(simple),
            *map(at, per_double),
            at(box),
            at(org),
            at(page),
            at(done),
            *(base + 8 * n_out * f for f in range(13)),
        )

        def column(f: int) -> list[float]:
            return out[f * n_out : (f + 1) * n_out].tolist()

        slots = out_slot[:n_out].tolist()
        text = list(map(chr, out_code[:n_out]))
        for j in cid_at[: n_cid.value]:
            text[j] = f"(cid:{out_code[j]})"
        fontnames, uprights = per_obj.fontname, per_obj.upright
        built: dict[int, dict[str, Any]] = {}
        """Characters built here: spaces of their own, text off the page axes."""
        spaces_left = iter(spaces)
        flags = done.tobytes()
        j = flags.find(0)  # the few places the helper left to Python
        while j >= 0:
            i = order[j]
            if i < 0:
                built[j] = next(spaces_left)
            else:
                t = params[slot[i]]
                la, lb, lc, ld, scale, fontname, descent, size = t[:8]
                b = box[4 * i : 4 * i + 4]
                if t.along:
                    adv = (b[2] - b[0]) / scale
                else:
                    adv = ((b[2] - b[0]) ** 2 + (b[1] - b[3]) ** 2) ** 0.5 / scale
                x, y = org[2 * i], org[2 * i + 1]
                dm = (la, lb, lc, ld, x * a0 + y * c0 + e0, x * b0 + y * d0 + f0)
                built[j] = self._char_at(text[j], dm, adv, fontname, descent, size)
            j = flags.find(0, j + 1)
        cx0, cx1, ctop, cbottom = column(0), column(1), column(4), column(5)
        vm, hm = column(11), column(12)
        fonts_col = [fontnames[s] for s in slots]
        up_col = [uprights[s] for s in slots]
        for j, d in built.items():
            text[j], fonts_col[j], up_col[j] = d["text"], d["fontname"], d["upright"]
            cx0[j], cx1[j], ctop[j], cbottom[j] = d["x0"], d["x1"], d["top"], d["bottom"]
            vm[j], hm[j] = (d["top"] + d["bottom"]) / 2, (d["x0"] + d["x1"]) / 2
        page_number = self.page_number

        def dict_at(j: int) -> dict[str, Any]:
            d = built.get(j)
            if d is not None:
                return d
            la, lb, lc, ld = params[slots[j]][:4]
            y0, y1 = out[j + 2 * n_out], out[j + 3 * n_out]
            ex, ey, width, height, doctop = out[j + 6 * n_out : j + 11 * n_out : n_out]
            return {
                "object_type": "char",
                "page_number": page_number,
                "text": text[j],
                "fontname": fonts_col[j],
                "size": height,
                "upright": up_col[j],
                "matrix": (la, lb, lc, ld, ex, ey),
                "x0": cx0[j],
                "y0": y0,
                "x1": cx1[j],
                "y1": y1,
                "width": width,
                "height": height,
                "top": ctop[j],
                "bottom": cbottom[j],
                "doctop": doctop,
            }

        columns = CharColumns(text, fonts_col, up_col, cx0, cx1, ctop, cbottom, vm, hm, dict_at)
        columns.unmapped = n_cid.value > 0
        return columns

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
                t = self._text_object(tp, i, fonts, cache)
                known = (t, t.along, t.axes, t.upright, t.lo, t.hi, [])
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
                adv = (box.right - box.left) / m[4]
            else:
                adv = ((box.right - box.left) ** 2 + (box.top - box.bottom) ** 2) ** 0.5 / m[4]
            x, y = ox.value, oy.value
            ex, ey = x * a0 + y * c0 + e0, x * b0 + y * d0 + f0
            la, lb, lc, ld = m[0], m[1], m[2], m[3]
            if not axes:
                out.append(char_at(text, (la, lb, lc, ld, ex, ey), adv, m[5], m[6], m[7]))
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
                    "fontname": m[5],
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
                    texts.append((_address(obj), obj, m))
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

    def __init__(self, doc: pypdfium2.PdfDocument, fonts: _Fonts, native: bool = True) -> None:
        self.doc, self.fonts, self.native = doc, fonts, native
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
            page = PdfiumPage(self.doc[i], i + 1, doctop, self.fonts, self.native)
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

    def __init__(self, path: Path, native: bool = True) -> None:
        """`native`: characters by the native helper when built (False: the pure-Python path,
        which gives the same characters)."""
        self.doc = pypdfium2.PdfDocument(path)
        self.pages = PdfiumPages(self.doc, _Fonts(path), native)

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
