"""What the other producers' renders (tools/producers.py) exercise, checked on the fixtures, so the
golden tests over them (test_reader_golden.py) keep meaning what they say."""

from __future__ import annotations

import json

import pdfplumber
import pytest
from reader_golden import RENDERS, SAMPLES, sample_path

from reader import read_document


@pytest.mark.parametrize("sample", SAMPLES)
def test_chromium_draws_rules_as_filled_rectangles(sample: str) -> None:
    """Skia draws every border as a thin filled rectangle, never a line: the reader's rules."""
    with pdfplumber.open(sample_path(sample, "chromium")) as pdf:
        page = pdf.pages[0]
        assert page.lines == []
        thin = [r for r in page.rects if r["fill"] and min(r["width"], r["height"]) < 1.5]
        assert len(thin) > 10


@pytest.mark.parametrize(("sample", "fmt"), RENDERS)
def test_renders_split_rows_and_repeat_the_header(sample: str, fmt: str) -> None:
    """Every render repeats its header on each page its table runs over, and the long reports
    have rows split by a page (the sidecar's own page map says where)."""
    path = sample_path(sample, fmt)
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert truth["source"]["producer"] == fmt
    spans = list(truth["pdf"]["rows"].values())
    if sample != "service_card_immigration" or fmt.startswith("chromium"):
        assert any(first < last for first, last in spans), "no row split by a page"
    table = next(b for b in truth["blocks"] if b["type"] == "table" and b.get("header", True))
    first = table["columns"][-1]["header"].split()[0]
    with pdfplumber.open(path) as pdf:
        pages = {p for span in spans for p in range(span[0], span[1] + 1)}
        for page_no in sorted(pages)[1:]:
            text = pdf.pages[page_no - 1].extract_text() or ""
            assert first in text, f"page {page_no} has no header"


@pytest.mark.parametrize(("sample", "fmt"), [(s, f) for s, f in RENDERS if f.endswith("_rows")])
def test_rows_renders_draw_no_column_rules(sample: str, fmt: str) -> None:
    """The `_rows` renders rule the rows only: pdfplumber's lines strategy finds no table in
    them, so their golden tests check the columns read from the rules' breaks (reader.unruled)."""
    with pdfplumber.open(sample_path(sample, fmt)) as pdf:
        for page in pdf.pages:
            assert not [e for e in page.edges if e["orientation"] == "v" and e["height"] > 3]
            assert not [
                t
                for t in page.find_tables()
                if len(t.cells) > 1 and len(t.rows) > 1 and len({c[0] for c in t.cells}) > 1
            ]


def test_words_keep_their_spaces() -> None:
    """Chromium's Skia PDFs draw spaces as glyphs here; either way no cell runs words together."""
    doc = read_document(sample_path("service_card_immigration", "chromium"))
    words = [w for t in doc.tables for r in t.rows for c in r.cells for w in c.split()]
    assert words and max(len(w) for w in words) < 40
