"""A PDF read in page ranges (as separate workers do) and stitched equals the one-pass read."""

from __future__ import annotations

import pickle

from reader import read_document
from reader.pdf import assemble, read_pdf_pages
from zvit.settings import PROJECT_DIR
from zvit.workers import page_ranges

PLAN_LONG = PROJECT_DIR / "benchmarks/data/plan_long.pdf"


def test_ranges_split_inside_tables_stitch_to_the_one_pass_document() -> None:
    whole = read_document(PLAN_LONG)
    split_rows = [
        (row.page_first, row.page_last)
        for table in whole.blocks
        if hasattr(table, "rows")
        for row in table.rows
        if row.page_first != row.page_last
    ]
    # Boundaries right after the first pages of rows split by a page break: each range boundary
    # falls inside a table and cuts a row in two.
    cuts = sorted({first for first, _ in split_rows})
    assert len(cuts) >= 2, "plan_long.pdf should have rows split across page breaks"
    bounds = [cuts[0], cuts[len(cuts) // 2]]
    ranges = [(1, bounds[0]), (bounds[0] + 1, bounds[1]), (bounds[1] + 1, None)]

    pages = []
    for first, last in ranges:
        part, n_pages = read_pdf_pages(PLAN_LONG, first=first, last=last)
        pages += pickle.loads(pickle.dumps(part))  # as a worker process sends them
    blocks, n, warnings = assemble(pages, n_pages)

    assert n == whole.pages == 296
    assert [p.page_no for p in pages] == list(range(1, 297))
    assert blocks == whole.blocks
    assert warnings == whole.warnings


def test_page_ranges_cover_every_page_once_and_the_last_is_open() -> None:
    assert page_ranges(296, 2) == [(1, 148), (149, None)]
    assert page_ranges(10, 3) == [(1, 3), (4, 7), (8, None)]
