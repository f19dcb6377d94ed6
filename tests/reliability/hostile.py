"""Hostile documents, made by the tests themselves (nothing downloaded, no fixtures to trust).

Each maker writes one file into a folder and returns its path. PDFs are assembled object by
object with a correct cross-reference table, so the parser gets as far as the hostile part.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

MiB = 1024 * 1024


def pdf_bytes(objects: list[bytes], *, trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (object 1 must be the catalog), xref and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, trailer_extra, xref)
    )
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_pdf(content: bytes, *, resources: bytes = b"<< >>", extra: list[bytes] = ()) -> bytes:
    """Catalog, pages, one page with `content` as its stream, then `extra` objects (6, 7, ...)."""
    return pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources 5 0 R >>",
            content,
            resources,
            *extra,
        ]
    )


def flate_bomb(folder: Path, inflated_mib: int = 1024) -> Path:
    """~1 MB on disk, `inflated_mib` MiB once pdfminer inflates the page's content stream."""
    comp = zlib.compressobj(9)
    chunk = b" " * (16 * MiB)
    parts = [comp.compress(chunk) for _ in range(inflated_mib // 16)]
    data = b"".join(parts) + comp.flush()
    path = folder / "flate_bomb.pdf"
    path.write_bytes(_page_pdf(_stream(data, b"/Filter /FlateDecode ")))
    return path


def circular_xobject(folder: Path) -> Path:
    """A page drawing a form XObject that draws itself."""
    form = _stream(
        b"/X1 Do",
        b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources "
        b"<< /XObject << /X1 6 0 R >> >> ",
    )
    path = folder / "circular_xobject.pdf"
    path.write_bytes(
        _page_pdf(_stream(b"/X1 Do"), resources=b"<< /XObject << /X1 6 0 R >> >>", extra=[form])
    )
    return path


def encrypted(folder: Path) -> Path:
    """A PDF under the standard security handler whose user password is not empty."""
    path = folder / "encrypted.pdf"
    body = _page_pdf(_stream(b"BT /F1 12 Tf 72 720 Td (secret) Tj ET"))
    # The trailer points at an /Encrypt dictionary whose /U does not match the empty password.
    encrypt = (
        b"/Encrypt << /Filter /Standard /V 1 /R 2 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> /P -44 >> /ID [<"
        + b"33" * 16
        + b"> <"
        + b"33" * 16
        + b">] "
    )
    path.write_bytes(body.replace(b"/Root 1 0 R ", b"/Root 1 0 R " + encrypt))
    return path


def image_only(folder: Path) -> Path:
    """A page with a grey image and ruled lines but no text (a scan without OCR)."""
    image = _stream(
        b"\x80" * (64 * 64),
        b"/Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 ",
    )
    content = _stream(b"q 500 0 0 700 40 60 cm /Im1 Do Q 40 60 m 540 60 l S 40 760 m 540 760 l S")
    path = folder / "image_only.pdf"
    path.write_bytes(
        _page_pdf(content, resources=b"<< /XObject << /Im1 6 0 R >> >>", extra=[image])
    )
    return path


def truncated(folder: Path, good: Path) -> Path:
    """The first half of a good PDF."""
    data = good.read_bytes()
    path = folder / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def zero_byte(folder: Path) -> Path:
    path = folder / "zero.pdf"
    path.write_bytes(b"")
    return path


def not_a_document(folder: Path) -> Path:
    """Plain text with a PDF name (the extension lies)."""
    path = folder / "report.pdf"
    path.write_text("Звіт про виконання плану — but not a PDF at all\n" * 50, encoding="utf-8")
    return path


def _docx(folder: Path, name: str, document_xml: bytes, *, members: int = 0) -> Path:
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        zf.writestr("word/document.xml", document_xml)
        for i in range(members):
            zf.writestr(f"word/media/pad{i}.bin", b"")
    return path


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def xxe_docx(folder: Path) -> Path:
    """A DOCX whose document.xml declares an external entity pointing at a local file."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        f"<w:document {_W}><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return _docx(folder, "xxe.docx", xml)


def billion_laughs_docx(folder: Path) -> Path:
    """A DOCX whose document.xml nests entities ten deep (10^9 'lol's if expanded)."""
    ents = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE w:document [{''.join(ents)}]>\n"
        f"<w:document {_W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    return _docx(folder, "billion_laughs.docx", xml)


def zip_bomb_docx(folder: Path, inflated_mib: int = 2048) -> Path:
    """A DOCX whose document.xml inflates to `inflated_mib` MiB of spaces from ~2 MB."""
    path = folder / "zip_bomb.docx"
    _docx(folder, "zip_bomb.docx", b"<w:document/>")
    # Rewrite document.xml as a stream so the bomb never sits in memory here either.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f"<w:document {_W}><w:body>".encode())
            chunk = b" " * (16 * MiB)
            for _ in range(inflated_mib // 16):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return path


def many_members_docx(folder: Path) -> Path:
    xml = f"<w:document {_W}><w:body/></w:document>".encode()
    return _docx(folder, "many_members.docx", xml, members=20_000)


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "flate_bomb": flate_bomb,
    "circular_xobject": circular_xobject,
    "encrypted": encrypted,
    "image_only": image_only,
    "zero_byte": zero_byte,
    "not_a_document": not_a_document,
    "xxe_docx": xxe_docx,
    "billion_laughs_docx": billion_laughs_docx,
    "zip_bomb_docx": zip_bomb_docx,
    "many_members_docx": many_members_docx,
}
"""Makers that need only a folder (truncated needs a good file to cut)."""
