"""What an uploaded file that is not an image is, from its bytes alone — never its name or
the upload's Content-Type: magic numbers (puremagic) for PDF and audio/video, the members of
a ZIP for Office and OpenDocument files (cms/media/zip_types.py), and for text, valid UTF-8
without control characters that does not look like markup. HTML, SVG and XML are never
accepted, whatever they are named: a browser could run them.
"""

import csv
import re
from dataclasses import dataclass

import puremagic

from cms.media import zip_types


@dataclass(frozen=True)
class FileType:
    media_type: str
    # Short, for readers: "PDF, 1.2 MB".
    label: str
    # The first is the one a download's name gets when its own fits none.
    extensions: tuple[str, ...]


FILE_TYPES = {
    file_type.media_type: file_type
    for file_type in (
        FileType("application/pdf", "PDF", (".pdf",)),
        FileType("text/plain", "Text", (".txt", ".text", ".md", ".markdown", ".rst", ".log")),
        FileType("text/csv", "CSV", (".csv",)),
        FileType(zip_types.ZIP, "ZIP", (".zip",)),
        FileType(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word",
            (".docx",),
        ),
        FileType(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel",
            (".xlsx",),
        ),
        FileType(
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint",
            (".pptx",),
        ),
        FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", (".odt",)),
        FileType(
            "application/vnd.oasis.opendocument.spreadsheet",
            "OpenDocument spreadsheet",
            (".ods",),
        ),
        FileType(
            "application/vnd.oasis.opendocument.presentation",
            "OpenDocument presentation",
            (".odp",),
        ),
        FileType("audio/mpeg", "MP3", (".mp3",)),
        FileType("video/mp4", "MP4", (".mp4", ".m4v")),
        FileType("video/webm", "WebM", (".webm",)),
    )
}
# The types recognised by their magic numbers.
MAGIC_TYPES = {"application/pdf", "audio/mpeg", "video/mp4", "video/webm"}
# C0 controls other than tab, line feed, form feed and carriage return (NUL included).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# What HTML, SVG and XML open with, anywhere: browsers sniff far less than this.
MARKUP = re.compile(
    r"<(?:!doctype|!--|\?xml|html|head|body|script|iframe|svg|object|embed|style|meta|"
    r"link|base|form|img|a\s)",
    re.IGNORECASE,
)
CSV_SAMPLE_CHARS = 64 * 1024
CSV_SAMPLE_ROWS = 20
CSV_DELIMITERS = (",", ";", "\t")


class NotAFile(Exception):
    """The bytes are of no accepted file type."""


def _magic_type(data: bytes) -> str | None:
    try:
        matches = puremagic.magic_string(data)
    except (puremagic.PureError, ValueError):
        return None
    return next((m.mime_type for m in matches if m.mime_type in MAGIC_TYPES), None)


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    return None if CONTROL.search(text) else text


def is_csv(text: str) -> bool:
    """Two or more rows of the same number (two or more) of fields, by one delimiter."""
    sample = text[:CSV_SAMPLE_CHARS]
    if len(text) > CSV_SAMPLE_CHARS:  # only whole lines
        sample = sample[: sample.rfind("\n") + 1]
    lines = [line for line in sample.splitlines() if line.strip()][:CSV_SAMPLE_ROWS]
    if len(lines) < 2:
        return False
    for delimiter in CSV_DELIMITERS:
        try:
            widths = {len(row) for row in csv.reader(lines, delimiter=delimiter, strict=True)}
        except csv.Error:
            continue
        if len(widths) == 1 and widths.pop() >= 2:
            return True
    return False


def detect(data: bytes) -> FileType:
    """The file's type; CPU work for large files: run it in a thread."""
    if not data:
        raise NotAFile("The file is empty.")
    if zip_types.is_zip(data):
        try:
            return FILE_TYPES[zip_types.zip_type(data)]
        except zip_types.NotAcceptedZip as error:
            raise NotAFile(str(error)) from error
    magic = _magic_type(data)
    if magic is not None:
        return FILE_TYPES[magic]
    text = _text(data)
    if text is None:
        raise NotAFile("The file is not of an accepted type.")
    if text.lstrip().startswith("<") or MARKUP.search(text):
        raise NotAFile("HTML, SVG and XML files are not accepted, whatever their name.")
    return FILE_TYPES["text/csv" if is_csv(text) else "text/plain"]
