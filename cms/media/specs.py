"""Rendition specs and their signed URLs: ``/media/<signature>/<spec>/<id>.<ext>``.

A spec names one rendition — ``w800_h600_cover_f500x300_q75`` is 800x600, covering the box
and cropped around the focal point (0.5, 0.3), quality 75 — and ``<ext>`` its format
(``auto`` negotiates it from the request's Accept). The signature is an HMAC of the spec,
the id and the extension with the site's secret, so only URLs the API made are rendered:
nobody can make the server render sizes of their choosing.
"""

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from enum import StrEnum

MEDIA_PREFIX = "/media"
DEFAULT_QUALITY = 75
MAX_DIMENSION = 8192
# The extension in a URL -> the format rendered ("auto" is chosen per request).
EXTENSIONS = {
    "auto": "auto",
    "jpg": "jpeg",
    "webp": "webp",
    "avif": "avif",
    "png": "png",
    "gif": "gif",
}
FORMAT_EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "avif": "avif", "png": "png", "gif": "gif"}
CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "avif": "image/avif",
    "png": "image/png",
    "gif": "image/gif",
}
_PART = re.compile(r"^(?:w(\d+)|h(\d+)|(cover|contain)|f(\d+)x(\d+)|q(\d+))$")
SIGNATURE_BYTES = 16


class Fit(StrEnum):
    COVER = "cover"
    CONTAIN = "contain"


class BadSpec(ValueError):
    """Not a spec this server makes."""


@dataclass(frozen=True)
class RenditionSpec:
    width: int | None = None
    height: int | None = None
    fit: Fit = Fit.CONTAIN
    # Per mille from the left and the top; only for cover crops.
    focal: tuple[int, int] | None = None
    quality: int = DEFAULT_QUALITY

    def __post_init__(self) -> None:
        for size in (self.width, self.height):
            if size is not None and not 1 <= size <= MAX_DIMENSION:
                raise BadSpec(f"Sizes must be 1 to {MAX_DIMENSION} pixels.")
        if not 1 <= self.quality <= 100:
            raise BadSpec("Quality must be 1 to 100.")
        if self.focal is not None and not all(0 <= v <= 1000 for v in self.focal):
            raise BadSpec("The focal point must be within the image.")

    @property
    def crops(self) -> bool:
        return self.fit is Fit.COVER and self.width is not None and self.height is not None

    @property
    def focal_point(self) -> tuple[float, float] | None:
        return None if self.focal is None else (self.focal[0] / 1000, self.focal[1] / 1000)

    def encode(self) -> str:
        parts = []
        if self.width is not None:
            parts.append(f"w{self.width}")
        if self.height is not None:
            parts.append(f"h{self.height}")
        if self.crops:
            parts.append(self.fit.value)
            if self.focal is not None:
                parts.append(f"f{self.focal[0]}x{self.focal[1]}")
        parts.append(f"q{self.quality}")
        return "_".join(parts)

    @classmethod
    def parse(cls, text: str) -> "RenditionSpec":
        """The spec of ``text``; only the one spelling ``encode`` makes is accepted."""
        values: dict[str, object] = {}
        for part in text.split("_"):
            match = _PART.match(part)
            if match is None:
                raise BadSpec(f"Unknown part {part!r}.")
            width, height, fit, fx, fy, quality = match.groups()
            if width:
                values["width"] = int(width)
            elif height:
                values["height"] = int(height)
            elif fit:
                values["fit"] = Fit(fit)
            elif fx:
                values["focal"] = (int(fx), int(fy))
            else:
                values["quality"] = int(quality)
        spec = cls(**values)  # type: ignore[arg-type]
        if spec.encode() != text:
            raise BadSpec("Not in its canonical form.")
        return spec


def focal_per_mille(x: float | None, y: float | None) -> tuple[int, int] | None:
    if x is None or y is None:
        return None
    return round(x * 1000), round(y * 1000)


class UrlSigner:
    """Signs and checks rendition paths with the site's secret."""

    def __init__(self, secret: str, public_url: str | None = None) -> None:
        self._key = hashlib.sha256(b"cms media renditions\0" + secret.encode()).digest()
        self.base = (public_url or "").rstrip("/") + MEDIA_PREFIX

    def signature(self, spec: str, asset_id: int, extension: str) -> str:
        message = f"{spec}/{asset_id}.{extension}".encode()
        digest = hmac.new(self._key, message, hashlib.sha256).digest()[:SIGNATURE_BYTES]
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def is_valid(self, signature: str, spec: str, asset_id: int, extension: str) -> bool:
        return hmac.compare_digest(signature, self.signature(spec, asset_id, extension))

    def url(self, spec: RenditionSpec, asset_id: int, extension: str) -> str:
        encoded = spec.encode()
        signature = self.signature(encoded, asset_id, extension)
        return f"{self.base}/{signature}/{encoded}/{asset_id}.{extension}"
