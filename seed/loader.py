"""Loads the article as one PUBLISHED page. Running it twice changes nothing."""

from dataclasses import dataclass

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from cms.models import Page, PageStatus, RevisionKind, Section
from cms.services import publishing, search
from cms.services.sections import anchor_base
from cms.services.snapshots import record_revision, take_snapshot
from seed.article import ARTICLE_SLUG, Article, SectionData, load_article

SEED_AUTHOR = "seed"


@dataclass(frozen=True)
class SeedResult:
    page: Page
    created: bool


async def _create_sections(
    page: Page, sections: list[SectionData], parent: Section | None, anchors: set[str]
) -> None:
    for position, data in enumerate(sections):
        base = anchor_base(data.title, data.body)
        anchor, number = base, 1
        while anchor in anchors:
            number += 1
            anchor = f"{base}-{number}"
        anchors.add(anchor)
        section = await Section.create(
            page=page,
            parent=parent,
            position=position,
            title=data.title,
            body=data.body,
            anchor=anchor,
        )
        await _create_sections(page, data.children, section, anchors)


async def seed(*, reset: bool = False, article: Article | None = None) -> SeedResult:
    """Create the article's page unless it exists; with ``reset``, replace it."""
    article = article or load_article()
    async with in_transaction():
        existing = await Page.get_or_none(slug=ARTICLE_SLUG)
        if existing is not None and not reset:
            return SeedResult(existing, created=False)
        if existing is not None:
            await existing.delete()
            await search.remove(existing.id)
        page = await Page.create(
            slug=ARTICLE_SLUG,
            title=article.title,
            status=PageStatus.PUBLISHED,
            published_at=now(),
        )
        await _create_sections(page, article.sections, None, set())
        await _publish(page)
    return SeedResult(page, created=True)


async def _publish(page: Page) -> None:
    """Record the loaded content as the page's first, PUBLISH revision: what readers see."""
    snapshot = await take_snapshot(page)
    revision = await record_revision(page, RevisionKind.PUBLISH, SEED_AUTHOR, "Seeded.", snapshot)
    publishing.show_live(page, revision)
    await page.save(update_fields=publishing.LIVE_COLUMNS)
    await search.index(page.id, snapshot, search.SearchScope.LIVE)
    await search.index(page.id, snapshot, search.SearchScope.DRAFT)
