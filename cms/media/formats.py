"""Which format a rendition is made in when its URL says ``auto``: the best the request's
Accept takes — for an animation, the best format that keeps it moving.

Whether an original is animated is read from its header (the frame count) the first time a
process is asked, and remembered: an original never changes under its content hash.
"""

import asyncio
from collections import OrderedDict

from cms.media import images
from cms.media.storage import MediaStorage, original_key
from cms.models import Asset

# Types whose files may hold an animation (GIF, WebP); other originals are stills.
ANIMATABLE_TYPES = {"image/gif", "image/webp"}
REMEMBERED_ORIGINALS = 4096


def negotiate_format(accept: str, animated: bool = False) -> str:
    """AVIF if the client takes it, else WebP, else JPEG; for an animation, animated WebP
    if the client takes it, else GIF (libvips saves no animated AVIF)."""
    accepted = accept.lower()
    if animated:
        return "webp" if "image/webp" in accepted else "gif"
    if "image/avif" in accepted:
        return "avif"
    if "image/webp" in accepted:
        return "webp"
    return "jpeg"


class Animations:
    """Whether an asset's original is rendered animated (an animation within the limit),
    by content hash (the last few thousand asked in this process are remembered)."""

    def __init__(self, storage: MediaStorage, limit: images.AnimationLimit) -> None:
        self.storage = storage
        self.limit = limit
        self._animated: OrderedDict[str, bool] = OrderedDict()

    async def is_animated(self, asset: Asset) -> bool:
        if asset.media_type not in ANIMATABLE_TYPES:
            return False
        known = self._animated.get(asset.content_hash)
        if known is not None:
            self._animated.move_to_end(asset.content_hash)
            return known
        original = await self.storage.get(original_key(asset.content_hash))
        if original is None:
            return False
        animated = self.limit.keeps(await asyncio.to_thread(images.probe, original))
        self._animated[asset.content_hash] = animated
        if len(self._animated) > REMEMBERED_ORIGINALS:
            self._animated.popitem(last=False)
        return animated
