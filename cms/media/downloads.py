"""``GET|HEAD /media/<signature>/file/<id>/<name>``: files of the library, as downloads.

The stored bytes are streamed from the storage with the type detected at upload, always as
an attachment (``Content-Disposition``, the asset's own name made safe), with
``nosniff`` and a sandboxing CSP, so even a file a browser could render is never run in
the site's origin. An asset's bytes never change, so a download is ``immutable`` with its
content hash as ETag; a single byte range (``Range: bytes=…``) is served as a 206.
"""

import logging
import re

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from cms.media.download_urls import DOWNLOAD_SEGMENT, content_disposition, safe_filename
from cms.media.library import MediaLibrary
from cms.media.specs import MEDIA_PREFIX
from cms.media.storage import original_key
from cms.models import Asset, AssetKind

logger = logging.getLogger("cms.media")
IMMUTABLE = "public, max-age=31536000, immutable"
DOWNLOAD_HEADERS = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; sandbox",
    "accept-ranges": "bytes",
}
SINGLE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class RangeNotSatisfiable(Exception):
    """The requested range lies outside the file."""


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """``(start, end)`` (end exclusive) of a single ``bytes=`` range, or None to send the
    whole file (no range, several ranges, or one that is not understood)."""
    match = SINGLE_RANGE.fullmatch(header.strip())
    if match is None or match[1] == match[2] == "":
        return None
    if match[1] == "":  # the last N bytes
        length = int(match[2])
        if length == 0:
            raise RangeNotSatisfiable
        return max(0, size - length), size
    start = int(match[1])
    if match[2] and int(match[2]) < start:  # not a valid range: ignored (RFC 9110, 14.2)
        return None
    if start >= size:
        raise RangeNotSatisfiable
    return start, min(int(match[2]) + 1, size) if match[2] else size


class Downloads:
    """The download endpoint of the media library."""

    def __init__(self, media: MediaLibrary) -> None:
        self.media = media

    def route(self) -> Route:
        return Route(
            MEDIA_PREFIX + "/{signature}/" + DOWNLOAD_SEGMENT + "/{asset_id:int}/{filename}",
            self.serve,
            methods=["GET", "HEAD"],
        )

    async def serve(self, request: Request) -> Response:
        signature, asset_id = request.path_params["signature"], request.path_params["asset_id"]
        if not self.media.downloads.is_valid(signature, asset_id):
            return Response("Not a signed download URL.", 403, media_type="text/plain")
        asset = await Asset.get_or_none(id=asset_id)
        if asset is None or asset.kind is not AssetKind.FILE:
            return Response("No such file.", 404, media_type="text/plain")
        etag = f'"{asset.content_hash}"'
        headers = {
            "cache-control": IMMUTABLE,
            "etag": etag,
            "content-disposition": content_disposition(
                safe_filename(asset.original_name, asset.media_type)
            ),
            **DOWNLOAD_HEADERS,
        }
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        try:
            byte_range = self._range(request, etag, asset.size)
        except RangeNotSatisfiable:
            return Response(
                status_code=416, headers={**headers, "content-range": f"bytes */{asset.size}"}
            )
        start, end = byte_range or (0, asset.size)
        headers["content-length"] = str(end - start)
        status = 200
        if byte_range is not None:
            status = 206
            headers["content-range"] = f"bytes {start}-{end - 1}/{asset.size}"
        if request.method == "HEAD":
            return Response(status_code=status, headers=headers, media_type=asset.media_type)
        chunks = await self.media.storage.stream(original_key(asset.content_hash), byte_range)
        if chunks is None:
            logger.error("The file of asset %s is missing from the storage", asset.id)
            return Response("The file is missing.", 500, media_type="text/plain")
        return StreamingResponse(
            chunks, status_code=status, headers=headers, media_type=asset.media_type
        )

    @staticmethod
    def _range(request: Request, etag: str, size: int) -> tuple[int, int] | None:
        """The range asked for, unless ``If-Range`` names another version of the file."""
        header = request.headers.get("range")
        if header is None or request.headers.get("if-range", etag) != etag:
            return None
        return requested_range(header, size)
