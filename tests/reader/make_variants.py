"""Generate the reader's variant documents: a DOCX with python-docx and its PDF by LibreOffice.

Run `python tests/reader/make_variants.py` (needs `soffice`); the outputs are committed so tests
never need LibreOffice. Each variant's logical rows are written beside it as JSON: the DOCX and the
PDF must both read back to exactly those rows.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

OUT = Path(__file__).resolve().parent / "variants"
WORDS = [
    "забезпечити",
    "проведення",
    "моніторингу",
    "виконання",
    "заходів",
    "територіальних",
    "органів",
    "міграційної",
    "служби",
    "щодо",
    "оформлення",
    "документів",
    "іноземцям",
    "особам",
    "без",
    "громадянства",
    "відповідно",
    "вимог",
    "законодавства",
    "України",
    "звітному",
    "періоді",
    "здійснено",
    "перевірок",
    "підготовлено",
    "аналітичну",
    "довідку",
    "направлено",
    "листи",
    "до",
    "Міністерства",
    "внутрішніх",
    "справ",
    "організовано",
    "навчання",
    "працівників",
]


def _text(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _bold_cell(cell, text: str) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text)
    run.bold = True


def build(
    name: str,
    landscape: bool,
    widths: list[float],
    seed: int,
    numbering: bool = False,
    two_row_header: bool = False,
) -> None:
    """One variant: title, a long table (group rows, a partial span, a vertical merge running
    over a page break, rows breaking across pages), a signature with a tab."""
    rng = random.Random(seed)
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    doc.styles["Normal"].font.size = Pt(10)
    for line in ("ЗВІТ", f"про виконання плану ({name})"):
        doc.add_paragraph().add_run(line).bold = True
    headers = ["№ з/п", "Найменування заходу", "Відповідальні", "Строк", "Стан виконання"]
    headers = headers[: len(widths)]
    n = len(widths)
    table = doc.add_table(rows=1, cols=n)
    table.style = "Table Grid"
    for j, h in enumerate(headers):
        _bold_cell(table.rows[0].cells[j], h)
    _repeat_header(table.rows[0])
    if two_row_header:  # "Виконання" over the last two columns, the others merged down
        sub = table.add_row()
        _repeat_header(sub)
        for j in range(n - 2):
            table.rows[0].cells[j].merge(sub.cells[j])
        top = table.rows[0].cells[n - 2].merge(table.rows[0].cells[n - 1])
        _bold_cell(top, "Виконання")
        _bold_cell(sub.cells[n - 2], "план")
        _bold_cell(sub.cells[n - 1], "факт")
        headers = [*headers[: n - 2], "Виконання план", "Виконання факт"]
    if numbering:  # a row of column numbers under the header, repeated on every page
        row = table.add_row()
        for j in range(n):
            row.cells[j].text = str(j + 1)
        _repeat_header(row)
    rows: list[dict] = []
    number = 0
    for section_no in range(1, 4):
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[n - 1])
        _bold_cell(merged, f"Розділ {section_no}. {_text(rng, 6)}")
        rows.append({"kind": "group", "cells": [merged.text]})
        for k in range(7):
            number += 1
            row = table.add_row()
            cells = [str(number)] + [_text(rng, rng.randint(8, 90)) for _ in range(n - 1)]
            want = {"kind": "data", "cells": list(cells), "vmerge": [], "span": {}}
            if section_no == 2 and k == 3:
                # the last two columns spanned by one cell
                merged = row.cells[n - 2].merge(row.cells[n - 1])
                cells[n - 1] = ""
                want["cells"][n - 1] = ""
                want["span"] = {str(n - 2): 2}
                for j in range(n - 2):
                    row.cells[j].text = cells[j]
                merged.text = cells[n - 2]
            elif section_no == 3 and k == 2:
                # column 2 merged down over the next row, with a long text
                cells[2] = _text(rng, 260)
                for j in range(n):
                    row.cells[j].text = cells[j]
                want["cells"] = list(cells)
                rows.append(want)
                number += 1
                nxt = table.add_row()
                nxt_cells = [str(number), _text(rng, 20), "", _text(rng, 4), _text(rng, 10)][:n]
                for j in range(n):
                    if j != 2:
                        nxt.cells[j].text = nxt_cells[j]
                row.cells[2].merge(nxt.cells[2])
                rows.append({"kind": "data", "cells": nxt_cells, "vmerge": [2], "span": {}})
                continue
            else:
                for j in range(n):
                    row.cells[j].text = cells[j]
            rows.append(want)
    for row in table.rows:
        for j, w in enumerate(widths):
            row.cells[j].width = Cm(w)
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(18)
    p.add_run("Начальник відділу\tОлена ПЕТРЕНКО").bold = True
    OUT.mkdir(exist_ok=True)
    docx_path = OUT / f"{name}.docx"
    doc.save(docx_path)
    truth = {"header": headers, "rows": rows, "title": ["ЗВІТ"], "signer": "Олена ПЕТРЕНКО"}
    (OUT / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(OUT), str(docx_path)],
        check=True,
        capture_output=True,
    )


def main() -> int:
    build("portrait_5col", landscape=False, widths=[1.2, 6.0, 3.5, 2.3, 4.0], seed=1)
    build("landscape_4col", landscape=True, widths=[1.5, 9.0, 5.0, 10.0], seed=2)
    build(
        "two_row_header",
        landscape=True,
        widths=[1.2, 10.0, 6.0, 4.0, 4.0],
        seed=4,
        two_row_header=True,
    )
    build("numbered_header", landscape=False, widths=[1.0, 7.0, 4.0, 5.0], seed=3, numbering=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
