"""Documents that cannot be read fail with a reason code and a message free of parser text."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from reader_golden import FIXTURES

from reader import DocumentError, ReaderSettings, read_document
from reader.errors import REASONS

PLAN_PDF = FIXTURES / "plan_execution/plan_2021.pdf"
PLAN_DOCX = FIXTURES / "plan_execution/plan_2021.docx"
CID_FONTS = FIXTURES.parent / "bad" / "cid_fonts.pdf"


def _code(path: Path, settings: ReaderSettings | None = None) -> DocumentError:
    with pytest.raises(DocumentError) as info:
        if settings is None:
            read_document(path)
        else:
            read_document(path, settings)
    err = info.value
    assert str(err).startswith(REASONS[err.code])
    return err


def _minimal_pdf(
    extra_objects: list[bytes], trailer_extra: bytes, page_extra: bytes = b""
) -> bytes:
    """A one-page PDF with a correct xref table, plus extra objects and trailer entries."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] %s >>" % page_extra,
        *extra_objects,
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return out


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _code(path).code == "empty"


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "random.pdf"
    path.write_bytes(os.urandom(4096).replace(b"%PDF-", b"xxxxx").replace(b"PK", b"xx"))
    assert _code(path).code == "not_a_document"


def test_truncated_pdf(tmp_path: Path) -> None:
    data = PLAN_PDF.read_bytes()
    path = tmp_path / "half.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert _code(path).code == "truncated"


def test_pdf_with_damaged_structure(tmp_path: Path) -> None:
    """A PDF header and an end marker with nothing parseable between them: no raw bytes leak."""
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n\x00\x01garbage \xff\xfe stream\n%%EOF\n")
    err = _code(path)
    assert err.code in {"truncated", "extract_error"}
    assert "garbage" not in str(err) and "Root" not in str(err)


def test_docx_renamed_pdf_is_read_as_docx(tmp_path: Path) -> None:
    path = tmp_path / "plan_2021.pdf"
    shutil.copy(PLAN_DOCX, path)
    doc = read_document(path)
    assert doc.format == "docx"
    assert doc.file_name == "plan_2021.pdf"
    assert len(doc.tables) == 1


def test_image_only_pdf(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (300, 400), "white").save(path, "PDF")
    assert _code(path).code == "no_text_layer"


def test_pdf_without_tables_is_still_a_document(tmp_path: Path) -> None:
    """No table is for the type layer to judge: the reader returns the text it found."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    content = b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    page = b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R"
    path = tmp_path / "text.pdf"
    path.write_bytes(_minimal_pdf([font, stream], b"", page_extra=page))
    doc = read_document(path)
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs] == ["Hello"]
    assert doc.paragraphs[0].page == 1


def test_encrypted_pdf(tmp_path: Path) -> None:
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>"
    )
    ident = b"<" + b"0123456789abcdef" * 2 + b">"
    path = tmp_path / "locked.pdf"
    path.write_bytes(_minimal_pdf([encrypt], b"/Encrypt 4 0 R /ID [" + ident + ident + b"]"))
    assert _code(path).code == "encrypted"


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
def test_unmapped_glyphs(engine: str) -> None:
    """(cid:NN) text is never loaded: the document is refused (fonts without a ToUnicode map;
    the pdfium engine reads the page's characters as columns, not through `page.chars`)."""
    err = _code(CID_FONTS, ReaderSettings(pdf_engine=engine))
    assert err.code == "unmapped_glyphs"


def test_zip_without_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert _code(path).code == "not_a_document"


def test_damaged_zip(tmp_path: Path) -> None:
    data = PLAN_DOCX.read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    assert _code(path).code == "truncated"


def test_zip_bomb_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        zf.writestr("word/media/zeros.bin", b"\0" * (4 * 1024 * 1024))
    err = _code(path)
    assert err.code == "resource_limit"
    assert "expands" in err.detail


def test_zip_declared_size_limit() -> None:
    err = _code(PLAN_DOCX, ReaderSettings(max_uncompressed_bytes=1000))
    assert err.code == "resource_limit"
    assert "uncompressed" in err.detail


def test_zip_entry_count_limit(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", b"<w:document/>")
        for i in range(20):
            zf.writestr(f"x/{i}", b"")
    path = tmp_path / "many.docx"
    path.write_bytes(buffer.getvalue())
    err = _code(path, ReaderSettings(max_zip_entries=10))
    assert err.code == "resource_limit"
    assert "members" in err.detail


def test_pdf_renamed_docx_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "card.docx"
    shutil.copy(FIXTURES / "service_card/service_card_immigration.pdf", path)
    doc = read_document(str(path))
    assert doc.format == "pdf" and doc.pages == 4


def test_a_page_without_text_is_reported(tmp_path: Path) -> None:
    """A scanned page among text pages: the document reads, the page is named in a warning."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    content = b"BT /F1 12 Tf 20 100 Td (Hello) Tj ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    page = b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R"
    blank = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    data = _minimal_pdf([font, stream, blank], b"", page_extra=page)
    data = data.replace(b"/Kids [3 0 R] /Count 1", b"/Kids [3 0 R 6 0 R] /Count 2")
    path = tmp_path / "two.pdf"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.pages == 2
    assert doc.warnings == ["page 2: no text layer"]


def test_a_ruled_box_around_text_is_text(tmp_path: Path) -> None:
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    content = b"10 80 150 40 re S BT /F1 12 Tf 20 100 Td (Boxed note) Tj ET"
    stream = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)
    page = b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R"
    path = tmp_path / "box.pdf"
    path.write_bytes(_minimal_pdf([font, stream], b"", page_extra=page))
    doc = read_document(path)
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs] == ["Boxed note"]


def test_padding_after_the_end_marker_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "padded.pdf"
    path.write_bytes(
        (FIXTURES / "service_card/service_card_immigration.pdf").read_bytes() + b"\0" * 4000
    )
    assert read_document(path).pages == 4


def test_rows_without_rules_between_table_pieces_are_refused() -> None:
    """A banded table with no rules reads as boxes around the shaded rows only: the rows between
    them would vanish without a word, so the document is refused, naming the page."""
    err = _code(FIXTURES.parent / "bad" / "zebra_rows.pdf")
    assert err.code == "unread_rows"
    assert err.detail.startswith("page 1: ")
