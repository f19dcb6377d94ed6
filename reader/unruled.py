"""Column rules for tables drawn with their row rules but without their column rules.

pdfplumber's lines strategy needs both: a table whose producer drew only horizontal rules (a
"booktabs" style, a browser table with side borders off, rows shaded in alternating bands) is
found as nothing, or as a one-column table. Its rows are still ruled, so only the columns are
missing: they are read from the horizontal rules' own breaks, where a producer draws each
cell's border as its own segment (Chromium with side borders off, LibreOffice). A row whose text
crosses a break is a cell spanning it: it gets no column rule there, so pdfplumber merges the
cells as it would for a ruled merge; a row whose only text spans the middle is a heading across
the table. One long rule per row (reportlab's, LaTeX's booktabs) holds no columns: guessing them
from text gutters drifts from page to page, so such a table is not read (the document is
quarantined as having no table) rather than read wrong.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

MIN_ROWS = 2
"""Rows a stack of rules needs before it is read as a table (the piece of a row that runs on
below the last rule counts: a page may hold a header and one long row)."""
MIN_WIDTH_RATIO = 0.3
"""A stack of rules narrower than this share of the page is an underline, not a table."""
CENTRE_TOLERANCE = 0.1
"""A heading is centred when its middle is this share of the table's width from the table's."""
WORD_GAP = 0.45
"""Largest gap between two words of one phrase, in font heights (a space is about a quarter
em; a column gutter, both cells' padding, is wider)."""
_BIN = 0.5


Level = tuple[float, list[tuple[float, float]]]
"""A rule level: its top and its segments (x0, x1) sorted by x0."""


def _levels(edges: Iterable[dict[str, Any]], tol: float) -> list[Level]:
    """Horizontal rules grouped by height, from the top down."""
    hs = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: e["top"])
    levels: list[Level] = []
    for e in hs:
        if levels and e["top"] - levels[-1][0] <= tol:
            levels[-1][1].append((e["x0"], e["x1"]))
        else:
            levels.append((e["top"], [(e["x0"], e["x1"])]))
    for _, segs in levels:
        segs.sort()
    return levels


def _extent(level: Level) -> tuple[float, float]:
    return level[1][0][0], max(x1 for _, x1 in level[1])


def _stacks(levels: list[Level], min_width: float, tol: float) -> list[list[Level]]:
    """Runs of consecutive rule levels spanning one table's width (a level may stop short of
    it where a vertically merged cell runs on: it still covers most of it)."""
    stacks: list[list[Level]] = []
    current: list[Level] = []
    for level in levels:
        lo, hi = _extent(level)
        if current:
            c_lo, c_hi = _extent(current[0])
            same = abs(lo - c_lo) <= 2 * tol and abs(hi - c_hi) <= 2 * tol
            within = lo >= c_lo - tol and hi <= c_hi + tol and hi - lo >= (c_hi - c_lo) / 2
            if not (same or within):
                if len(current) > 1:
                    stacks.append(current)
                current = []
        if not current and hi - lo < min_width:
            continue
        current.append(level)
    if len(current) > 1:
        stacks.append(current)
    return stacks


def _level_breaks(level: Level, lo: float, hi: float, tol: float) -> list[float]:
    """Interior x where one of the level's rule segments ends and the next begins."""
    segs = level[1]
    here: list[float] = []
    reach = segs[0][1]
    for x0, x1 in segs[1:]:
        if abs(x0 - reach) <= tol and lo + tol < x0 < hi - tol:
            here.append((x0 + reach) / 2)
        reach = max(reach, x1)
    return here


def _near(xs: list[float], ys: list[float], tol: float) -> bool:
    return any(abs(x - y) <= tol for x in xs for y in ys)


def _tables(stack: list[Level], lo: float, hi: float, tol: float) -> list[list[Level]]:
    """A stack cut where two consecutive levels break at no common x: two tables of other
    columns one under the other (a heading between them, ruled as a row of neither)."""
    parts: list[list[Level]] = [[stack[0]]]
    prev = _level_breaks(stack[0], lo, hi, tol)
    for level in stack[1:]:
        here = _level_breaks(level, lo, hi, tol)
        if prev and here and not _near(prev, here, tol):
            parts.append([])
        parts[-1].append(level)
        prev = here
    return [part for part in parts if len(part) > 1]


def _breaks(stack: list[Level], lo: float, hi: float, tol: float) -> list[float]:
    """Column rules: level breaks found on at least two levels of the stack."""
    found: list[list[float]] = []  # [x, levels]
    for level in stack:
        for x in _level_breaks(level, lo, hi, tol):
            for f in found:
                if abs(f[0] - x) <= tol:
                    f[1] += 1
                    break
            else:
                found.append([x, 1])
    return sorted(x for x, n in found if n >= 2)


def _edge(orientation: str, x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {
        "object_type": "inferred_edge",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _runs(chars: Iterable[dict[str, Any]]) -> list[tuple[float, float]]:
    """Text runs of characters: along each line, neighbours closer than a word space apart
    joined (producers that draw no space glyph leave only the gap), so a column rule is never
    placed between two words of one phrase."""
    lines: dict[int, list[dict[str, Any]]] = {}
    for c in chars:
        lines.setdefault(round(c["top"]), []).append(c)
    runs: list[tuple[float, float]] = []
    for line in lines.values():
        line.sort(key=lambda c: c["x0"])
        x0, x1 = line[0]["x0"], line[0]["x1"]
        for c in line[1:]:
            if c["x0"] - x1 <= WORD_GAP * (c["bottom"] - c["top"]):
                x1 = max(x1, c["x1"])
            else:
                runs.append((x0, x1))
                x0, x1 = c["x0"], c["x1"]
        runs.append((x0, x1))
    return runs


def _crosses(spans: list[tuple[float, float]], x: float) -> bool:
    return any(x0 < x - _BIN and x1 > x + _BIN for x0, x1 in spans)


def _run_on(
    chars: list[dict[str, Any]], lo: float, hi: float, last: float, foot: float
) -> float | None:
    """The bottom of text that runs on below a stack's last rule: the piece of a row broken by
    the page, whose closing rule is on the next page. It must start right under the rule and be
    the page's last text (page furniture below `foot` aside); else None (text after a table)."""
    below = sorted(
        (c for c in chars if (c["top"] + c["bottom"]) / 2 > last), key=lambda c: c["top"]
    )
    reach = last
    for k, c in enumerate(below):
        if c["top"] - reach > 1.5 * (c["bottom"] - c["top"]):
            if all(r["top"] >= foot for r in below[k:]):
                break  # a page number in the foot margin
            return None
        if c["x0"] < lo or c["x1"] > hi:
            return None
        reach = max(reach, c["bottom"])
    return reach if reach > last else None


def _row_rules(
    row: list[tuple[float, float]], xs: list[float], lo: float, hi: float
) -> list[float]:
    """The column rules of one row: none where its text crosses them (a cell spanning those
    columns), and none at all when that spanning text is all the row holds (a heading across
    the table, centred short of its outer columns)."""
    crossed = [_crosses(row, x) for x in xs]
    if not any(crossed):
        return xs
    edges = [float("-inf"), *xs, float("inf")]
    filled = [
        j
        for j in range(len(edges) - 1)
        if any(x0 < edges[j + 1] and x1 > edges[j] for x0, x1 in row)
    ]
    first, last = filled[0], filled[-1]
    if all(crossed[first:last]) and (first == 0 or _centred(row, lo, hi)):
        return []
    return [x for x, cut in zip(xs, crossed, strict=True) if not cut]


def _centred(row: list[tuple[float, float]], lo: float, hi: float) -> bool:
    """The row's text sits in the middle of the table (a centred heading), not in the columns
    a spanning cell covers (the rest of that cell, run on from the page before)."""
    left, right = min(x0 for x0, _ in row), max(x1 for _, x1 in row)
    return abs((left + right) / 2 - (lo + hi) / 2) <= CENTRE_TOLERANCE * (hi - lo)


def _spans(
    chars: list[dict[str, Any]], lo: float, hi: float, y0: float, y1: float
) -> list[tuple[float, float]]:
    """Text runs of the characters centred between `y0` and `y1` inside the table."""
    return _runs(
        c
        for c in chars
        if y0 < (c["top"] + c["bottom"]) / 2 < y1 and lo <= c["x0"] and c["x1"] <= hi
    )


def column_rules(
    page: Any, tables: list[Any], tol: float, margin_ratio: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Vertical rule segments, row by row, for every stack of row rules on `page` that no
    table found so far reads with more than one column; and a closing rule under a row that
    the page foot breaks (its own is on the next page)."""
    chars: list[dict[str, Any]] | None = None  # built when a stack needs them (rarely)
    verticals: list[dict[str, Any]] = []
    closing: list[dict[str, Any]] = []
    height = float(page.height)
    foot = height - height * margin_ratio
    for whole in _stacks(_levels(page.edges, tol), MIN_WIDTH_RATIO * float(page.width), tol):
        lo, hi = _extent(whole[0])
        top, bottom = whole[0][0], whole[-1][0]
        if any(
            len({round(c[0]) for c in t.cells}) > 1
            and t.bbox[1] < bottom - tol
            and t.bbox[3] > top + tol
            for t in tables
        ):
            continue  # a ruled table already covers it
        if chars is None:  # a pdfium page builds its characters' dicts only when asked
            chars = [c for c in page.chars if c["text"].strip()]
        end = _run_on(chars, lo, hi, bottom, foot)
        for stack in _tables(whole, lo, hi, tol):
            ys = [y for y, _ in stack]
            last = end is not None and ys[-1] == bottom
            if last:
                ys.append(end + 1)  # type: ignore[operator]
            xs = _breaks(stack, lo, hi, tol)
            if len(ys) <= MIN_ROWS or not xs:
                continue  # one rule across the table: columns from text alone are not exact
            if last:
                closing.append(_edge("h", lo, ys[-1], hi, ys[-1]))
            # a row whose rules above and below are both one unbroken segment is one cell
            unbroken = [not _level_breaks(level, lo, hi, tol) for level in stack] + [False]
            for k, (y0, y1) in enumerate(pairwise(ys)):
                row = _spans(chars, lo, hi, y0, y1)
                inner = [] if unbroken[k] and unbroken[k + 1] else _row_rules(row, xs, lo, hi)
                for x in (lo, *inner, hi):
                    verticals.append(_edge("v", x, y0, x, y1))
    return verticals, closing
