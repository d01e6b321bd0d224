"""The media library's types: Asset (editors' view of an upload, an image or a file) and
Image (an image as readers get it, with rendition URLs)."""

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from cms import models
from cms.errors import CmsError
from cms.media.library import MediaLibrary
from cms.media.specs import MAX_DIMENSION, Fit
from cms.services.asset_usage import AssetUse as AssetUseRow
from cms.services.asset_usage import asset_usage
from schema.context import Info
from schema.relay import Node, to_global_id

AssetKindEnum = strawberry.enum(
    models.AssetKind,
    name="AssetKind",
    description="What an asset is: IMAGE, shown with renditions (figures, covers); FILE, any "
    "other accepted file (PDF, text, CSV, ZIP, Office, OpenDocument, MP3, MP4, WebM), "
    "offered as a download.",
)

ImageFit = strawberry.enum(
    Fit,
    name="ImageFit",
    description="How a rendition fills a width x height box.",
)


@strawberry.enum(description="The file format of a rendition.")
class ImageFormat(Enum):
    AUTO = "auto"
    AVIF = "avif"
    WEBP = "webp"
    JPEG = "jpg"
    PNG = "png"
    GIF = "gif"


FORMAT_DESCRIPTIONS = (
    "AUTO: the best the browser accepts (AVIF, WebP, else JPEG; sent with Vary: Accept); "
    "for an animated GIF or WebP, animated WebP, else GIF. GIF and WEBP keep an animation; "
    "the other formats show its first frame."
)


@strawberry.type(description="Where the subject of an image is: crops keep it in view.")
class FocalPoint:
    x: float = strawberry.field(description="From the left edge, 0 to 1.")
    y: float = strawberry.field(description="From the top edge, 0 to 1.")


class MediaUnavailable(CmsError):
    """This app serves no media."""


def media_library(info: Info) -> MediaLibrary:
    if info.context.media is None:
        raise MediaUnavailable("Media are not configured on this server.")
    return info.context.media


Width = Annotated[
    int | None, strawberry.argument(description=f"Width in pixels (1-{MAX_DIMENSION}).")
]
Height = Annotated[
    int | None, strawberry.argument(description=f"Height in pixels (1-{MAX_DIMENSION}).")
]


@strawberry.type(
    description="An image to show, with URLs of renditions at the sizes you ask for. The "
    "URLs are signed: use them as they are."
)
class Image:
    asset: strawberry.Private[models.Asset]
    width: int = strawberry.field(description="The original's width in pixels (as displayed).")
    height: int = strawberry.field(description="The original's height in pixels.")
    alt: str = strawberry.field(description="Alternative text; empty for a decorative image.")
    decorative: bool = strawberry.field(description="Whether the image is purely decorative.")
    caption: str = strawberry.field(description="The caption, if any.")
    credit: str = strawberry.field(description="Who made the image, if given.")
    placeholder: str = strawberry.field(
        description="A tiny blurred preview as a data: URI (a WebP of 16 px or less) to show "
        "while the image loads."
    )

    @classmethod
    def of(cls, asset: models.Asset) -> "Image":
        return cls(
            asset=asset,
            width=asset.width,
            height=asset.height,
            alt="" if asset.decorative else asset.alt,
            decorative=asset.decorative,
            caption=asset.caption,
            credit=asset.credit,
            placeholder=asset.placeholder,
        )

    @strawberry.field(description="The focal point, if one was set.")
    def focal_point(self) -> FocalPoint | None:
        if self.asset.focal_x is None or self.asset.focal_y is None:
            return None
        return FocalPoint(x=self.asset.focal_x, y=self.asset.focal_y)

    @strawberry.field(
        description="A rendition's URL. Give a width, a height or both; with both, `fit` "
        "says whether the image covers the box (cropped around the focal point, else the "
        "most interesting part) or fits inside it. Images are never enlarged."
    )
    def url(
        self,
        info: Info,
        width: Width = None,
        height: Height = None,
        fit: Annotated[
            Fit, strawberry.argument(description="COVER crops to the box; CONTAIN fits in it.")
        ] = Fit.COVER,
        format: Annotated[
            ImageFormat, strawberry.argument(description=FORMAT_DESCRIPTIONS)
        ] = ImageFormat.AUTO,
        quality: Annotated[
            int | None, strawberry.argument(description="Encoder quality, 1-100 (default 75).")
        ] = None,
    ) -> str:
        try:
            return media_library(info).url(
                self.asset,
                width=width,
                height=height,
                fit=fit,
                extension=format.value,
                quality=quality,
            )
        except ValueError as error:
            raise CmsError(str(error)) from error

    @strawberry.field(
        description="A `srcset` value: one URL per width (the configured widths by "
        "default), each no wider than the original."
    )
    def srcset(
        self,
        info: Info,
        widths: Annotated[
            list[int] | None, strawberry.argument(description="Widths in pixels.")
        ] = None,
        format: Annotated[
            ImageFormat, strawberry.argument(description=FORMAT_DESCRIPTIONS)
        ] = ImageFormat.AUTO,
    ) -> str:
        if widths is not None and not all(1 <= w <= MAX_DIMENSION for w in widths):
            raise CmsError(f"Widths must be 1 to {MAX_DIMENSION} pixels.")
        chosen = tuple(sorted(set(widths))) if widths else None
        return media_library(info).srcset(self.asset, chosen, format.value)


@strawberry.type(description="One place an asset is shown.")
class AssetUse:
    page_id: strawberry.ID = strawberry.field(description="The page's global ID.")
    page_title: str = strawberry.field(description="The page's title (working copy or live).")
    place: str = strawberry.field(
        description="Where: 'cover image' or \"section 'anchor'\", prefixed 'live ' for what "
        "readers see now."
    )

    @classmethod
    def of(cls, use: AssetUseRow) -> "AssetUse":
        return cls(
            page_id=strawberry.ID(to_global_id("Page", use.page_id)),
            page_title=use.page_title,
            place=use.place,
        )


@strawberry.type(description="An image or a file in the media library (editors only).")
class Asset(Node):
    row: strawberry.Private[models.Asset]
    original_name: str = strawberry.field(description="The file's name when it was uploaded.")
    media_type: str = strawberry.field(
        description="The type detected from the bytes, e.g. image/png or application/pdf."
    )
    kind: models.AssetKind = strawberry.field(
        description="IMAGE (shown, with renditions) or FILE (offered as a download)."
    )
    size: int = strawberry.field(description="Bytes.")
    width: int | None = strawberry.field(
        description="Width in pixels, as displayed; null for files."
    )
    height: int | None = strawberry.field(
        description="Height in pixels, as displayed; null for files."
    )
    content_hash: str = strawberry.field(description="SHA-256 of the bytes, in hex.")
    uploader: str = strawberry.field(description="Who uploaded it (their token's name).")
    created_at: datetime = strawberry.field(description="When it was uploaded (UTC).")
    image: Image | None = strawberry.field(
        description="The asset as an image, with renditions; null for files."
    )

    @classmethod
    def from_model(cls, asset: models.Asset) -> "Asset":
        return cls(
            id=strawberry.ID(to_global_id("Asset", asset.id)),
            row=asset,
            original_name=asset.original_name,
            media_type=asset.media_type,
            kind=asset.kind,
            size=asset.size,
            width=asset.width,
            height=asset.height,
            content_hash=asset.content_hash,
            uploader=asset.uploader,
            created_at=asset.created_at,
            image=Image.of(asset) if asset.kind is models.AssetKind.IMAGE else None,
        )

    @strawberry.field(
        description="A file's download URL (signed: use it as it is; absolute when media "
        "are served from CMS_MEDIA_PUBLIC_URL). It is sent as an attachment under the "
        "file's name. Null for images: show them through `image`, whose renditions carry "
        "none of the original's metadata."
    )
    def download_url(self, info: Info) -> str | None:
        if self.row.kind is not models.AssetKind.FILE:
            return None
        return media_library(info).download_url(self.row)

    @strawberry.field(description="Where the asset is shown; it cannot be deleted while it is.")
    async def usage(self) -> list[AssetUse]:
        return [AssetUse.of(use) for use in await asset_usage(self.row.id)]
