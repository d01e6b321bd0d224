"""Files in Markdown bodies: ``[Annual report](asset:ID)`` (or ``![…](asset:ID)`` naming a
file) becomes a download link with the file's type and size —
``<a href="…" download>Annual report</a> <small class="download__meta">(PDF, 1.2 MB)</small>``
— or plain text when the asset is gone."""

from dataclasses import dataclass
from html import escape

from cms.media.figures import Figure
from cms.media.file_types import FILE_TYPES
from cms.media.library import MediaLibrary
from cms.models import Asset


def readable_size(size: int) -> str:
    """Decimal units, as file managers show them: 512 bytes, 34 KB, 1.2 MB."""
    if size < 1000:
        return f"{size} byte{'' if size == 1 else 's'}"
    value, unit = size / 1000, "KB"
    for bigger in ("MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"


@dataclass(frozen=True)
class DownloadLink:
    """Everything a body needs to offer one file (hashable: bodies are cached by it)."""

    asset_id: int
    url: str
    # "PDF, 1.2 MB"
    details: str
    name: str

    @classmethod
    def of(cls, asset: Asset, media: MediaLibrary) -> "DownloadLink":
        file_type = FILE_TYPES.get(asset.media_type)
        label = file_type.label if file_type else asset.media_type
        return cls(
            asset_id=asset.id,
            url=media.download_url(asset),
            details=f"{label}, {readable_size(asset.size)}",
            name=asset.original_name,
        )

    def opening(self) -> str:
        return f'<a href="{escape(self.url)}" download>'

    def closing(self) -> str:
        return f'</a> <small class="download__meta">({escape(self.details)})</small>'

    def html(self, text: str) -> str:
        """The whole link; the file's name when the Markdown gives no text."""
        return self.opening() + escape(text or self.name) + self.closing()


# What an ``asset:`` reference in a body shows: an image's figure or a file's link.
ShownAsset = Figure | DownloadLink
