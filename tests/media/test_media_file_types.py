"""What a file is, from its bytes alone: each accepted type, markup refused under any name,
and archives inspected within bounds (a ZIP bomb answers in milliseconds)."""

import time

import pytest

from cms.media import file_types
from cms.media.download_urls import content_disposition, safe_filename
from media.file_support import (
    DOCX,
    HTML_PAGE,
    ODT,
    PPTX,
    SVG,
    XLSX,
    make_bomb_docx,
    make_docx,
    make_macro_document,
    make_many_member_zip,
    make_odt,
    make_pdf,
    make_pptx,
    make_xlsx,
    make_zip,
)

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + bytes(400)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(100)
WEBM = bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d") + bytes(64)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (make_pdf(), "application/pdf"),
        (make_docx(), DOCX),
        (make_xlsx(), XLSX),
        (make_pptx(), PPTX),
        (make_odt(), ODT),
        (make_zip(), "application/zip"),
        ("Grüße aus Köln.\nZweite Zeile.\n".encode(), "text/plain"),
        ("\ufeffNotes with a BOM\n".encode(), "text/plain"),
        (b"name,email\nAda,ada@example.com\nGrace,grace@example.com\n", "text/csv"),
        (b"a;b;c\n1;2;3\n", "text/csv"),
        (MP3, "audio/mpeg"),
        (MP4, "video/mp4"),
        (WEBM, "video/webm"),
    ],
)
def test_each_accepted_type_is_told_from_its_bytes(data, media_type):
    assert file_types.detect(data).media_type == media_type


@pytest.mark.parametrize(
    "data",
    [
        HTML_PAGE,
        b"   \n<html><body>hi</body></html>",
        b"Dear reader,\nsee <script src=//evil.example/x.js></script>\n",
        SVG,
        b'<?xml version="1.0"?><note/>',
        b"<!-- a comment --> then text",
    ],
)
def test_markup_is_refused_as_text(data):
    with pytest.raises(file_types.NotAFile, match="HTML, SVG and XML"):
        file_types.detect(data)


@pytest.mark.parametrize(
    "data",
    [b"", b"text with a \x00 NUL", "Latin-1: caf\xe9".encode("latin-1"), b"\x7fELF\x02\x01"],
)
def test_binary_or_empty_data_is_no_file_type(data):
    with pytest.raises(file_types.NotAFile):
        file_types.detect(data)


def test_office_files_with_macros_are_refused():
    with pytest.raises(file_types.NotAFile, match="without macros"):
        file_types.detect(make_macro_document())


def test_a_zip_bomb_is_inspected_in_milliseconds():
    bomb = make_bomb_docx()  # 500 MB of XML once inflated

    started = time.perf_counter()
    with pytest.raises(file_types.NotAFile):
        file_types.detect(bomb)

    assert time.perf_counter() - started < 0.5


def test_an_archive_of_too_many_members_is_refused_before_its_directory_is_read():
    with pytest.raises(file_types.NotAFile, match="more than 10000 files"):
        file_types.detect(make_many_member_zip(10_001))


@pytest.mark.parametrize(
    ("name", "media_type", "saved_as"),
    [
        ("Annual report.PDF", "application/pdf", "Annual report.PDF"),
        ("notes", "text/plain", "notes.txt"),
        ("README.md", "text/plain", "README.md"),
        ("setup.exe", "application/zip", "setup.exe.zip"),
        ("page.html", "text/plain", "page.html.txt"),
        (".bashrc", "text/plain", "bashrc.txt"),
        ('a"b\\c;d\r\n.csv', "text/csv", "a_b_c_d__.csv"),
    ],
)
def test_a_download_is_saved_under_a_safe_name_with_its_types_extension(name, media_type, saved_as):
    assert safe_filename(name, media_type) == saved_as


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    assert content_disposition("Jahresbericht 2026 \u2013 Köln.pdf") == (
        'attachment; filename="Jahresbericht 2026  Koln.pdf"; '
        "filename*=UTF-8''Jahresbericht%202026%20%E2%80%93%20K%C3%B6ln.pdf"
    )
