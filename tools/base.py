"""What every document type's generator shares: truth files, DOCX and PDF rendering, the generator.

A truth file (schema `zvit-corpus-truth/1`, see `../shared/corpus/README.md`) describes a document
as `blocks` (para / table / signature) plus a `layout` dict (orientation, font, sizes, margins,
column widths). `render_docx` draws it with python-docx the way the originals were made: a real
Word table whose header row repeats on every page (`w:tblHeader`), section rows merged across all
columns, rows allowed to break across pages. `docx_to_pdf` exports the PDF with LibreOffice
(`soffice --headless --convert-to pdf`), and `locate_rows` finds the page span of every table row
in that PDF with pdfplumber, which fills the truth's `pdf.rows`. `render_truth` does all three and
writes the truth JSON; a type module describes its variants with a `Generator` (see `__main__`).
"""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
DOCUMENTS_DIR = ROOT / "tests" / "fixtures" / "documents"
SAMPLES_DIR = ROOT / "samples"

Truth = dict[str, Any]

A4_CM = (21.0, 29.7)
CENTERED_COLUMNS = {"no", "deadline", "status"}
"""Columns (by key) drawn centred, as in the samples; all others are left-aligned."""


# ---------------------------------------------------------------------------------------------
# DOCX rendering

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _set_cell_width(cell: _Cell, width_cm: float) -> None:
    cell.width = Cm(width_cm)


def _fill_cell(
    cell: _Cell, text: str, *, size: float, bold: bool = False, align: str = "left"
) -> None:
    """Write `text` into `cell`, one paragraph per line, with no extra spacing."""
    alignment = ALIGN[align]
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


GRID_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")
ROW_EDGES = ("top", "bottom", "insideH")
"""A table ruled between its rows only (no side or column rules)."""


def _set_table_borders(table: Any, edges: tuple[str, ...] = GRID_EDGES) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in edges:
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


def text_width_cm(layout: dict[str, Any]) -> float:
    """The width between the margins of an A4 page in the layout's orientation."""
    short, long_ = A4_CM
    width = long_ if layout["orientation"] == "landscape" else short
    _, right, _, left = layout["margins_cm"]
    return width - left - right


def _page_setup(doc: Any, layout: dict[str, Any]) -> float:
    """Set orientation, size and margins; return the text width in cm."""
    section = doc.sections[0]
    short, long_ = A4_CM
    if layout["orientation"] == "landscape":
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(long_), Cm(short)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(short), Cm(long_)
    top, right, bottom, left = layout["margins_cm"]
    section.top_margin, section.right_margin = Cm(top), Cm(right)
    section.bottom_margin, section.left_margin = Cm(bottom), Cm(left)
    return text_width_cm(layout)


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


def _add_table(
    doc: Any,
    block: dict[str, Any],
    layout: dict[str, Any],
    total_cm: float,
    vertical_merges: bool,
    edges: tuple[str, ...] = GRID_EDGES,
) -> None:
    columns = block["columns"]
    size = block.get("font_size") or layout["font_size"]
    widths = fit_widths(
        block, block.get("widths_cm") or layout["widths_cm"], layout["font"], size, total_cm
    )
    n = len(columns)
    table = doc.add_table(rows=0, cols=n)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_table_borders(table, edges)
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
    if vertical_merges:
        _merge_vertically(table, block)


def _merge_vertically(table: Any, block: dict[str, Any]) -> None:
    """Merge the cells a row marks `vmerge` (column indexes) into the cell above, as the corpus
    render of the ITA reports does. The cell below is empty (the merged text lives above), so the
    merge keeps none of it."""
    offset = 1 if block.get("header", True) else 0
    for r, row in enumerate(block["rows"]):
        for col in row.get("vmerge", []):
            top = r - 1
            while top > 0 and col in block["rows"][top].get("vmerge", []):
                top -= 1
            table.cell(top + offset, col).merge(table.cell(r + offset, col))


def _add_para(doc: Any, block: dict[str, Any], layout: dict[str, Any]) -> None:
    p = doc.add_paragraph()
    p.alignment = ALIGN[block.get("align", "left")]
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


def render_docx(
    truth: Truth,
    path: Path,
    *,
    vertical_merges: bool = False,
    edges: tuple[str, ...] = GRID_EDGES,
) -> None:
    """Draw the document described by `truth` (its `blocks` and `layout`) into a DOCX file.

    Every table cell is drawn on its own unless `vertical_merges`: then the cells a row marks
    `vmerge` are merged into the cell above (the anticorruption variants were drawn without).
    `edges`: the table borders drawn (`ROW_EDGES`: the rows' rules only)."""
    layout = truth["layout"]
    doc = Document()
    _set_normal_style(doc, layout["font"], layout["font_size"])
    text_width = _page_setup(doc, layout)
    for block in truth["blocks"]:
        if block["type"] == "para":
            _add_para(doc, block, layout)
        elif block["type"] == "table":
            _add_table(doc, block, layout, text_width, vertical_merges, edges)
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


def _tables_closed(page: Any) -> list[list[list[str | None]]]:
    """`extract_tables` with a ruling line added where the page's column rules start and end: a
    producer that leaves the page-break edge of a split row open (Chromium) loses that piece
    of the row otherwise."""
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    if not verticals:
        return page.extract_tables()
    ys = sorted({min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)})
    return page.extract_tables({"explicit_horizontal_lines": ys})


def locate_rows(
    pdf_path: Path, block: dict[str, Any], *, same_width: bool = False
) -> tuple[int, dict[str, list[int]], list]:
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
            for table in _tables_closed(page) if same_width else page.extract_tables():
                if same_width and table and len(table[0]) != n:
                    continue
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
# Truth files


def load_truth(path: Path) -> Truth:
    return json.loads(path.read_text(encoding="utf-8"))


def write_truth(truth: Truth, path: Path) -> None:
    """Write a truth file as the corpus does: UTF-8, one space of indent, a final newline."""
    path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def table_block(truth: Truth, table_id: str | None = None) -> dict[str, Any]:
    """The table block with id `table_id`, or the first table."""
    return next(
        b for b in truth["blocks"] if b["type"] == "table" and table_id in (None, b.get("id"))
    )


def derive(source: Truth, mutation: str, **layout: Any) -> Truth:
    """A copy of `source` to mutate into a variant: `layout` keys replaced, provenance noted."""
    truth = copy.deepcopy(source)
    truth["layout"].update(layout)
    truth["source"] = {
        "seed": source["source"]["seed"],
        "derived_from": source["doc_id"],
        "mutation": mutation,
    }
    return truth


def shift_years(node: Any, years: Iterable[int]) -> Any:
    """`node` (a string, or every string in a list or dict) with each of `years` written as a
    whole word replaced by the next year."""
    pattern = r"\b(" + "|".join(str(y) for y in years) + r")\b"
    if isinstance(node, str):
        return re.sub(pattern, lambda m: str(int(m.group(1)) + 1), node)
    if isinstance(node, list):
        return [shift_years(x, years) for x in node]
    if isinstance(node, dict):
        return {k: shift_years(v, years) for k, v in node.items()}
    return node


def page_count(pdf: Path) -> int:
    with pdfplumber.open(pdf) as doc:
        return len(doc.pages)


def render_truth(
    truth: Truth,
    out_dir: Path,
    doc_id: str,
    *,
    table_id: str | None = None,
    record_widths: bool = True,
    vertical_merges: bool = False,
    unlocated: Callable[[Path, Truth], dict[str, Any]] | None = None,
) -> Truth:
    """Write `<doc_id>.docx`, `.pdf` and `.json` into `out_dir`, filling `pdf` from the PDF.

    The rows located are those of table `table_id` (default: the first table); `record_widths`
    notes that table's widths as drawn (`layout.widths_drawn_cm`, after fitting long words). If
    the rows cannot be located, `pdf` keeps the page count, what `unlocated(pdf, truth)` returns
    (default: no line-join ambiguities) and the mutation says why.
    """
    truth["doc_id"] = doc_id
    truth["files"] = {"pdf": f"{doc_id}.pdf", "docx": f"{doc_id}.docx"}
    docx = out_dir / f"{doc_id}.docx"
    pdf = out_dir / f"{doc_id}.pdf"
    table = table_block(truth, table_id)
    if record_widths:
        layout = truth["layout"]
        size = table.get("font_size") or layout["font_size"]
        layout["widths_drawn_cm"] = fit_widths(
            table, table["widths_cm"], layout["font"], size, text_width_cm(layout)
        )
    render_docx(truth, docx, vertical_merges=vertical_merges)
    docx_to_pdf(docx, pdf)
    try:
        pages, rows, ambiguities = locate_rows(pdf, table)
        truth["pdf"] = {
            "file": pdf.name,
            "pages": pages,
            "rows": rows,
            "line_join_ambiguities": ambiguities,
        }
    except ValueError as e:
        rest = unlocated(pdf, truth) if unlocated else {"line_join_ambiguities": None}
        truth["pdf"] = {"file": pdf.name, "pages": page_count(pdf), **rest}
        truth["source"]["mutation"] += f"; pdf.rows omitted: rows could not be located ({e})"
    write_truth(truth, out_dir / f"{doc_id}.json")
    return truth


# ---------------------------------------------------------------------------------------------
# A document type's generator


@dataclass(frozen=True)
class Generator:
    """One document type's generated fixtures: variants of one source truth, each rendered into
    `tests/fixtures/documents/<doc_type>/variants/`, and the copies that `samples/` holds."""

    doc_type: str
    """The type's name, as in `transforms/`: its fixtures folder and its command-line target."""
    source: str
    """The file name of the truth the variants are made from, in the type's fixtures folder."""
    variants: dict[str, Callable[[Truth], Truth]]
    """doc_id -> function making that variant's truth from the source truth (not changing it)."""
    samples: dict[str, str] = field(default_factory=dict)
    """`samples/` file name -> the file it copies: a variant (the one just written, else the
    committed one) or a file in the type's folder."""
    render: Callable[[Truth, Path, str], Truth] = render_truth
    """Writes one variant's DOCX, PDF and truth JSON (`render_truth`, or it with options)."""

    @property
    def folder(self) -> Path:
        return DOCUMENTS_DIR / self.doc_type

    def load_source(self) -> Truth:
        return load_truth(self.folder / self.source)

    def generate(
        self,
        doc_ids: Iterable[str] = (),
        out_dir: Path | None = None,
        samples_dir: Path = SAMPLES_DIR,
    ) -> list[Truth]:
        """Render the variants `doc_ids` (all by default) into `out_dir` (default: the type's
        `variants/`), then refresh the samples in `samples_dir`."""
        doc_ids = list(doc_ids) or list(self.variants)
        unknown = [d for d in doc_ids if d not in self.variants]
        if unknown:
            raise ValueError(f"{self.doc_type} has no variant {', '.join(unknown)}")
        out_dir = out_dir or self.folder / "variants"
        out_dir.mkdir(parents=True, exist_ok=True)
        source = self.load_source()
        truths = []
        for doc_id in doc_ids:
            truth = self.render(self.variants[doc_id](source), out_dir, doc_id)
            print(
                doc_id,
                truth["pdf"]["pages"],
                "pages",
                json.dumps(truth["counts"], ensure_ascii=False),
            )
            truths.append(truth)
        samples_dir.mkdir(parents=True, exist_ok=True)
        for sample, name in self.samples.items():
            places = (out_dir, self.folder / "variants", self.folder)
            shutil.copyfile(
                next(p / name for p in places if (p / name).exists()), samples_dir / sample
            )
        return truths
