"""The media library as the rest of the app sees it: where the bytes are, how rendition
and download URLs are made, and the image sizes offered."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from cms.config import Settings
from cms.media.download_urls import DownloadSigner, safe_filename
from cms.media.specs import DEFAULT_QUALITY, Fit, RenditionSpec, UrlSigner, focal_per_mille
from cms.media.storage import MediaStorage, open_storage
from cms.models import Asset
from cms.secret_key import signing_key


def _origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class MediaLibrary:
    storage: MediaStorage
    signer: UrlSigner
    downloads: DownloadSigner
    srcset_widths: tuple[int, ...]
    # The origin (scheme://host[:port]) renditions are served from, when not the app's.
    origin: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "MediaLibrary":
        return cls(
            open_storage(settings),
            UrlSigner(signing_key(settings), settings.media_public_url),
            DownloadSigner(signing_key(settings), settings.media_public_url),
            tuple(sorted(set(settings.media_srcset_widths))),
            _origin(settings.media_public_url),
        )

    def url(
        self,
        asset: Asset,
        *,
        width: int | None = None,
        height: int | None = None,
        fit: Fit = Fit.CONTAIN,
        extension: str = "auto",
        quality: int | None = None,
    ) -> str:
        """A signed rendition URL; a cover crop is centred on the asset's focal point."""
        crops = fit is Fit.COVER and width is not None and height is not None
        spec = RenditionSpec(
            width=width,
            height=height,
            fit=fit if crops else Fit.CONTAIN,
            focal=focal_per_mille(asset.focal_x, asset.focal_y) if crops else None,
            quality=DEFAULT_QUALITY if quality is None else quality,
        )
        return self.signer.url(spec, asset.id, extension)

    def download_url(self, asset: Asset) -> str:
        """A file's signed download URL, ending with the name it is saved under."""
        return self.downloads.url(asset.id, safe_filename(asset.original_name, asset.media_type))

    def widths_for(self, asset: Asset, widths: tuple[int, ...] | None = None) -> list[int]:
        """The offered widths the image can fill (never upscaled), and its own width in place
        of those it cannot."""
        offered = widths or self.srcset_widths
        chosen = [w for w in offered if w < asset.width]
        if len(chosen) < len(offered):
            chosen.append(asset.width)
        return chosen

    def srcset(
        self, asset: Asset, widths: tuple[int, ...] | None = None, extension: str = "auto"
    ) -> str:
        return ", ".join(
            f"{self.url(asset, width=w, extension=extension)} {w}w"
            for w in self.widths_for(asset, widths)
        )
