"""The library images a section tree's bodies show, read in one batch per tree."""

from cms.global_ids import to_global_id
from cms.media.figures import Figure
from cms.media.references import images_without_alt, referenced_assets
from schema.context import Info
from schema.loaders import SectionTree


async def attach_figures(info: Info, tree: SectionTree) -> None:
    """Fill ``tree.figures``: every referenced asset that exists (none without media)."""
    media = info.context.media
    wanted = sorted({pk for s in tree.by_id.values() for pk in referenced_assets(s.body)})
    tree.figures = {}
    if not wanted or media is None:
        return
    assets = await info.context.loaders.asset.load_many(wanted)
    tree.figures = {asset.id: Figure.of(asset, media) for asset in assets if asset is not None}


def image_warnings(body: str, tree: SectionTree) -> list[str]:
    """One message per ``asset:`` reference of ``body`` that ``tree`` has no figure for,
    and per image shown with no alt text that is not marked decorative."""
    figures = tree.figures or {}
    missing = sorted(referenced_assets(body) - figures.keys())
    unlabelled = sorted(
        pk
        for pk in images_without_alt(body)
        if pk in figures and not figures[pk].alt and not figures[pk].decorative
    )
    return [
        f"Image asset:{to_global_id('Asset', pk)} is unknown or deleted; it is not shown."
        for pk in missing
    ] + [
        f"Image asset:{to_global_id('Asset', pk)} has no alt text: give it one (here or on "
        "the asset) or mark the asset decorative."
        for pk in unlabelled
    ]
