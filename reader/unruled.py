"""Column rules for tables drawn with their row rules but without their column rules.

pdfplumber's lines strategy needs both: a table whose producer drew only horizontal rules (a
"booktabs" style, a browser table with side borders off, a Word table with horizontal borders
only, rows shaded in alternating bands) is found as nothing, or as a one-column table. Its rows
are still ruled, so only the columns are missing:
- where a producer draws each cell's rule on its own (Chromium), the rules' own breaks are the
  columns, exactly;
- where it draws one line across a row (LibreOffice, reportlab), the columns are read from the
  text: a rule in each gap between the cells of the row with the most cells (the header), where
  the fewest rows' text crosses it, moved onto a row rule's end when one stops inside that gap
  (a vertically merged column). Two tables of other columns drawn one under the other are told
  apart where a row's cells clash with the columns so far.
A row whose text crosses a column rule is a cell spanning it: it gets no rule there, so
pdfplumber merges the cells as it would for a ruled merge; a row whose only text spans the
middle, or is a bold lead in the first column, is a heading across the table. Pages are read
one by one, so each page's text-read rules carry the band they could be anywhere in, and
`reader.pdf` stitches such fragments when their bands meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from reader.text import is_bold

MIN_ROWS = 1
"""Rows a stack of rules needs before it is read as a table (the piece of a row that runs on
below the last rule counts). One: the last row of a table run on to a page of its own; the
column breaks, on two rules at least, still show a table."""
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
    chars: list[dict[str, Any]], lo: float, hi: float, rule: float, margin: float, down: bool
) -> float | None:
    """Where text that runs on past a stack's last rule (`down`) or before its first ends: the
    piece of a row broken by the page, whose closing rule is on the other page. It must start
    right at the rule and be the page's last (first) text, page furniture past `margin` aside;
    else None (text after or before a table)."""
    sign = 1 if down else -1
    near, far = ("top", "bottom") if down else ("bottom", "top")
    beyond = sorted(
        (c for c in chars if sign * ((c["top"] + c["bottom"]) / 2 - rule) > 0),
        key=lambda c: sign * c[near],
    )
    reach = rule
    for k, c in enumerate(beyond):
        if sign * (c[near] - reach) > 1.5 * (c["bottom"] - c["top"]):
            if all(sign * (r[near] - margin) >= 0 for r in beyond[k:]):
                break  # a page number in the margin
            return None
        if c["x0"] < lo or c["x1"] > hi:
            return None
        reach = max(reach, c[far]) if down else min(reach, c[far])
    return reach if reach != rule else None


def _heading(piece: list[tuple[float, float]], xs: list[float]) -> bool:
    """Text past a table's first or last rule that is one cell across a column rule: a
    heading or a paragraph, not the rest of a row."""
    cells = _cells(piece)
    return len(cells) == 1 and any(_crosses(cells, x) for x in xs)


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
        if any(x0 < edges[j + 1] - 1 and x1 > edges[j] + 1 for x0, x1 in row)
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


def _bold_lead(chars: list[dict[str, Any]], lo: float, x: float, y0: float, y1: float) -> bool:
    """The row's only text is bold and in its first column: a heading (a section of a project
    passport), whose span no rule and no text shows, as "1. Вихідні дані" with no value."""
    inside = [c for c in chars if y0 < (c["top"] + c["bottom"]) / 2 < y1]
    return bool(inside) and all(lo <= c["x0"] and c["x1"] <= x for c in inside) and is_bold(inside)


def union(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """The union of x ranges as disjoint ranges, left to right (touching ranges join)."""
    out: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if out and x0 <= out[-1][1]:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out]


def _cells(runs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A row's runs gathered into cells: runs whose x ranges overlap (a cell's lines, left
    aligned or centred, overlap one another) are one cell."""
    return union(runs)


Band = tuple[float, float]


def _least_crossed(grid: list[float], rows: list[list[tuple[float, float]]]) -> Band:
    """The widest run of `grid` points that the fewest of `rows` cross."""
    counts = [sum(1 for runs in rows if _crosses(runs, x)) for x in grid]
    least = min(counts)
    best, run = (0, 0), 0
    for k, count in enumerate([*counts, least + 1]):
        if count != least:
            best = max(best, (k - run, -run))
            run = k + 1
    width, start = best[0], -best[1]
    return grid[start], grid[start + width - 1]


def _text_columns(rows: list[list[tuple[float, float]]]) -> list[tuple[float, Band]]:
    """Column rules from the text of a table ruled by one line per row: one rule in each gap
    between the cells of the row with the most cells (the header, or a full row), in the middle
    of the widest band the fewest rows' text crosses (a spanning cell does); with the band the
    rows of several cells leave there, where the rule could be on another page."""
    filled = [runs for runs in rows if runs]
    if len(filled) < 2:
        return []
    guide = max((_cells(runs) for runs in filled[:3]), key=len)
    # a heading across the table crosses every gap: it says nothing of where columns part
    telling = [
        runs
        for runs in filled
        if len(cells := _cells(runs)) > 1
        or sum(1 for a, b in guide if a < cells[0][1] and b > cells[0][0]) < 3
    ]
    # a row of one cell (a spanning cell's rest, one column's) narrows a gap to this page's
    several = [runs for runs in filled if len(_cells(runs)) > 1]
    out = []
    for (_, a1), (b0, _) in pairwise(guide):
        n = max(1, int((b0 - a1) / _BIN))
        grid = [a1 + (b0 - a1) * (k + 0.5) / n for k in range(n)]
        lo, hi = _least_crossed(grid, telling)
        x = (lo + hi) / 2
        wide = _least_crossed(grid, several)
        out.append((x, (min(wide[0], x), max(wide[1], x))))
    return out


def _inside(gaps: list[Band], cells: list[Band]) -> bool:
    return any(c0 < g0 and g1 < c1 for g0, g1 in gaps for c0, c1 in cells)


def _clash(a: list[Band], b: list[Band]) -> bool:
    """Two rows' cells of other columns: a gap of each falls inside a cell of the other (a
    spanning cell covers the other's gaps, but its own gaps still meet theirs)."""
    gaps_a = [(x, y) for (_, x), (y, _) in pairwise(a)]
    gaps_b = [(x, y) for (_, x), (y, _) in pairwise(b)]
    return _inside(gaps_a, b) and _inside(gaps_b, a)


def _segments(rows: list[list[tuple[float, float]]]) -> list[tuple[int, int]]:
    """Row ranges of one column structure each: two tables with other columns drawn one under
    the other with nothing but rules between. Rows of a single cell just before a table with
    other columns (its heading, ruled between the tables) belong to neither."""
    out: list[tuple[int, int]] = []
    start, guide, lone = 0, None, None
    for i, runs in enumerate(rows):
        cells = _cells(runs)
        if len(cells) < 2:
            lone = i if lone is None else lone
            continue
        if guide is not None and _clash(cells, guide):
            out.append((start, lone if lone is not None and lone > start else i))
            start, guide = i, None
        if guide is None or len(cells) > len(guide):
            guide = cells
        lone = None
    out.append((start, len(rows)))
    return [(a, b) for a, b in out if b > a]


def _snap(x: float, band: Band, stack: list[Level], lo: float, hi: float, tol: float) -> float:
    """A rule from the text moved onto a row rule's end inside its band: a rule stopping short
    of the table's side shows exactly where a column (vertically merged there) begins or ends."""
    ends = [
        end
        for _, segs in stack
        for end in (segs[0][0], max(x1 for _, x1 in segs))
        if lo + tol < end < hi - tol and band[0] - tol <= end <= band[1] + tol
    ]
    return min(ends, key=lambda end: abs(end - x)) if ends else x


def column_rules(
    page: Any, tables: list[Any], tol: float, margin_ratio: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[tuple[Any, list[Band]]]]:
    """Vertical rule segments, row by row, for every stack of row rules on `page` that no
    table found so far reads with more than one column; a closing rule under a row that the
    page foot breaks (its own is on the next page); and the box of each table whose columns came
    from its text, with the band each of its rules could be anywhere in."""
    chars: list[dict[str, Any]] = []
    verticals: list[dict[str, Any]] = []
    closing: list[dict[str, Any]] = []
    from_text: list[tuple[tuple[float, float, float, float], list[Band]]] = []
    height = float(page.height)
    head, foot = height * margin_ratio, height - height * margin_ratio
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
        chars = chars or [c for c in page.chars if c["text"].strip()]
        end = _run_on(chars, lo, hi, bottom, foot, down=True)
        start = _run_on(chars, lo, hi, top, head, down=False)
        for stack in _tables(whole, lo, hi, tol):
            ys = [y for y, _ in stack]
            full = [_extent(level) == (lo, hi) for level in stack]
            rows = [_spans(chars, lo, hi, y0, y1) for y0, y1 in pairwise(ys)]
            # every rule broken at the column borders: those are the columns, exactly
            broken = [_level_breaks(level, lo, hi, tol) for level in stack]
            xs = _breaks(stack, lo, hi, tol) if all(broken) else []
            parts = [[0, len(rows), xs]] if xs else []
            for a, b in [] if xs else _segments(rows):
                columns = _text_columns(rows[a:b])
                if columns:
                    xs = [_snap(x, band, stack, lo, hi, tol) for x, band in columns]
                    bands = [(lo, lo), *(band for _, band in columns), (hi, hi)]
                    parts.append([a, b, xs, bands])
            # the rest of a row the page broke, unless it is a heading after (before) the table
            if end is not None and ys[-1] == bottom and parts and parts[-1][1] == len(rows):
                piece = _spans(chars, lo, hi, bottom, end + 1)
                if not _heading(piece, parts[-1][2]):
                    ys.append(end + 1)
                    full.append(True)
                    rows.append(piece)
                    parts[-1][1] += 1
                    closing.append(_edge("h", lo, end + 1, hi, end + 1))
            if start is not None and ys[0] == top and parts and parts[0][0] == 0:
                piece = _spans(chars, lo, hi, start - 1, top)
                if not _heading(piece, parts[0][2]):
                    ys.insert(0, start - 1)
                    full.insert(0, True)
                    rows.insert(0, piece)
                    for part in parts:
                        part[0] += part is not parts[0]
                        part[1] += 1
                    closing.append(_edge("h", lo, start - 1, hi, start - 1))
            for a, b, xs, *bands in parts:
                if b - a < MIN_ROWS:
                    continue
                for k in (a, b):  # a merged column running past the page's first or last rule
                    if not full[k]:
                        closing.append(_edge("h", lo, ys[k], hi, ys[k]))
                if bands:
                    from_text.append(((lo, ys[a], hi, ys[b]), bands[0]))
                for (y0, y1), row in zip(pairwise(ys[a : b + 1]), rows[a:b], strict=True):
                    heading = _bold_lead(chars, lo, xs[0], y0, y1)
                    inner = [] if heading else _row_rules(row, xs, lo, hi)
                    for x in (lo, *inner, hi):
                        verticals.append(_edge("v", x, y0, x, y1))
    return verticals, closing, from_text
