"""Bad and odd inputs the reading layer must reject with a reason: `tests/fixtures/bad/`.

What each file is and the outcome it must end with: `tests/fixtures/bad/README.md`. Needs
LibreOffice, qpdf and poppler-utils (`pdftoppm`), and the committed plan variants.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tools.base import ROOT, Truth, docx_to_pdf, load_truth, render_docx
from tools.plan_execution import GENERATOR as PLANS

BAD_DIR = ROOT / "tests" / "fixtures" / "bad"
PLAN_DIR = PLANS.folder
VARIANTS_DIR = PLAN_DIR / "variants"

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
    make_zebra(out_dir)


def make_zebra(out_dir: Path = BAD_DIR, rows: int = 14) -> Path:
    """`zebra_rows.pdf`: the plan's first `rows` table rows printed by Chromium with no rules,
    every other row shaded: only the shaded rows read as boxes (needs Chromium)."""
    from tools.producers import render_chromium

    truth = load_truth(PLAN_DIR / "plan_2021.json")
    table = next(b for b in truth["blocks"] if b["type"] == "table")
    table["rows"] = table["rows"][:rows]
    out = out_dir / "zebra_rows.pdf"
    render_chromium(truth, out, rules="zebra")
    return out
