"""What a ZIP archive is: a Word, Excel or PowerPoint file (Office Open XML), an
OpenDocument file, or a plain ZIP — told apart by the members Office and ODF require, read
with the stdlib's zipfile within fixed bounds, so a ZIP bomb costs no more than a small file.
"""

import io
import struct
import zipfile
import zlib

ZIP = "application/zip"
# The end-of-central-directory record: its signature, and where its total entry count is.
END_OF_DIRECTORY = b"PK\x05\x06"
END_RECORD_SIZE = 22
MAX_COMMENT = 0xFFFF
# zipfile reads the whole central directory before anything else: bound it by the count
# the end record declares (0xFFFF also marks a ZIP64 archive, which documents never need).
MAX_ENTRIES = 10_000
# Only the start of a member is decompressed, whatever it claims to hold.
MAX_MEMBER_READ = 64 * 1024
CONTENT_TYPES = "[Content_Types].xml"
# Office Open XML: the main part's content type, and the folder that part lives in.
OFFICE_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "word/",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "xl/",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "ppt/",
    ),
}
# OpenDocument: the first member, ``mimetype``, names the type.
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}


# What zipfile raises for damaged, truncated, encrypted or exotic (ZIP64, rare compression)
# archives.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    OSError,
    EOFError,
    RuntimeError,
    ValueError,
    zlib.error,
)


class NotAcceptedZip(Exception):
    """A damaged archive, one too large to inspect, or an Office file of another kind
    (macro-enabled, templates)."""


def is_zip(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", END_OF_DIRECTORY))


def declared_entries(data: bytes) -> int:
    """The entry count of the archive's end record (searched for in its last 64 KiB)."""
    tail = data[-(END_RECORD_SIZE + MAX_COMMENT) :]
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or len(tail) - at < END_RECORD_SIZE:
        raise NotAcceptedZip("The ZIP archive is damaged.")
    (entries,) = struct.unpack_from("<H", tail, at + 10)
    return int(entries)


def _read_start(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(MAX_MEMBER_READ)


def _office_type(archive: zipfile.ZipFile, names: set[str]) -> str:
    declared = _read_start(archive, CONTENT_TYPES)
    for media_type, (main_part, folder) in OFFICE_MAIN_PARTS.items():
        if main_part.encode() in declared and any(n.startswith(folder) for n in names):
            return media_type
    raise NotAcceptedZip("Only Word, Excel and PowerPoint documents without macros are accepted.")


def zip_type(data: bytes) -> str:
    """The media type of a ZIP archive's bytes."""
    if declared_entries(data) > MAX_ENTRIES:
        raise NotAcceptedZip(f"The archive holds more than {MAX_ENTRIES} files.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if CONTENT_TYPES in names:
                return _office_type(archive, names)
            if "mimetype" in names:
                declared = _read_start(archive, "mimetype").decode("ascii", "replace").strip()
                if declared in ODF_TYPES:
                    return declared
                raise NotAcceptedZip("Only OpenDocument texts, spreadsheets and presentations.")
    except ZIP_ERRORS as error:
        raise NotAcceptedZip("The ZIP archive is damaged, encrypted or unusual.") from error
    return ZIP
