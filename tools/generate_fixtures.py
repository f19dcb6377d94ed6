"""Render report documents from ground-truth JSON and write zvit's generated test fixtures.

A truth file (schema `zvit-corpus-truth/1`, see `../shared/corpus/README.md`) describes a document
as `blocks` (para / table / signature) plus a `layout` dict (orientation, font, sizes, margins,
column widths). `render_docx` draws it with python-docx the way the originals were made: a real
Word table whose header row repeats on every page (`w:tblHeader`), section rows merged across all
columns, rows allowed to break across pages. `docx_to_pdf` exports the PDF with LibreOffice
(`soffice --headless --convert-to pdf`), and `locate_rows` finds the page span of every table row
in that PDF with pdfplumber, which fills the truth's `pdf.rows`.

Commands (LibreOffice, qpdf and poppler-utils must be installed; the outputs are committed so tests
never need them):

    .venv/bin/python tools/generate_fixtures.py variants   # plan_2021 variants + samples/
    .venv/bin/python tools/generate_fixtures.py anticorruption  # anticorruption_2019 variants
    .venv/bin/python tools/generate_fixtures.py bad        # tests/fixtures/bad/
    .venv/bin/python tools/generate_fixtures.py long       # benchmarks/data/plan_long.pdf
    .venv/bin/python tools/generate_fixtures.py all

Everything is deterministic: re-running rewrites the same content (PDF timestamps aside).
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell, _Row

ROOT = Path(__file__).resolve().parents[1]
PLAN_DIR = ROOT / "tests" / "fixtures" / "documents" / "plan_execution"
SOURCE_TRUTH = PLAN_DIR / "plan_2021.json"
VARIANTS_DIR = PLAN_DIR / "variants"
BAD_DIR = ROOT / "tests" / "fixtures" / "bad"
SAMPLES_DIR = ROOT / "samples"
ANTICORRUPTION_DIR = ROOT / "tests" / "fixtures" / "documents" / "anticorruption"
ANTICORRUPTION_VARIANTS_DIR = ANTICORRUPTION_DIR / "variants"
LONG_PDF = ROOT / "benchmarks" / "data" / "plan_long.pdf"

Truth = dict[str, Any]

A4_CM = (21.0, 29.7)
CENTERED_COLUMNS = {"no", "deadline", "status"}
"""Plan columns drawn centred, as in the sample; all others are left-aligned."""

STATUS_CLASSES: dict[str, str] = {
    "Виконано": "done",
    "Виконано частково": "partially_done",
    "Не виконано у зв'язку з відсутністю фінансування": "not_done",
    "Заходи не проводились": "not_held",
    "Виконується": "in_progress",
    "Перенесено на 2023 рік": "postponed",
}
ALL_CLASSES = ("done", "partially_done", "not_done", "not_held", "in_progress", "postponed")


# ---------------------------------------------------------------------------------------------
# DOCX rendering


def _set_cell_width(cell: _Cell, width_cm: float) -> None:
    cell.width = Cm(width_cm)


def _fill_cell(
    cell: _Cell, text: str, *, size: float, bold: bool = False, align: str = "left"
) -> None:
    """Write `text` into `cell`, one paragraph per line, with no extra spacing."""
    alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    lines = text.split("\n")
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        p = first if i == 0 else cell.add_paragraph()
        p.alignment = alignment
        fmt = p.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing = 1.0
        run = p.add_run(line)
        run.font.size = Pt(size)
        run.bold = bold or None


def _mark_header(row: _Row) -> None:
    """Repeat `row` at the top of every page (`w:tblHeader`) and keep it on one page."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        tr_pr.append(el)


def _set_table_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def _set_normal_style(doc: Any, font: str, size: float) -> None:
    style = doc.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "uk-UA")
    r_pr.append(lang)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def _page_setup(doc: Any, layout: dict[str, Any]) -> float:
    """Set orientation, size and margins; return the text width in cm."""
    section = doc.sections[0]
    short, long_ = A4_CM
    if layout["orientation"] == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(long_), Cm(short)
        width = long_
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(short), Cm(long_)
        width = short
    top, right, bottom, left = layout["margins_cm"]
    section.top_margin, section.right_margin = Cm(top), Cm(right)
    section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
    return width - left - right


CELL_PADDING_CM = 0.45
"""Left + right cell margins LibreOffice applies (0.19 cm each) plus a little slack."""


def _font_file(family: str, bold: bool) -> str:
    pattern = f"{family}:bold" if bold else family
    out = subprocess.run(
        ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, check=True
    )
    return out.stdout


def fit_widths(
    block: dict[str, Any], widths: list[float], font: str, size: float, total_cm: float
) -> list[float]:
    """Widen columns whose longest word (or bold header word) would not fit, as a person laying
    out the table in Word would, then scale the other columns so the table fills `total_cm`."""
    from PIL import ImageFont

    regular = ImageFont.truetype(_font_file(font, False), size=int(size * 20))
    bold = ImageFont.truetype(_font_file(font, True), size=int(size * 20))
    cm_per_unit = 2.54 / 72 / 20  # 1 pt = 1/72 in, fonts loaded at 20 units per point

    def longest(text: str, face: Any) -> float:
        # LibreOffice may break after "/" and "-" (and inside e-mail and web addresses), so only
        # the pieces between must fit.
        words = re.split(r"\s+|(?<=[/-])|(?<=[.@])(?=\w)", text)
        return max((face.getlength(w) for w in words), default=0.0) * cm_per_unit

    need = [CELL_PADDING_CM + longest(c["header"], bold) for c in block["columns"]]
    for row in block["rows"]:
        if row["kind"] == "data":
            for i, text in enumerate(row["cells"]):
                need[i] = max(need[i], CELL_PADDING_CM + longest(text, regular))
    need = [n + 0.05 for n in need]
    if sum(need) > total_cm:
        raise ValueError(f"the longest words need {sum(need):.1f} cm, the page has {total_cm} cm")
    # Find the scale of the preferred widths at which max(need, scaled) fills the page exactly.
    lo, hi = 0.0, total_cm / sum(widths) * 2
    for _ in range(60):
        mid = (lo + hi) / 2
        if sum(max(n, w * mid) for n, w in zip(need, widths, strict=True)) > total_cm:
            hi = mid
        else:
            lo = mid
    return [round(max(n, w * lo), 2) for n, w in zip(need, widths, strict=True)]


def _add_table(doc: Any, block: dict[str, Any], layout: dict[str, Any], total_cm: float) -> None:
    columns = block["columns"]
    size = block.get("font_size") or layout["font_size"]
    widths = fit_widths(
        block, block.get("widths_cm") or layout["widths_cm"], layout["font"], size, total_cm
    )
    n = len(columns)
    table = doc.add_table(rows=0, cols=n)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_table_borders(table)
    for i, col in enumerate(table.columns):
        col.width = Cm(widths[i])
    if block.get("header", True):
        row = table.add_row()
        _mark_header(row)
        for i, col in enumerate(columns):
            cell = row.cells[i]
            _set_cell_width(cell, widths[i])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _fill_cell(
                cell, col["header"], size=size, bold=layout.get("header_bold", True), align="center"
            )
    group_styles = block.get("group_styles") or {}
    for logical in block["rows"]:
        row = table.add_row()
        if logical["kind"] == "group":
            style = group_styles.get(str(logical.get("level", 1)), {})
            merged = row.cells[0].merge(row.cells[n - 1])
            _fill_cell(
                merged,
                logical["text"],
                size=size,
                bold=style.get("bold", True),
                align=style.get("align", "center"),
            )
            continue
        # A cell may span several columns (`span: {"2": 3}`: the service card's appeal row).
        spans = {int(k): v for k, v in (logical.get("span") or {}).items()}
        i = 0
        for text in logical["cells"]:
            width = spans.get(i, 1)
            cell = row.cells[i] if width == 1 else row.cells[i].merge(row.cells[i + width - 1])
            if width == 1:
                _set_cell_width(cell, widths[i])
            align = "center" if columns[i]["key"] in CENTERED_COLUMNS else "left"
            _fill_cell(cell, text, size=size, align=align)
            i += width


def _add_para(doc: Any, block: dict[str, Any], layout: dict[str, Any]) -> None:
    p = doc.add_paragraph()
    p.alignment = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[block.get("align", "left")]
    fmt = p.paragraph_format
    fmt.space_before = Pt(block.get("space_before", 0))
    fmt.space_after = Pt(block.get("space_after", 0))
    if block.get("role") == "title":
        fmt.keep_with_next = True
    run = p.add_run(block["text"])
    run.bold = block.get("bold") or None
    run.italic = block.get("italic") or None
    run.font.size = Pt(block.get("size") or layout["font_size"])


def _add_signature(doc: Any, block: dict[str, Any], text_width_cm: float) -> None:
    lines: list[str] = block["position"]
    bold = block.get("bold_position", True)
    for i, line in enumerate(lines):
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(block.get("space_before", 0) if i == 0 else 0)
        p.paragraph_format.keep_with_next = i < len(lines) - 1
        p.add_run(line).bold = bold
        if i == len(lines) - 1:
            p.paragraph_format.tab_stops.add_tab_stop(
                Cm(text_width_cm - 0.05), WD_TAB_ALIGNMENT.RIGHT
            )
            p.add_run("\t" + block["name"]).bold = bold


def render_docx(truth: Truth, path: Path) -> None:
    """Draw the document described by `truth` (its `blocks` and `layout`) into a DOCX file."""
    layout = truth["layout"]
    doc = Document()
    _set_normal_style(doc, layout["font"], layout["font_size"])
    text_width = _page_setup(doc, layout)
    for block in truth["blocks"]:
        if block["type"] == "para":
            _add_para(doc, block, layout)
        elif block["type"] == "table":
            _add_table(doc, block, layout, text_width)
        elif block["type"] == "signature":
            _add_signature(doc, block, text_width)
        else:
            raise ValueError(f"unknown block type {block['type']!r}")
    # python-docx's template starts with an empty paragraph only when asked; nothing to strip.
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


def docx_to_pdf(docx: Path, pdf: Path) -> Path:
    """Export `docx` to `pdf` with LibreOffice headless (a private profile, so runs can overlap)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(docx),
            ],
            check=True,
            capture_output=True,
            timeout=900,
        )
        out = tmp_path / (docx.stem + ".pdf")
        if not out.exists():
            raise RuntimeError(f"LibreOffice produced no PDF for {docx}")
        pdf.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(out), pdf)
    return pdf


# ---------------------------------------------------------------------------------------------
# Locating rows in the rendered PDF


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def _join_lines(lines: list[str]) -> str:
    """Join PDF lines the way a reader would: a space, none after a word-final hyphen."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif re.search(r"\S-$", out):
            out += line
        else:
            out += " " + line
    return out


def _first_difference(a: str, b: str) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return i
    return min(len(a), len(b))


def locate_rows(pdf_path: Path, block: dict[str, Any]) -> tuple[int, dict[str, list[int]], list]:
    """Find the first and last page of every logical row of `block` in the PDF.

    Walks the ruled tables page by page (pdfplumber, `lines` strategy), skips repeated header
    rows, and consumes each fragment against the expected text of the current row (whitespace
    removed): a fragment that continues every column of the current row belongs to it, otherwise
    it must start the next row. Returns (page count, ref -> [first, last], line-join
    ambiguities). Raises `ValueError` if a fragment matches neither.
    """
    columns = block["columns"]
    n = len(columns)
    headers = [_squash(c["header"]) for c in columns]
    expected: list[list[str]] = []
    for row in block["rows"]:
        if row["kind"] == "group":
            expected.append([_squash(row["text"])] + [""] * (n - 1))
        else:
            cells = [_squash(c) for c in row["cells"]]  # a spanning cell leaves columns over
            expected.append(cells + [""] * (n - len(cells)))
    consumed = [[0] * n for _ in expected]
    pages: dict[str, list[int]] = {}
    lines_by_cell: dict[tuple[int, int], list[str]] = {}
    current = -1

    def fits(idx: int, frag: list[str]) -> bool:
        return all(
            expected[idx][c].startswith(frag[c], consumed[idx][c]) for c in range(n) if frag[c]
        )

    with pdfplumber.open(pdf_path) as pdf:
        page_count = len(pdf.pages)
        for page_no, page in enumerate(pdf.pages, start=1):
            for table in page.extract_tables():
                for raw in table:
                    cells = [(c or "") for c in raw] + [""] * (n - len(raw))
                    frag = [_squash(c) for c in cells[:n]]
                    if not any(frag) or frag == headers:
                        continue
                    if current >= 0 and fits(current, frag):
                        idx = current
                    elif current + 1 < len(expected) and all(
                        expected[current + 1][c].startswith(frag[c]) for c in range(n)
                    ):
                        idx = current = current + 1
                    else:
                        raise ValueError(
                            f"{pdf_path.name} p{page_no}: fragment {frag[0][:20]!r}/"
                            f"{frag[1][:30]!r} does not continue row {current}"
                        )
                    for c in range(n):
                        consumed[idx][c] += len(frag[c])
                        if cells[c].strip():
                            lines_by_cell.setdefault((idx, c), []).extend(cells[c].split("\n"))
                    ref = block["rows"][idx]["ref"]
                    span = pages.setdefault(ref, [page_no, page_no])
                    span[1] = page_no
            page.close()
    missing = [
        block["rows"][i]["ref"]
        for i in range(len(expected))
        if consumed[i] != [len(x) for x in expected[i]]
    ]
    if missing:
        raise ValueError(f"{pdf_path.name}: rows not fully found: {missing[:5]}")
    ambiguities = []
    for (idx, c), lines in sorted(lines_by_cell.items()):
        row = block["rows"][idx]
        truth = row["text"] if row["kind"] == "group" else row["cells"][c]
        truth_flat = " ".join(truth.split())
        rebuilt = _join_lines(lines)
        if rebuilt != truth_flat:
            at = _first_difference(rebuilt, truth_flat)
            lo = max(0, at - 25)
            ambiguities.append(
                {
                    "ref": row["ref"],
                    "col": columns[c]["key"],
                    "pdf": rebuilt[lo : at + 15],
                    "truth": truth_flat[lo : at + 15],
                }
            )
    return page_count, pages, ambiguities


# ---------------------------------------------------------------------------------------------
# Plan truth helpers


def load_source() -> Truth:
    return json.loads(SOURCE_TRUTH.read_text(encoding="utf-8"))


def _table_block(truth: Truth) -> dict[str, Any]:
    return next(b for b in truth["blocks"] if b["type"] == "table")


def _rebuild_plan(
    truth: Truth,
    measures: list[dict[str, Any]],
    sections: list[dict[str, Any]],
    columns: list[dict[str, str]],
    widths: list[float],
) -> None:
    """Set `truth`'s table rows, `data` and `counts` from measures, sections and column order."""
    table = _table_block(truth)
    table["columns"] = columns
    table["widths_cm"] = widths
    truth["layout"]["widths_cm"] = widths
    rows: list[dict[str, Any]] = []
    for section in sections:
        rows.append(
            {"kind": "group", "level": 1, "text": section["text"], "ref": f"s{section['number']}"}
        )
        for m in measures:
            if m["section"] == section["number"]:
                rows.append(
                    {"kind": "data", "ref": m["id"], "cells": [m[c["key"]] for c in columns]}
                )
    table["rows"] = rows
    truth["data"]["sections"] = sections
    truth["data"]["measures"] = measures
    truth["data"]["columns"] = columns
    classes = Counter(m["status_class"] for m in measures)
    per_section = Counter(m["section"] for m in measures)
    truth["counts"] = {
        "measures": len(measures),
        "sections": len(sections),
        "status_classes": {k: classes.get(k, 0) for k in ALL_CLASSES},
        "measures_per_section": {str(s["number"]): per_section[s["number"]] for s in sections},
    }


def _with_source_fields(measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for m in measures:
        m = dict(m)
        m["source_no"] = m["no"]
        m["status_source"] = m["status"]
        out.append(m)
    return out


def _column(source: Truth, key: str, header: str | None = None) -> dict[str, str]:
    col = next(c for c in _table_block(source)["columns"] if c["key"] == key)
    return {"key": key, "header": header or col["header"]}


def _set_title_year(truth: Truth, year: int) -> None:
    for block in truth["blocks"]:
        if block.get("role") == "title":
            block["text"] = block["text"].replace("2021 рік", f"{year} рік")
    data = truth["data"]
    data["report_year"] = year
    data["title_lines"] = [t.replace("2021 рік", f"{year} рік") for t in data["title_lines"]]
    data["title"] = data["title"].replace("2021 рік", f"{year} рік")


# ---------------------------------------------------------------------------------------------
# Variants


def variant_reworded_reordered(source: Truth) -> Truth:
    truth = copy.deepcopy(source)
    truth["layout"].update(
        {
            "orientation": "landscape",
            "font": "Arial",
            "font_size": 9,
            "margins_cm": [2.0, 1.5, 1.5, 2.0],
        }
    )
    headers = {
        "no": "№ з/п",
        "measure": "Найменування заходу",
        "executor": "Відповідальні виконавці",
        "deadline": "Строк виконання",
        "status": "Стан виконання",
        "justification": "Обґрунтування",
        "evidence": "Підтверджувальні документи або інформація",
    }
    order = ["no", "measure", "deadline", "executor", "evidence", "status", "justification"]
    widths = {
        "no": 1.1, "measure": 5.4, "deadline": 2.6, "executor": 2.8,
        "evidence": 7.1, "status": 2.4, "justification": 4.8,
    }  # fmt: skip
    columns = [_column(source, k, headers[k]) for k in order]
    _rebuild_plan(
        truth,
        _with_source_fields(source["data"]["measures"]),
        source["data"]["sections"],
        columns,
        [widths[k] for k in order],
    )
    truth["source"] = {
        "seed": source["source"]["seed"],
        "derived_from": "plan_2021",
        "mutation": (
            "headers reworded; columns reordered to no, measure, deadline, executor, evidence, "
            "status, justification; landscape, Arial (Liberation Sans) 9 pt; cell text unchanged"
        ),
    }
    return truth


def variant_six_columns_portrait(source: Truth) -> Truth:
    truth = copy.deepcopy(source)
    truth["layout"].update(
        {
            "orientation": "portrait",
            "font": "Liberation Serif",
            "font_size": 10,
            "title_size": 13,
            "margins_cm": [2.0, 1.0, 2.0, 2.0],
        }
    )
    order = ["no", "measure", "executor", "deadline", "status", "evidence"]
    widths = {"no": 1.0, "measure": 4.4, "executor": 2.5, "deadline": 2.3, "status": 2.4,
              "evidence": 4.9}  # fmt: skip
    columns = [_column(source, k) for k in order]
    measures = _with_source_fields(source["data"]["measures"])
    for m in measures:
        m["justification"] = None
    _rebuild_plan(truth, measures, source["data"]["sections"], columns, [widths[k] for k in order])
    for block in truth["blocks"]:
        if block.get("role") == "title":
            block["size"] = 13
    truth["source"] = {
        "seed": source["source"]["seed"],
        "derived_from": "plan_2021",
        "mutation": (
            "justification column removed (6 columns); portrait A4, Liberation Serif 10 pt; "
            "cell text unchanged"
        ),
    }
    return truth


SYNTHETIC_2022_PICK: dict[int, list[int]] = {
    1: [1, 2, 4, 5, 7, 9],
    2: [11, 12, 14],
    3: [15, 16, 17, 19, 21, 22],
    4: [24, 26, 27, 30, 33, 37],
    5: [39, 40, 42, 45],
    6: [47, 49, 50, 53],
    8: [62],
}
"""Source measure numbers kept per source section in the 2022 synthetic report (30 measures;
section 7 is dropped and section 8 becomes section 7)."""

IN_PROGRESS_2022 = {4, 14, 26, 40, 50}
POSTPONED_2022 = {9, 21, 33}
EXECUTOR_CHANGES_2022 = {
    1: "ДОЗ, ДЕФБО",
    12: "ДСЮБГ, УМЗ",
    27: "ДІТЗІ, ДПДП",
    45: "ДГПР, територіальні органи ДМС",
}


def _shift_years(text: str) -> str:
    return re.sub(r"\b(2020|2021)\b", lambda m: str(int(m.group(1)) + 1), text)


def variant_2022_synthetic(source: Truth) -> Truth:
    truth = copy.deepcopy(source)
    truth["layout"].update({"orientation": "landscape", "font": "Times New Roman", "font_size": 11})
    _set_title_year(truth, 2022)
    by_no = {int(m["no"]): m for m in source["data"]["measures"]}
    sections = []
    measures = []
    for new_section, (old_section, picks) in enumerate(SYNTHETIC_2022_PICK.items(), start=1):
        old = next(s for s in source["data"]["sections"] if s["number"] == old_section)
        sections.append(
            {
                "number": new_section,
                "title": old["title"],
                "text": f"Розділ {new_section}. {old['title']}",
            }
        )
        for source_no in picks:
            m = dict(by_no[source_no])
            no = len(measures) + 1
            m.update(
                id=f"m{no}",
                no=str(no),
                section=new_section,
                source_no=str(source_no),
                status_source=m["status"],
            )
            for key in ("measure", "deadline", "evidence"):
                m[key] = _shift_years(m[key])
            if source_no in IN_PROGRESS_2022:
                m["status"] = "Виконується"
                m["evidence"] = "Станом на 31.12.2022 захід триває. " + m["evidence"]
            elif source_no in POSTPONED_2022:
                m["status"] = "Перенесено на 2023 рік"
                m["evidence"] = (
                    "Виконання заходу перенесено на 2023 рік у зв'язку із запровадженням "
                    "воєнного стану."
                )
            m["executor"] = EXECUTOR_CHANGES_2022.get(source_no, m["executor"])
            m["status_class"] = STATUS_CLASSES[m["status"]]
            measures.append(m)
    columns = copy.deepcopy(_table_block(source)["columns"])
    _rebuild_plan(truth, measures, sections, columns, source["layout"]["widths_cm"])
    truth["source"] = {
        "seed": source["source"]["seed"],
        "derived_from": "plan_2021",
        "mutation": (
            "synthetic 2022 report: title year 2022; 30 of the 64 measures (source numbers in "
            "source_no) in 7 sections (source section 7 dropped, 8 renumbered 7); years "
            "2020/2021 shifted +1 in measure, deadline and evidence; 5 statuses set to "
            "'Виконується', 3 to 'Перенесено на 2023 рік' (status_source keeps the original); "
            "4 executors changed; landscape Times New Roman (Liberation Serif) 11 pt"
        ),
    }
    return truth


VARIANTS: dict[str, Callable[[Truth], Truth]] = {
    "plan_2021_reworded_reordered": variant_reworded_reordered,
    "plan_2021_six_columns_portrait": variant_six_columns_portrait,
    "plan_2022_synthetic": variant_2022_synthetic,
}


def render_truth(truth: Truth, out_dir: Path, doc_id: str) -> Truth:
    """Write `<doc_id>.docx`, `.pdf` and `.json` into `out_dir`, filling `pdf` from the PDF."""
    truth["doc_id"] = doc_id
    truth["files"] = {"pdf": f"{doc_id}.pdf", "docx": f"{doc_id}.docx"}
    docx = out_dir / f"{doc_id}.docx"
    pdf = out_dir / f"{doc_id}.pdf"
    layout = truth["layout"]
    width = (A4_CM[1] if layout["orientation"] == "landscape" else A4_CM[0]) - (
        layout["margins_cm"][1] + layout["margins_cm"][3]
    )
    table = _table_block(truth)
    # `widths_cm` are the preferred widths; these are the ones drawn after fitting long words.
    layout["widths_drawn_cm"] = fit_widths(
        table, table["widths_cm"], layout["font"], table.get("font_size") or layout["font_size"],
        width,
    )  # fmt: skip
    render_docx(truth, docx)
    docx_to_pdf(docx, pdf)
    try:
        pages, rows, ambiguities = locate_rows(pdf, _table_block(truth))
        truth["pdf"] = {
            "file": pdf.name,
            "pages": pages,
            "rows": rows,
            "line_join_ambiguities": ambiguities,
        }
    except ValueError as e:
        with pdfplumber.open(pdf) as doc:
            pages = len(doc.pages)
        truth["pdf"] = {"file": pdf.name, "pages": pages, "line_join_ambiguities": None}
        truth["source"]["mutation"] += f"; pdf.rows omitted: rows could not be located ({e})"
    (out_dir / f"{doc_id}.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return truth


def make_variants() -> None:
    source = load_source()
    VARIANTS_DIR.mkdir(parents=True, exist_ok=True)
    for doc_id, build in VARIANTS.items():
        truth = render_truth(build(source), VARIANTS_DIR, doc_id)
        print(doc_id, truth["pdf"]["pages"], "pages", json.dumps(truth["counts"]))
    SAMPLES_DIR.mkdir(exist_ok=True)
    shutil.copyfile(VARIANTS_DIR / "plan_2022_synthetic.docx", SAMPLES_DIR / "plan_2022.docx")
    shutil.copyfile(PLAN_DIR / "plan_2021.pdf", SAMPLES_DIR / "plan_2021.pdf")


# ---------------------------------------------------------------------------------------------
# Anticorruption-programme variants


def _shift_all_years(node: Any) -> Any:
    """Every year 2016-2020 in every string of a truth, shifted +1 (texts and data stay equal)."""
    if isinstance(node, str):
        return re.sub(r"\b(201[6-9]|2020)\b", lambda m: str(int(m.group(1)) + 1), node)
    if isinstance(node, list):
        return [_shift_all_years(x) for x in node]
    if isinstance(node, dict):
        return {k: _shift_all_years(v) for k, v in node.items()}
    return node


def _anticorruption_variant(source: Truth, mutation: str, **layout: Any) -> Truth:
    truth = copy.deepcopy(source)
    truth["layout"].update(layout)
    if "widths_cm" in layout:
        _table_block(truth)["widths_cm"] = list(layout["widths_cm"])
    truth["source"] = {"seed": source["source"]["seed"], "derived_from": source["doc_id"],
                       "mutation": mutation}  # fmt: skip
    return truth


def anticorruption_2020_synthetic(source: Truth) -> Truth:
    truth = _shift_all_years(source)
    truth["data"]["programme_year"] = 2020
    return _anticorruption_variant(
        truth, "every year 2016-2020 in every text shifted +1 (programme year 2020)"
    )


def anticorruption_2019_widths(source: Truth) -> Truth:
    widths = [1.0, 6.0, 4.2, 6.0, 8.0]
    return _anticorruption_variant(source, f"column widths {widths} cm", widths_cm=widths)


def anticorruption_2019_portrait(source: Truth) -> Truth:
    widths = [1.0, 4.5, 2.6, 3.2, 6.2]
    return _anticorruption_variant(
        source, f"portrait A4, column widths {widths} cm", orientation="portrait", widths_cm=widths
    )


ANTICORRUPTION_VARIANTS: dict[str, Callable[[Truth], Truth]] = {
    "anticorruption_2020_synthetic": anticorruption_2020_synthetic,
    "anticorruption_2019_widths": anticorruption_2019_widths,
    "anticorruption_2019_portrait": anticorruption_2019_portrait,
}


def make_anticorruption_variants() -> None:
    source = json.loads((ANTICORRUPTION_DIR / "anticorruption_2019.json").read_text("utf-8"))
    ANTICORRUPTION_VARIANTS_DIR.mkdir(parents=True, exist_ok=True)
    for doc_id, build in ANTICORRUPTION_VARIANTS.items():
        truth = render_truth(build(source), ANTICORRUPTION_VARIANTS_DIR, doc_id)
        print(doc_id, truth["pdf"]["pages"], "pages", json.dumps(truth["counts"]))


# ---------------------------------------------------------------------------------------------
# Bad inputs

LETTER: Truth = {
    "layout": {
        "orientation": "portrait",
        "font": "Times New Roman",
        "font_size": 12,
        "margins_cm": [2.0, 1.5, 2.0, 2.5],
        "widths_cm": [],
    },
    "blocks": [
        {"type": "para", "text": "ДЕРЖАВНА МІГРАЦІЙНА СЛУЖБА УКРАЇНИ", "align": "center",
         "bold": True, "size": 13, "space_after": 12},
        {"type": "para", "text": "Департамент організаційної роботи", "align": "right"},
        {"type": "para", "text": "Щодо надання інформації", "bold": True, "space_before": 12,
         "space_after": 12},
        {"type": "para", "align": "justify", "space_after": 6, "text": (
            "Відповідно до листа від 12.01.2022 № 4.1.3-112/1-22 повідомляємо, що звіт про "
            "результати виконання Плану роботи Державної міграційної служби України за 2021 рік "
            "буде надіслано після його затвердження. Інформацію територіальних органів ДМС "
            "узагальнено у встановлений строк.")},
        {"type": "para", "align": "justify", "space_after": 6, "text": (
            "Просимо врахувати, що окремі заходи перенесено на наступний рік у зв'язку з "
            "відсутністю фінансування, про що буде зазначено у відповідному розділі звіту.")},
        {"type": "signature", "position": ["Заступник директора Департаменту",
                                           "організаційної роботи"],
         "name": "Тетяна КАСЯН", "bold_position": True, "space_before": 24},
    ],
}  # fmt: skip


def _cid_pdf() -> bytes:
    """A one-page PDF with a ruled 2x2 table whose text is in an Identity-H font with no
    ToUnicode map, so pdfminer can only return `(cid:NN)` glyph codes."""
    cells = [(72, 700, "0031 0032 0033"), (272, 700, "0044 0045"),
             (72, 660, "0024 0025 0026"), (272, 660, "0057 0058 0059")]  # fmt: skip
    ops = ["0.5 w", "72 640 m 472 640 l S", "72 680 m 472 680 l S", "72 720 m 472 720 l S",
           "72 640 m 72 720 l S", "272 640 m 272 720 l S", "472 640 m 472 720 l S"]  # fmt: skip
    for x, y, glyphs in cells:
        hexes = glyphs.replace(" ", "")
        ops.append(f"BT /F1 12 Tf {x + 6} {y + 4} Td <{hexes}> Tj ET")
    content = "\n".join(ops).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Unmapped /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Unmapped "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 7 0 R /DW 600 /CIDToGIDMap /Identity >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+Unmapped /Flags 4 "
        b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 "
        b"/CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_bad_fixtures(out_dir: Path = BAD_DIR) -> None:
    """Write the unreadable or odd inputs the reading layer must reject with a reason."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "empty.pdf").write_bytes(b"")
    (out_dir / "not_a_pdf.pdf").write_text(
        "Звіт про виконання плану роботи буде надіслано окремо.\n"
        "This is a plain text file with a .pdf name.\n",
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        letter_docx = tmp_path / "letter.docx"
        render_docx(LETTER, letter_docx)
        docx_to_pdf(letter_docx, out_dir / "no_table.pdf")
        subprocess.run(
            ["qpdf", "--encrypt", "user", "owner", "256", "--",
             str(out_dir / "no_table.pdf"), str(out_dir / "encrypted.pdf")],
            check=True,
        )  # fmt: skip
        source_pdf = VARIANTS_DIR / "plan_2021_six_columns_portrait.pdf"
        data = source_pdf.read_bytes()
        (out_dir / "truncated.pdf").write_bytes(data[: int(len(data) * 0.4)])
        subprocess.run(
            ["pdftoppm", "-r", "60", "-f", "1", "-l", "2", "-png",
             str(PLAN_DIR / "plan_2021.pdf"), str(tmp_path / "scan")],
            check=True,
        )  # fmt: skip
        from PIL import Image

        images = [Image.open(p).convert("L") for p in sorted(tmp_path.glob("scan*.png"))]
        images[0].save(
            out_dir / "scanned.pdf", "PDF", resolution=60.0, save_all=True,
            append_images=images[1:],
        )  # fmt: skip
    shutil.copyfile(
        VARIANTS_DIR / "plan_2021_six_columns_portrait.docx", out_dir / "docx_renamed.pdf"
    )
    (out_dir / "cid_fonts.pdf").write_bytes(_cid_pdf())


# ---------------------------------------------------------------------------------------------
# Long report for benchmarks


def long_truth(source: Truth, copies: int = 6) -> Truth:
    """The source plan repeated `copies` times, sections and measures renumbered to stay unique."""
    truth = copy.deepcopy(source)
    sections, measures = [], []
    for _ in range(copies):
        section_map = {}
        for s in source["data"]["sections"]:
            number = len(sections) + 1
            section_map[s["number"]] = number
            sections.append(
                {"number": number, "title": s["title"], "text": f"Розділ {number}. {s['title']}"}
            )
        for m in source["data"]["measures"]:
            no = len(measures) + 1
            m = dict(m, source_no=m["no"], status_source=m["status"])
            m.update(id=f"m{no}", no=str(no), section=section_map[m["section"]])
            measures.append(m)
    columns = _table_block(source)["columns"]
    _rebuild_plan(truth, measures, sections, columns, source["layout"]["widths_cm"])
    truth["source"] = {
        "seed": source["source"]["seed"],
        "derived_from": "plan_2021",
        "mutation": f"content repeated {copies} times, sections and measures renumbered",
    }
    return truth


def make_long(pdf_path: Path = LONG_PDF, copies: int = 6) -> Path:
    """Render the long plan report (about 300 pages) to `pdf_path`."""
    truth = long_truth(load_source(), copies)
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / "plan_long.docx"
        render_docx(truth, docx)
        docx_to_pdf(docx, pdf_path)
    return pdf_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["variants", "anticorruption", "bad", "long", "all"])
    args = parser.parse_args()
    if args.what in ("variants", "all"):
        make_variants()
    if args.what in ("anticorruption", "all"):
        make_anticorruption_variants()
    if args.what in ("bad", "all"):
        make_bad_fixtures()
    if args.what in ("long", "all"):
        print(make_long())


if __name__ == "__main__":
    main()
