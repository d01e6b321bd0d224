"""Publishing: what readers see is the page's live revision, a snapshot taken on publish.

Editing a published page changes only its working copy (the page and section rows);
readers keep seeing the live revision until the page is published again.
"""

from enum import StrEnum

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, ValidationFailed
from cms.events import Event, EventBus
from cms.models import Page, PageStatus, Revision, RevisionKind
from cms.services import search
from cms.services.concurrency import check_version
from cms.services.snapshots import record_revision, take_snapshot


class PageEvent(StrEnum):
    PUBLISHED = "page.published"
    UNPUBLISHED = "page.unpublished"
    ARCHIVED = "page.archived"
    DELETED = "page.deleted"


async def announce(events: EventBus | None, name: PageEvent, page: Page) -> None:
    """Tell subscribers and webhooks; only ids and public names travel."""
    if events is not None:
        payload = {"page_id": page.id, "slug": page.slug, "version": page.version}
        await events.publish(Event(name.value, payload))


async def _locked_page(page_id: int) -> Page:
    page = await Page.select_for_update().get_or_none(id=page_id)
    if page is None:
        raise ValidationFailed.single("id", "No page with this id.", ErrorCode.NOT_FOUND)
    return page


async def _check_live_slug_free(page: Page) -> None:
    if await Page.filter(live_slug=page.slug).exclude(id=page.id).exists():
        raise ValidationFailed.single(
            "slug",
            f"The slug '{page.slug}' is live on another page; change it before publishing.",
            ErrorCode.DUPLICATE,
        )


async def is_live_and_current(page: Page) -> bool:
    """Published, and nothing changed since: publishing again would change nothing."""
    if page.status is not PageStatus.PUBLISHED or page.live_revision_id is None:
        return False
    live_version = (
        await Revision.filter(id=page.live_revision_id)
        .first()
        .values_list("page_version", flat=True)
    )
    return live_version == page.version


async def publish(
    author_name: str,
    page_id: int,
    *,
    expected_version: int | None = None,
    message: str | None = None,
    events: EventBus | None = None,
) -> Page:
    """Snapshot the working copy as a PUBLISH revision and serve it to readers."""
    async with in_transaction():
        page = await _locked_page(page_id)
        check_version(page, expected_version)
        if await is_live_and_current(page):
            return page
        await _check_live_slug_free(page)
        page.version += 1
        page.status = PageStatus.PUBLISHED
        page.published_at = now()
        snapshot = await take_snapshot(page)
        revision = await record_revision(page, RevisionKind.PUBLISH, author_name, message, snapshot)
        page.live_revision_id = revision.id
        page.live_slug, page.live_title = page.slug, page.title
        await page.save()
        await search.index(page.id, snapshot, search.SearchScope.LIVE)
        await search.index(page.id, snapshot, search.SearchScope.DRAFT)
    await announce(events, PageEvent.PUBLISHED, page)
    return page


async def take_down(
    page_id: int,
    status: PageStatus,
    *,
    expected_version: int | None = None,
    events: EventBus | None = None,
) -> Page:
    """Unpublish (back to DRAFT) or archive: readers stop seeing the page at once."""
    async with in_transaction():
        page = await _locked_page(page_id)
        check_version(page, expected_version)
        if page.status is status:
            return page
        was_live = page.status is PageStatus.PUBLISHED
        page.status = status
        page.version += 1
        page.live_revision_id = None
        page.live_slug = page.live_title = None
        await page.save()
        await search.remove(page.id, search.SearchScope.LIVE)
    if was_live:
        name = PageEvent.ARCHIVED if status is PageStatus.ARCHIVED else PageEvent.UNPUBLISHED
        await announce(events, name, page)
    return page
