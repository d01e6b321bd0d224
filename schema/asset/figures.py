"""The library images a section tree's bodies show, read in one batch per tree."""

from cms.global_ids import to_global_id
from cms.media.figures import Figure
from cms.media.references import referenced_assets
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
    """One message per ``asset:`` reference of ``body`` that ``tree`` has no figure for."""
    missing = sorted(referenced_assets(body) - (tree.figures or {}).keys())
    return [
        f"Image asset:{to_global_id('Asset', pk)} is unknown or deleted; it is not shown."
        for pk in missing
    ]
