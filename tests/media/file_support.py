"""Files the media tests upload besides images, made here byte by byte: a small valid PDF,
Office Open XML and OpenDocument archives (zipfile), and their malicious look-alikes."""

import io
import zipfile

OOXML_MAIN = "application/vnd.openxmlformats-officedocument.{}.main+xml"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
HTML_PAGE = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


def make_pdf(text: str = "Annual report") -> bytes:
    """A one-page PDF with its cross-reference table (what any PDF reader opens)."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _archive(members: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if stored_first is not None:
            archive.writestr(stored_first, members[stored_first], zipfile.ZIP_STORED)
        for name, data in members.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def content_types(main_part: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/main.xml" '
        f'ContentType="{main_part}"/></Types>'
    ).encode()


def make_docx(text: str = "Minutes") -> bytes:
    return _archive(
        {
            "[Content_Types].xml": content_types(OOXML_MAIN.format("wordprocessingml.document")),
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": f"<w:document><w:t>{text}</w:t></w:document>".encode(),
        }
    )


def make_xlsx() -> bytes:
    return _archive(
        {
            "[Content_Types].xml": content_types(OOXML_MAIN.format("spreadsheetml.sheet")),
            "xl/workbook.xml": b"<workbook/>",
        }
    )


def make_pptx() -> bytes:
    return _archive(
        {
            "[Content_Types].xml": content_types(OOXML_MAIN.format("presentationml.presentation")),
            "ppt/presentation.xml": b"<presentation/>",
        }
    )


def make_odt() -> bytes:
    return _archive(
        {"mimetype": ODT.encode(), "content.xml": b"<office:document-content/>"},
        stored_first="mimetype",
    )


def make_zip() -> bytes:
    return _archive({"photos/readme.txt": b"Hello", "data.csv": b"a,b\n1,2\n"})


def make_macro_document() -> bytes:
    """A Word document with macros (.docm): an Office file of a kind never accepted."""
    return _archive(
        {
            "[Content_Types].xml": content_types(
                "application/vnd.ms-word.document.macroEnabled.main+xml"
            ),
            "word/document.xml": b"<w:document/>",
            "word/vbaProject.bin": b"\x00" * 64,
        }
    )


def make_bomb_docx(expanded_bytes: int = 500_000_000) -> bytes:
    """A .docx whose [Content_Types].xml inflates to 500 MB (about 0.5 MB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("[Content_Types].xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 1_000_000
            for _ in range(expanded_bytes // len(chunk)):
                member.write(chunk)
        archive.writestr("word/document.xml", b"<w:document/>")
    return buffer.getvalue()


def make_many_member_zip(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for number in range(count):
            archive.writestr(f"f{number}", b"")
    return buffer.getvalue()
