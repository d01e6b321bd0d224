"""Images in Markdown bodies: ``![alt](asset:ID "caption")`` becomes a responsive
``<figure><picture>`` — AVIF and WebP sources, a JPEG ``<img>`` with ``srcset``, ``sizes``,
width and height (no layout shift) and lazy loading — or nothing when the asset is gone.
A GIF or WebP may be animated: it gets no AVIF source (AVIF renditions are stills), and a
GIF's fallback ``<img>`` is a GIF."""

from dataclasses import dataclass
from html import escape

from cms.media.formats import ANIMATABLE_TYPES
from cms.media.library import MediaLibrary
from cms.models import Asset

# The reader site's text column is 42rem wide; narrower screens get the full width.
SIZES = "(max-width: 42rem) 100vw, 42rem"
FALLBACK_WIDTH = 960


@dataclass(frozen=True)
class Figure:
    """Everything a body needs to show one asset (hashable: bodies are cached by it)."""

    asset_id: int
    width: int
    height: int
    alt: str
    decorative: bool
    caption: str
    credit: str
    src: str
    srcset: str
    webp_srcset: str
    avif_srcset: str

    @classmethod
    def of(cls, asset: Asset, media: MediaLibrary) -> "Figure":
        fallback = min(FALLBACK_WIDTH, asset.width)
        extension = "gif" if asset.media_type == "image/gif" else "jpg"
        may_animate = asset.media_type in ANIMATABLE_TYPES
        return cls(
            asset_id=asset.id,
            width=asset.width,
            height=asset.height,
            alt=asset.alt,
            decorative=asset.decorative,
            caption=asset.caption,
            credit=asset.credit,
            src=media.url(asset, width=fallback, extension=extension),
            srcset=media.srcset(asset, extension=extension),
            webp_srcset=media.srcset(asset, extension="webp"),
            avif_srcset="" if may_animate else media.srcset(asset, extension="avif"),
        )

    def html(self, alt: str, caption: str) -> str:
        """The figure; the Markdown's alt text and title win over the asset's own."""
        alt_text = "" if self.decorative else (alt or self.alt)
        caption_text = caption or self.caption
        credit = (
            f' <small class="figure__credit">{escape(self.credit)}</small>' if self.credit else ""
        )
        figcaption = (
            f"<figcaption>{escape(caption_text)}{credit}</figcaption>"
            if caption_text or self.credit
            else ""
        )
        avif = (
            f'<source type="image/avif" srcset="{escape(self.avif_srcset)}" sizes="{SIZES}">'
            if self.avif_srcset
            else ""
        )
        return (
            f'<figure class="figure"><picture>{avif}'
            f'<source type="image/webp" srcset="{escape(self.webp_srcset)}" sizes="{SIZES}">'
            f'<img src="{escape(self.src)}" srcset="{escape(self.srcset)}" sizes="{SIZES}" '
            f'width="{self.width}" height="{self.height}" alt="{escape(alt_text)}" '
            'loading="lazy" decoding="async">'
            f"</picture>{figcaption}</figure>"
        )
