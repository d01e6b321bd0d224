"""The library images a section tree's bodies show, read in one batch per tree."""

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
