"""``GET /media/<signature>/<spec>/<id>.<ext>``: renditions, made on first request.

A rendition is looked up in the storage; the first request for it renders it with libvips
in a thread and stores it back. Concurrent first requests in a process make it once (the
others follow the first: cms/serving/coalescing.py), and the processes sharing a Redis or a
media directory make it once between them (cms/media/render_locks.py); each render is
logged (INFO ``rendered <key>``). Renditions never change once made — the URL names
everything that goes into one, the focal point included — so they are sent ``immutable``
for a year, with an ETag.
"""

import asyncio
import hashlib
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from cms.media import images
from cms.media.formats import Animations, negotiate_format
from cms.media.library import MediaLibrary
from cms.media.render_locks import RenderLock, made_once
from cms.media.specs import CONTENT_TYPES, EXTENSIONS, MEDIA_PREFIX, BadSpec, RenditionSpec
from cms.media.storage import original_key, rendition_key
from cms.models import Asset
from cms.serving.coalescing import Flights

logger = logging.getLogger("cms.media")
IMMUTABLE = "public, max-age=31536000, immutable"
# Served as files, never as anything a browser might run.
MEDIA_HEADERS = {
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'",
}


class Renditions:
    """The /media endpoint; ``renders`` counts the renditions this process has made."""

    def __init__(
        self,
        media: MediaLibrary,
        allowed_widths: list[int],
        lock: RenderLock,
        limit: images.AnimationLimit,
    ) -> None:
        self.media = media
        self.allowed_widths = set(allowed_widths)
        self.flights = Flights()
        self.lock = lock
        self.limit = limit
        self.animations = Animations(media.storage, limit)
        self.renders = 0

    def route(self) -> Route:
        return Route(
            MEDIA_PREFIX + "/{signature}/{spec}/{asset_id:int}.{extension}",
            self.serve,
            methods=["GET", "HEAD"],
        )

    async def serve(self, request: Request) -> Response:
        params = request.path_params
        signature, text, asset_id = params["signature"], params["spec"], params["asset_id"]
        extension = params["extension"]
        if extension not in EXTENSIONS or not self.media.signer.is_valid(
            signature, text, asset_id, extension
        ):
            return Response("Not a signed rendition URL.", 403, media_type="text/plain")
        try:
            spec = RenditionSpec.parse(text)
        except BadSpec as error:
            return Response(str(error), 400, media_type="text/plain")
        if self.allowed_widths and spec.width is not None and spec.width not in self.allowed_widths:
            return Response("This width is not offered.", 400, media_type="text/plain")
        asset = await Asset.get_or_none(id=asset_id)
        if asset is None:
            return Response("No such image.", 404, media_type="text/plain")
        negotiated = extension == "auto"
        image_format = (
            negotiate_format(
                request.headers.get("accept", ""), await self.animations.is_animated(asset)
            )
            if negotiated
            else EXTENSIONS[extension]
        )
        key = rendition_key(asset.content_hash, text, image_format)
        etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
        headers = {"cache-control": IMMUTABLE, "etag": etag, **MEDIA_HEADERS}
        if negotiated:
            headers["vary"] = "Accept"
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        data = await self.rendition(asset, spec, image_format, key)
        if data is None:
            return Response("The image cannot be rendered.", 500, media_type="text/plain")
        return Response(data, media_type=CONTENT_TYPES[image_format], headers=headers)

    async def rendition(
        self, asset: Asset, spec: RenditionSpec, image_format: str, key: str
    ) -> bytes | None:
        """The stored rendition, made now if it is the first request for it."""
        stored = await self.media.storage.get(key)
        if stored is not None:
            return stored
        # No await between this check and leading: one request per process renders.
        if self.flights.is_under_way(key):
            made = await self.flights.follow(key)
            if made is not None:
                return made
        with self.flights.lead(key) as flight:
            data = await made_once(
                self.lock,
                key,
                lambda: self.media.storage.get(key),
                lambda: self._render(asset, spec, image_format, key),
            )
            flight.set_result(data)
            return data

    async def _render(
        self, asset: Asset, spec: RenditionSpec, image_format: str, key: str
    ) -> bytes | None:
        original = await self.media.storage.get(original_key(asset.content_hash))
        if original is None:
            logger.error("The original of asset %s is missing from the storage", asset.id)
            return None
        try:
            data = await asyncio.to_thread(
                images.render, original, spec, image_format, spec.focal_point, self.limit
            )
        except images.NotAnImage:
            logger.exception("Asset %s cannot be rendered as %s", asset.id, key)
            return None
        self.renders += 1
        await self.media.storage.put(key, data)
        logger.info("rendered %s", key)
        return data

    async def close(self) -> None:
        await self.lock.close()
