"""Golden tests: the four sample documents, PDF and DOCX, against their exact truth."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from reader_golden import (
    PRODUCERS,
    RENDERS,
    SAMPLES,
    assert_tables_match,
    is_pdf,
    load_truth,
    no_space,
    read_sample,
    sample_path,
    squash,
)

from reader import Document, Paragraph, Table

CASES = [(sample, fmt) for sample in SAMPLES for fmt in ("pdf", "docx")] + RENDERS
"""Every sample as LibreOffice printed it, as the DOCX, and as each other producer printed it."""
CLOSED_EDGE = re.compile(r"page \d+: closed a table edge that has no ruling line \(y=[\d, ]+\)")
"""The one warning a producer render may give: Chromium leaves the page-break edge of a split
row open."""
UNRULED = re.compile(
    r"page \d+: a table drawn without column rules: its columns read from the text"
)
"""The warning of a render with row rules only (`*_rows`): on every page with a table."""


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, str], Document]:
    """Every sample read once for the whole module (reading the PDFs takes a few seconds)."""
    return {(sample, fmt): read_sample(sample, fmt) for sample, fmt in CASES}


@pytest.fixture(scope="module")
def truths() -> dict[tuple[str, str], dict[str, Any]]:
    """Per case: the sample's truth, for a producer's render its sidecar (own pages)."""
    return {(sample, fmt): load_truth(sample, fmt) for sample, fmt in CASES}


def _segments(blocks: list[Any], is_table: Any) -> list[list[Any]]:
    """Non-table blocks grouped by the tables between them."""
    out: list[list[Any]] = [[]]
    for block in blocks:
        if is_table(block):
            out.append([])
        else:
            out[-1].append(block)
    return out


@pytest.mark.parametrize(("sample", "fmt"), CASES)
def test_document_fields(documents, truths, sample: str, fmt: str) -> None:
    doc = documents[(sample, fmt)]
    path = sample_path(sample, fmt)
    assert doc.file_name == path.name
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.format == ("pdf" if is_pdf(fmt) else "docx")
    assert doc.pages == (truths[(sample, fmt)]["pdf"]["pages"] if is_pdf(fmt) else None)
    if fmt.endswith("_rows"):
        assert any(UNRULED.fullmatch(w) for w in doc.warnings), doc.warnings
        assert all(UNRULED.fullmatch(w) for w in doc.warnings), doc.warnings
    elif fmt in PRODUCERS:
        assert all(CLOSED_EDGE.fullmatch(w) for w in doc.warnings), doc.warnings
    else:
        assert doc.warnings == []


@pytest.mark.parametrize(("sample", "fmt"), CASES)
def test_tables_match_truth_row_by_row(documents, truths, sample: str, fmt: str) -> None:
    doc, truth = documents[(sample, fmt)], truths[(sample, fmt)]
    assert_tables_match(doc, truth, pdf=is_pdf(fmt))


@pytest.mark.parametrize(("sample", "fmt"), CASES)
def test_text_outside_tables_in_reading_order(documents, truths, sample: str, fmt: str) -> None:
    """Title lines, headings between tables, free text and the signature, each in its place."""
    doc, truth = documents[(sample, fmt)], truths[(sample, fmt)]
    got = _segments(doc.blocks, lambda b: isinstance(b, Table))
    want = _segments(truth["blocks"], lambda b: b["type"] == "table")
    assert len(got) == len(want)
    for got_blocks, want_blocks in zip(got, want, strict=True):
        text = squash(" ".join(p.text for p in got_blocks))
        for block in want_blocks:
            if block["type"] == "signature":
                for piece in [*block["position"], block["name"]]:
                    assert squash(piece) in text
            else:
                assert no_space(block["text"]) in no_space(text)
    assert all(isinstance(p, Paragraph) for p in doc.paragraphs)
    if is_pdf(fmt):
        assert all(p.page is not None for p in doc.paragraphs)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_title_and_signature_lines(documents, truths, fmt: str) -> None:
    doc = documents[("plan_2021", fmt)]
    assert doc.title_lines[0] == "ЗВІТ"
    assert doc.signature_lines[-1] == "Тетяна КАСЯН"
    assert doc.paragraphs[0].bold


def test_plan_sections_and_measures(documents) -> None:
    """The headline figures of the plan: 8 section rows, measures 1..64, and the page-break word."""
    for fmt in ("pdf", "docx"):
        (table,) = documents[("plan_2021", fmt)].tables
        groups = [r.text for r in table.rows if r.kind == "group"]
        assert len(groups) == 8
        assert all(re.match(rf"Розділ {i}\. ", g) for i, g in enumerate(groups, start=1))
        numbers = [r.cells[0] for r in table.data_rows()]
        assert numbers == [str(i) for i in range(1, 65)]
    (table,) = documents[("plan_2021", "pdf")].tables
    assert table.page_first == 1 and table.page_last == 51
    assert any("українсько-білоруської" in " ".join(r.cells) for r in table.data_rows())


def test_pdf_keeps_row_pieces_with_provenance(documents) -> None:
    (table,) = documents[("plan_2021", "pdf")].tables
    m2 = table.data_rows()[1]
    assert [p.page for p in m2.parts] == [1, 2]
    assert m2.parts[1].at_page_top and m2.parts[1].cells[0] == ""
    assert m2.bbox is not None and m2.bbox == m2.parts[0].bbox
    x0, top, x1, bottom = m2.bbox
    assert x0 < x1 and top < bottom


def test_vertical_merge_spanning_pages_goes_to_its_owner(documents) -> None:
    """IMMIS indicators 1 and 2 share one merged "actual" cell that runs over pages 2-6."""
    for fmt in ("pdf", "docx"):
        results = documents[("itd_immis_final", fmt)].tables[1]
        i1, i2 = results.rows[1], results.rows[2]
        assert i2.vmerge == [2] and i2.cells[2] == ""
        assert i1.cells[2].startswith("Експертами МОМ")
        assert "позовами органів ДМС" in i1.cells[2]
    results = documents[("itd_immis_final", "pdf")].tables[1]
    assert (results.rows[1].page_first, results.rows[1].page_last) == (2, 6)


def test_partial_horizontal_span(documents) -> None:
    """Service card rows 19/20: a text spanning the last 3 of 5 columns sits in the first."""
    for fmt in ("pdf", "docx"):
        (table,) = documents[("service_card_immigration", fmt)].tables
        row = table.rows[-1]
        assert row.kind == "data"
        assert row.cells[:2] == ["20", "Примітка"]
        assert row.cells[2].startswith("Особа може повторно")
        assert row.cells[3:] == ["", ""]
        assert row.span == {2: 3}


@pytest.mark.parametrize(("sample", "fmt"), CASES)
def test_signer_name_is_its_own_paragraph(documents, truths, sample: str, fmt: str) -> None:
    """A position and a name set apart on one line (tab or wide gap) are two paragraphs."""
    (signature,) = [b for b in truths[(sample, fmt)]["blocks"] if b["type"] == "signature"]
    lines = documents[(sample, fmt)].signature_lines
    assert lines[-1] == signature["name"]
    assert squash(" ".join(lines[:-1])).endswith(squash(" ".join(signature["position"])))
