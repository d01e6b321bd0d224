"""Where an asset is shown: pages' cover images and section bodies, in the working copy and
in what readers see (the live revision), so an asset in use is never deleted."""

from dataclasses import dataclass

from tortoise.expressions import Q

from cms.media.references import reference_needles, referenced_assets
from cms.models import Page, Revision, Section
from cms.services.hand_written_sql import select_where


@dataclass(frozen=True)
class AssetUse:
    """One place an asset is shown: a page, and where on it."""

    page_id: int
    page_title: str
    # "cover image" or "section <anchor>"; prefixed "live " for what readers see.
    place: str

    def describe(self) -> str:
        return f"{self.place} of page {self.page_title!r}"


async def _working_copy_uses(asset_id: int) -> list[AssetUse]:
    uses = [
        AssetUse(page.id, page.title, "cover image")
        for page in await Page.filter(cover_image_id=asset_id).order_by("id")
    ]
    numbered, global_id = reference_needles(asset_id)
    sections = await Section.filter(
        Q(body__contains=numbered) | Q(body__contains=global_id)
    ).order_by("page_id", "position", "id")
    titles = dict(
        await Page.filter(id__in={s.page_id for s in sections}).values_list("id", "title")
    )
    uses += [
        AssetUse(section.page_id, titles[section.page_id], f"section {section.anchor!r}")
        for section in sections
        if asset_id in referenced_assets(section.body)
    ]
    return uses


async def _live_uses(asset_id: int) -> list[AssetUse]:
    """Uses in live revisions (a loose text search, then each snapshot read exactly)."""
    revisions = await select_where(
        Revision,
        "id IN (SELECT live_revision_id FROM page WHERE live_revision_id IS NOT NULL) "
        "AND (CAST(content AS TEXT) LIKE ? OR CAST(content AS TEXT) LIKE ?)",
        ["%asset:%", f'%"coverImageId": {asset_id}%'],
    )
    uses: list[AssetUse] = []
    for revision in sorted(revisions, key=lambda r: r.page_id):
        page = revision.content["page"]
        if page.get("coverImageId") == asset_id:
            uses.append(AssetUse(revision.page_id, page["title"], "live cover image"))
        uses += [
            AssetUse(revision.page_id, page["title"], f"live section {section['anchor']!r}")
            for section in revision.content["sections"]
            if asset_id in referenced_assets(section["body"])
        ]
    return uses


async def asset_usage(asset_id: int) -> list[AssetUse]:
    return await _working_copy_uses(asset_id) + await _live_uses(asset_id)
