"""Image work with libvips (pyvips): what a file is, from its bytes; renditions; the tiny
placeholder. Everything here is CPU work: callers run it in a thread (asyncio.to_thread).

Only the loaders of the types the library accepts are enabled, so an SVG, a PDF or any
other format libvips could read is refused before it is parsed; metadata (EXIF, GPS, XMP)
is dropped from every output and EXIF orientation is applied.
"""

import base64
import math
from dataclasses import dataclass
from functools import cache

import pyvips

from cms.media.specs import Fit, RenditionSpec

# The libvips loader of each accepted type (AVIF is HEIF with AV1 compression).
LOADER_TYPES = {
    "jpegload_buffer": "image/jpeg",
    "pngload_buffer": "image/png",
    "webpload_buffer": "image/webp",
    "heifload_buffer": "image/avif",
    "gifload_buffer": "image/gif",
}
ENABLED_LOADERS = (
    "VipsForeignLoadJpeg",
    "VipsForeignLoadPng",
    "VipsForeignLoadWebp",
    "VipsForeignLoadHeif",
    "VipsForeignLoadNsgif",
)
# AVIF at libvips' default effort takes ~1.3 s for 800x600 here; effort 2 takes ~0.16 s
# for files a few percent larger: renditions are made while a reader waits.
AVIF_EFFORT = 2
PLACEHOLDER_SIZE = 16
PLACEHOLDER_QUALITY = 40
# Orientations 5-8 turn the image a quarter: its displayed width is its stored height.
TRANSPOSING_ORIENTATIONS = {5, 6, 7, 8}


class NotAnImage(Exception):
    """The bytes are no image of an accepted type (or are damaged)."""


@dataclass(frozen=True)
class Probe:
    """What the header says: the detected type and the size as displayed."""

    media_type: str
    width: int
    height: int
    # An embedded colour profile: renditions are converted to sRGB (then carry none).
    has_profile: bool = False


@cache
def restrict_loaders() -> None:
    """Block every libvips loader but those of the accepted types (once per process)."""
    pyvips.operation_block_set("VipsForeignLoad", True)
    for name in ENABLED_LOADERS:
        pyvips.operation_block_set(name, False)


def probe(data: bytes) -> Probe:
    """The type and displayed size, read from the header only (milliseconds, even for a
    decompression bomb): nothing is decoded."""
    restrict_loaders()
    try:
        image = pyvips.Image.new_from_buffer(data, "", access="sequential")
        loader = image.get("vips-loader")
        if loader == "heifload_buffer" and image.get("heif-compression") != "av1":
            raise NotAnImage("HEIF images other than AVIF are not accepted.")
    except pyvips.Error as error:
        raise NotAnImage("The file is not an image of an accepted type.") from error
    if loader not in LOADER_TYPES:
        raise NotAnImage("The file is not an image of an accepted type.")
    width, height = image.width, image.height
    if image.get_typeof("orientation") and image.get("orientation") in TRANSPOSING_ORIENTATIONS:
        width, height = height, width
    has_profile = bool(image.get_typeof("icc-profile-data"))
    return Probe(LOADER_TYPES[loader], width, height, has_profile)


def _colour(size: Probe) -> dict[str, str]:
    """Convert to sRGB only images that say they are in another space: the conversion
    triples the time of a render."""
    return {"export_profile": "srgb"} if size.has_profile else {}


def placeholder(data: bytes) -> str:
    """A tiny WebP of the whole image as a data: URI. Decodes the whole file: a truncated
    or damaged one raises NotAnImage."""
    restrict_loaders()
    try:
        tiny = pyvips.Image.thumbnail_buffer(
            data, PLACEHOLDER_SIZE, option_string="fail_on=truncated"
        )
        encoded = tiny.webpsave_buffer(Q=PLACEHOLDER_QUALITY, keep="none")
    except pyvips.Error as error:
        raise NotAnImage("The image is damaged or truncated.") from error
    return "data:image/webp;base64," + base64.b64encode(encoded).decode()


def _cover_around(
    data: bytes, header: Probe, width: int, height: int, focal: tuple[float, float]
) -> pyvips.Image:
    """Scaled to cover the width x height box, then cropped to it around the focal point."""
    scale = max(width / header.width, height / header.height)
    scaled = pyvips.Image.thumbnail_buffer(
        data,
        math.ceil(header.width * scale),
        height=math.ceil(header.height * scale),
        **_colour(header),
    )
    left = round(focal[0] * scaled.width - width / 2)
    top = round(focal[1] * scaled.height - height / 2)
    left = min(max(left, 0), scaled.width - width)
    top = min(max(top, 0), scaled.height - height)
    return scaled.crop(left, top, min(width, scaled.width), min(height, scaled.height))


def _resized(
    data: bytes, spec: RenditionSpec, focal: tuple[float, float] | None, size: Probe
) -> pyvips.Image:
    width, height = spec.width, spec.height
    if width and height and spec.fit is Fit.COVER:
        # Never upscaled: a box larger than the image shrinks to fit it, keeping its shape.
        shrink = min(1.0, size.width / width, size.height / height)
        width, height = max(1, round(width * shrink)), max(1, round(height * shrink))
        if focal is not None:
            return _cover_around(data, size, width, height, focal)
        return pyvips.Image.thumbnail_buffer(
            data, width, height=height, crop="attention", **_colour(size)
        )
    return pyvips.Image.thumbnail_buffer(
        data, width or 100_000, height=height or 100_000, size="down", **_colour(size)
    )


def render(
    data: bytes, spec: RenditionSpec, image_format: str, focal: tuple[float, float] | None
) -> bytes:
    """The rendition's bytes: resized, cropped, oriented, without metadata."""
    restrict_loaders()
    image = _resized(data, spec, focal, probe(data))
    if image_format == "jpeg":
        if image.hasalpha():
            image = image.flatten(background=[255, 255, 255])
        return image.jpegsave_buffer(Q=spec.quality, keep="none", interlace=True)
    if image_format == "webp":
        return image.webpsave_buffer(Q=spec.quality, keep="none")
    if image_format == "avif":
        return image.heifsave_buffer(
            Q=spec.quality, compression="av1", effort=AVIF_EFFORT, keep="none"
        )
    return image.pngsave_buffer(keep="none")
