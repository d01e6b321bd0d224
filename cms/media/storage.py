"""One storage interface for media bytes, over obstore: a local directory by default, any
S3-compatible bucket by URL, memory for throw-away uses. Keys are plain paths:
``originals/<sha256>`` and ``renditions/<sha256>/<spec>.<format>``."""

from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import obstore
from obstore.store import LocalStore, MemoryStore, S3Store

from cms.config import Settings

Store = LocalStore | MemoryStore | S3Store
# Downloads are sent in pieces of this size, never read whole into memory.
STREAM_CHUNK_BYTES = 256 * 1024


def original_key(content_hash: str) -> str:
    return f"originals/{content_hash}"


def rendition_key(content_hash: str, spec: str, image_format: str) -> str:
    return f"renditions/{content_hash}/{spec}.{image_format}"


class MediaStorage:
    """Bytes by key. Only this class talks to obstore."""

    def __init__(self, store: Store, description: str) -> None:
        self.store = store
        self.description = description

    async def put(self, key: str, data: bytes) -> None:
        await obstore.put_async(self.store, key, data)

    async def get(self, key: str) -> bytes | None:
        """The object's bytes, or None if there is none."""
        try:
            result = await obstore.get_async(self.store, key)
        except FileNotFoundError:
            return None
        return bytes(await result.bytes_async())

    async def stream(
        self, key: str, byte_range: tuple[int, int] | None = None
    ) -> AsyncIterator[bytes] | None:
        """The object's bytes (those from ``start`` to ``end``, exclusive, of a range) in
        chunks, or None if there is none."""
        options = {"range": byte_range} if byte_range else None
        try:
            result = await obstore.get_async(self.store, key, options=options)
        except FileNotFoundError:
            return None

        async def chunks() -> AsyncIterator[bytes]:
            async for chunk in result.stream(min_chunk_size=STREAM_CHUNK_BYTES):
                yield bytes(chunk)

        return chunks()

    async def exists(self, key: str) -> bool:
        try:
            await obstore.head_async(self.store, key)
        except FileNotFoundError:
            return False
        return True

    async def delete_prefix(self, prefix: str) -> None:
        """Every object under ``prefix`` (an asset's renditions)."""
        async for batch in obstore.list(self.store, prefix=prefix):
            for meta in batch:
                await obstore.delete_async(self.store, meta["path"])

    async def delete(self, key: str) -> None:
        try:
            await obstore.delete_async(self.store, key)
        except FileNotFoundError:
            return


def s3_store(url: str, endpoint: str | None) -> S3Store:
    """A bucket from ``s3://bucket[/prefix]``; credentials and region come from the usual
    AWS_* environment variables (obstore reads them)."""
    parts = urlsplit(url)
    options: dict[str, object] = {}
    if endpoint:
        options["endpoint"] = endpoint
        # Self-hosted servers (MinIO, moto) name the bucket in the path.
        options["virtual_hosted_style_request"] = False
    client_options = {"allow_http": True} if endpoint and endpoint.startswith("http:") else None
    return S3Store(
        parts.netloc,
        prefix=parts.path.strip("/") or None,
        client_options=client_options,
        **options,
    )


def open_storage(settings: Settings) -> MediaStorage:
    """The storage the settings name: CMS_MEDIA_URL (s3://…), else CMS_MEDIA_ROOT."""
    if settings.media_url:
        return MediaStorage(s3_store(settings.media_url, settings.media_s3_endpoint), "s3")
    root = settings.media_root.resolve()
    return MediaStorage(LocalStore(root, mkdir=True), f"directory {root}")
