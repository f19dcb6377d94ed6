"""DOCX tables built in the test: header rows, spans, vertical merges, body order, damage."""

from __future__ import annotations

import zipfile
from pathlib import Path

from docx import Document as new_docx

from reader import DocumentError, read_document


def _make(path: Path, bold_header: bool = True) -> None:
    doc = new_docx()
    doc.add_paragraph("Назва")
    table = doc.add_table(rows=5, cols=4)
    for j, text in enumerate(["№", "Захід", "Виконавець", "Стан"]):
        cell = table.rows[0].cells[j]
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = bold_header
    group = table.rows[1].cells[0].merge(table.rows[1].cells[3])
    group.text = "Розділ 1"
    for j, text in enumerate(["1", "Перший", "ДОЗ", "Виконано"]):
        table.rows[2].cells[j].text = text
    table.rows[3].cells[0].text = "2"
    table.rows[3].cells[1].text = "Другий"
    table.rows[2].cells[2].merge(table.rows[3].cells[2])
    table.rows[3].cells[3].text = "Виконано"
    table.rows[4].cells[0].text = "3"
    span = table.rows[4].cells[1].merge(table.rows[4].cells[3])
    span.text = "Текст на три колонки"
    cell = table.rows[2].cells[1]
    cell.add_paragraph("другий абзац")
    doc.add_paragraph("Між таблицями")
    doc.add_table(rows=1, cols=2).rows[0].cells[0].text = "Ключ 1"
    doc.add_paragraph("Підпис\tІм'я ПРІЗВИЩЕ")
    doc.save(path)


def test_docx_table_structure(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    _make(path)
    doc = read_document(path)
    assert [type(b).__name__ for b in doc.blocks] == [
        "Paragraph",
        "Table",
        "Paragraph",
        "Table",
        "Paragraph",
        "Paragraph",
    ]
    table, second = doc.tables
    assert table.header == ["№", "Захід", "Виконавець", "Стан"]
    assert [r.kind for r in table.rows] == ["group", "data", "data", "data"]
    assert table.rows[0].cells == ["Розділ 1"]
    assert table.rows[1].cells == ["1", "Перший другий абзац", "ДОЗ", "Виконано"]
    assert table.rows[2].cells == ["2", "Другий", "", "Виконано"]
    assert table.rows[2].vmerge == [2]
    assert table.rows[3].cells == ["3", "Текст на три колонки", "", ""]
    assert table.rows[3].span == {1: 3}
    assert all(r.page_first is None for r in table.rows)
    # a one-row table has no header row
    assert second.header == ["", ""] and second.rows[0].cells == ["Ключ 1", ""]
    assert doc.signature_lines == ["Підпис", "Ім'я ПРІЗВИЩЕ"]


def test_docx_first_row_not_bold_is_data(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    _make(path, bold_header=False)
    table = read_document(path).tables[0]
    assert table.header == ["", "", "", ""]
    assert table.rows[0].cells == ["№", "Захід", "Виконавець", "Стан"]


def test_docx_with_broken_xml(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document><unclosed>")
    try:
        read_document(path)
    except DocumentError as err:
        assert err.code == "truncated"
        assert "unclosed" not in str(err)
    else:
        raise AssertionError("expected DocumentError")


def test_tracked_changes_and_content_controls(tmp_path: Path) -> None:
    """Inserted runs are read, deleted text is not, content controls are looked into."""
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls

    doc = new_docx()
    p = doc.add_paragraph("Було ")
    ins = parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>додано</w:t></w:r></w:ins>'
    )
    dele = parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="a">'
        "<w:r><w:delText>вилучено</w:delText></w:r></w:del>"
    )
    p._p.append(ins)
    p._p.append(dele)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "a"
    table.rows[0].cells[1].text = "b"
    sdt = OxmlElement("w:sdt")
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    tbl = table._tbl
    body = tbl.getparent()
    body.replace(tbl, sdt)
    content.append(tbl)
    path = tmp_path / "tracked.docx"
    doc.save(path)
    read = read_document(path)
    assert read.paragraphs[0].text == "Було додано"
    assert [r.cells for r in read.tables[0].rows] == [["a", "b"]]
