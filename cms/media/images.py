"""Image work with libvips (pyvips): what a file is, from its bytes; renditions; the tiny
placeholder. Everything here is CPU work: callers run it in a thread (asyncio.to_thread).

Only the loaders of the types the library accepts are enabled, so an SVG, a PDF or any
other format libvips could read is refused before it is parsed; metadata (EXIF, GPS, XMP)
is dropped from every output and EXIF orientation is applied.

Animated GIF and WebP keep their animation in GIF and WebP renditions: libvips loads all
frames (``n=-1``) as one tall strip, ``page-height`` high each, and resizes each frame.
libvips 8.18's ``thumbnail`` keeps only one frame when it crops (libvips issue 2668), so
cover crops of animations cut the same box out of every frame here. Other formats (and the
placeholder) are stills of the first frame: an AVIF with several pages is a collection of
images, not an animation browsers play.
"""

import base64
import math
from dataclasses import dataclass
from functools import cache

import pyvips

from cms.config import Settings
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
# The loaders of formats that animate, and the formats renditions may animate in.
ANIMATED_LOADERS = {"gifload_buffer", "webpload_buffer"}
ANIMATED_FORMATS = {"gif", "webp"}
ALL_FRAMES = "n=-1"
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
    # Frames of an animation (1 for a still); width and height are one frame's.
    frames: int = 1

    @property
    def animated(self) -> bool:
        return self.frames > 1

    @property
    def pixels(self) -> int:
        """Every pixel a full decode makes: a few kilobytes of GIF can hold thousands of
        frames."""
        return self.width * self.height * self.frames


@dataclass(frozen=True)
class AnimationLimit:
    """The largest animation rendered animated; a larger one (uploaded before frames
    counted, or imported) is rendered as a still of its first frame."""

    max_pixels: int
    max_frames: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "AnimationLimit":
        return cls(settings.media_max_pixels, settings.media_max_frames)

    def keeps(self, header: Probe) -> bool:
        """Whether ``header``'s animation is rendered animated."""
        return (
            header.animated
            and header.pixels <= self.max_pixels
            and header.frames <= self.max_frames
        )


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
    frames = (
        image.get("n-pages") if loader in ANIMATED_LOADERS and image.get_typeof("n-pages") else 1
    )
    return Probe(LOADER_TYPES[loader], width, height, has_profile, frames)


def _options(size: Probe, all_frames: bool) -> dict[str, str]:
    """Convert to sRGB only images that say they are in another space (the conversion
    triples the time of a render); load every frame of an animation kept animated."""
    options = {"export_profile": "srgb"} if size.has_profile else {}
    if all_frames:
        options["option_string"] = ALL_FRAMES
    return options


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


def _frame_height(image: pyvips.Image) -> int:
    return image.get("page-height") if image.get_typeof("page-height") else image.height


def _crop_frames(image: pyvips.Image, left: int, top: int, width: int, height: int) -> pyvips.Image:
    """The same box cut out of every frame of a strip (of the one frame of a still)."""
    page = _frame_height(image)
    if image.height <= page:
        return image.crop(left, top, width, height)
    frames = [image.crop(left, n * page + top, width, height) for n in range(image.height // page)]
    strip = pyvips.Image.arrayjoin(frames, across=1).copy()
    strip.set_type(pyvips.GValue.gint_type, "page-height", height)
    return strip


def _attention(image: pyvips.Image, width: int, height: int) -> tuple[float, float]:
    """Where libvips' attention crop finds the subject of the first frame, as fractions."""
    page = _frame_height(image)
    _, found = image.crop(0, 0, image.width, page).smartcrop(
        width, height, interesting="attention", attention_x=True, attention_y=True
    )
    return found["attention_x"] / image.width, found["attention_y"] / page


def _cover_around(
    data: bytes,
    header: Probe,
    width: int,
    height: int,
    focal: tuple[float, float] | None,
    all_frames: bool,
) -> pyvips.Image:
    """Scaled to cover the width x height box, then cropped to it around the focal point
    (else the subject attention finds), the same box in every frame."""
    scale = max(width / header.width, height / header.height)
    scaled = pyvips.Image.thumbnail_buffer(
        data,
        math.ceil(header.width * scale),
        height=math.ceil(header.height * scale),
        **_options(header, all_frames),
    )
    page = _frame_height(scaled)
    centre = focal if focal is not None else _attention(scaled, width, height)
    left = round(centre[0] * scaled.width - width / 2)
    top = round(centre[1] * page - height / 2)
    left = max(min(left, scaled.width - width), 0)
    top = max(min(top, page - height), 0)
    return _crop_frames(scaled, left, top, min(width, scaled.width), min(height, page))


def _resized(
    data: bytes,
    spec: RenditionSpec,
    focal: tuple[float, float] | None,
    size: Probe,
    all_frames: bool,
) -> pyvips.Image:
    width, height = spec.width, spec.height
    if width and height and spec.fit is Fit.COVER:
        # Never upscaled: a box larger than the image shrinks to fit it, keeping its shape.
        shrink = min(1.0, size.width / width, size.height / height)
        width, height = max(1, round(width * shrink)), max(1, round(height * shrink))
        if focal is not None or all_frames:
            return _cover_around(data, size, width, height, focal, all_frames)
        return pyvips.Image.thumbnail_buffer(
            data, width, height=height, crop="attention", **_options(size, all_frames)
        )
    return pyvips.Image.thumbnail_buffer(
        data,
        width or 100_000,
        height=height or 100_000,
        size="down",
        **_options(size, all_frames),
    )


def _encoded(image: pyvips.Image, image_format: str, quality: int) -> bytes:
    if image_format == "jpeg":
        if image.hasalpha():
            image = image.flatten(background=[255, 255, 255])
        return image.jpegsave_buffer(Q=quality, keep="none", interlace=True)
    if image_format == "webp":
        return image.webpsave_buffer(Q=quality, keep="none")
    if image_format == "gif":
        return image.gifsave_buffer(keep="none")
    if image_format == "avif":
        return image.heifsave_buffer(Q=quality, compression="av1", effort=AVIF_EFFORT, keep="none")
    return image.pngsave_buffer(keep="none")


def render(
    data: bytes,
    spec: RenditionSpec,
    image_format: str,
    focal: tuple[float, float] | None,
    limit: AnimationLimit,
) -> bytes:
    """The rendition's bytes: resized, cropped, oriented, without metadata; an animation
    within ``limit`` stays one in GIF and WebP, other formats get its first frame."""
    restrict_loaders()
    header = probe(data)
    all_frames = limit.keeps(header) and image_format in ANIMATED_FORMATS
    try:
        return _encoded(_resized(data, spec, focal, header, all_frames), image_format, spec.quality)
    except pyvips.Error as error:  # a header that reads, over pixels that do not
        raise NotAnImage("The image cannot be decoded.") from error
