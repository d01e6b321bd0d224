"""The library images and files a section tree's bodies show, read in one batch per tree."""

from cms.global_ids import to_global_id
from cms.media.download_links import DownloadLink
from cms.media.figures import Figure
from cms.media.references import referenced_assets
from cms.models import AssetKind
from cms.rendering import body_assets
from schema.context import Info
from schema.loaders import SectionTree


async def attach_figures(info: Info, tree: SectionTree) -> None:
    """Fill ``tree.figures``: every referenced asset that exists, an image as a figure, a
    file as a download link (none without media)."""
    media = info.context.media
    wanted = sorted({pk for s in tree.by_id.values() for pk in referenced_assets(s.body)})
    tree.figures = {}
    if not wanted or media is None:
        return
    assets = await info.context.loaders.asset.load_many(wanted)
    tree.figures = {
        asset.id: (
            Figure.of(asset, media)
            if asset.kind is AssetKind.IMAGE
            else DownloadLink.of(asset, media)
        )
        for asset in assets
        if asset is not None
    }


def image_warnings(body: str, tree: SectionTree) -> list[str]:
    """One message per ``asset:`` reference of ``body`` that ``tree`` has nothing for, per
    link to an image, and per image shown with no alt text that is not marked decorative."""
    figures = tree.figures or {}
    shown = body_assets(body)
    links = shown.links
    missing = referenced_assets(body) - figures.keys()
    images = {pk: shown for pk, shown in figures.items() if isinstance(shown, Figure)}
    unlabelled = sorted(
        pk
        for pk in shown.images_without_alt
        if pk in images and not images[pk].alt and not images[pk].decorative
    )
    return (
        [
            f"Image asset:{to_global_id('Asset', pk)} is unknown or deleted; it is not shown."
            for pk in sorted(missing - links)
        ]
        + [
            f"File asset:{to_global_id('Asset', pk)} is unknown or deleted; the link is shown "
            "as plain text."
            for pk in sorted(missing & links)
        ]
        + [
            f"asset:{to_global_id('Asset', pk)} is an image, not a file: show it with "
            "![alt text](asset:…); the link is shown as plain text."
            for pk in sorted(links & images.keys())
        ]
        + [
            f"Image asset:{to_global_id('Asset', pk)} has no alt text: give it one (here or on "
            "the asset) or mark the asset decorative."
            for pk in unlabelled
        ]
    )
