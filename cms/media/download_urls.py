"""Signed download URLs of files: ``/media/<signature>/file/<id>/<name>``, and the name a
download is saved under.

The signature is an HMAC of the asset's id with the site's secret (its own key, apart from
renditions'), so ids cannot be enumerated: only URLs the API gave out are served. The name
at the end is for people reading the URL; the saved name comes from the asset itself.
"""

import base64
import hashlib
import hmac
import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

from cms.media.file_types import FILE_TYPES
from cms.media.specs import MEDIA_PREFIX, SIGNATURE_BYTES

DOWNLOAD_SEGMENT = "file"
NAME_MAX = 120
# Characters no saved name keeps: controls, path separators, and those Windows forbids.
UNSAFE = re.compile(r'[\x00-\x1f\x7f-\x9f/\\:*?"<>|;]')


def safe_filename(name: str, media_type: str) -> str:
    """The name a file is saved under: no folders, controls or reserved characters, not
    hidden, and ending with an extension of its detected type (``notes`` → ``notes.txt``;
    ``run.exe`` holding a ZIP → ``run.exe.zip``)."""
    cleaned = UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .")
    file_type = FILE_TYPES.get(media_type)
    extensions = file_type.extensions if file_type else ("",)
    suffix = PurePosixPath(cleaned).suffix
    if suffix and suffix.lower() in extensions:
        stem, ending = cleaned[: -len(suffix)], suffix
    else:
        stem, ending = cleaned, extensions[0]
    return (stem.strip(" .") or "download")[: NAME_MAX - len(ending)] + ending


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987)."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = fallback.replace("%", "_")
    if fallback.startswith(".") or not fallback:
        fallback = "download" + fallback
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class DownloadSigner:
    """Signs and checks download paths with the site's secret."""

    def __init__(self, secret: str, public_url: str | None = None) -> None:
        self._key = hashlib.sha256(b"cms media downloads\0" + secret.encode()).digest()
        self.base = (public_url or "").rstrip("/") + MEDIA_PREFIX

    def signature(self, asset_id: int) -> str:
        message = f"{DOWNLOAD_SEGMENT}/{asset_id}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()[:SIGNATURE_BYTES]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def is_valid(self, signature: str, asset_id: int) -> bool:
        return hmac.compare_digest(signature, self.signature(asset_id))

    def url(self, asset_id: int, filename: str) -> str:
        return (
            f"{self.base}/{self.signature(asset_id)}/{DOWNLOAD_SEGMENT}/{asset_id}/"
            f"{quote(filename, safe='')}"
        )
