"""Publishing: what readers see is the page's live revision, a snapshot taken on publish.

Editing a published page changes only its working copy (the page and section rows);
readers keep seeing the live revision until the page is published again.
"""

from enum import StrEnum

from tortoise.connection import connections
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, ValidationFailed
from cms.events import Event, EventBus
from cms.models import Page, PageStatus, Revision, RevisionKind
from cms.services import search
from cms.services.alt_text import check_images_described
from cms.services.auth import Actor
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


async def _check_live_slug_free(page: Page, slug: str) -> None:
    if await Page.filter(live_slug=slug).exclude(id=page.id).exists():
        raise ValidationFailed.single(
            "slug",
            f"The slug '{slug}' is live on another page; change it before publishing.",
            ErrorCode.DUPLICATE,
        )


def show_live(page: Page, revision: Revision) -> None:
    """Serve ``revision`` to readers: the page's live columns, which readers find and sort
    pages by, follow it (the caller saves the page)."""
    page.live_revision_id = revision.id
    shown = revision.content["page"]
    page.live_slug, page.live_title = shown["slug"], shown["title"]
    page.live_updated_at = revision.created_at


LIVE_COLUMNS = ["live_revision_id", "live_slug", "live_title", "live_updated_at"]
# Published pages without live columns (an export made before they existed): as migration
# 0007 fills them.
FILL_LIVE_COLUMNS = """
UPDATE page SET
    live_title = COALESCE(live_title, title),
    live_updated_at = COALESCE(
        (SELECT revision.created_at FROM revision WHERE revision.id = page.live_revision_id),
        page.updated_at
    )
WHERE status = 'PUBLISHED' AND (live_title IS NULL OR live_updated_at IS NULL)
"""


async def fill_live_columns() -> None:
    # execute_query, not execute_script: on SQLite a script commits the open transaction.
    await connections.get("default").execute_query(FILL_LIVE_COLUMNS)


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


async def publish_in_transaction(
    author: Actor | str,
    page_id: int,
    *,
    expected_version: int | None = None,
    message: str | None = None,
    revision: Revision | None = None,
) -> tuple[Page, bool]:
    """Inside the caller's transaction: snapshot the working copy — or take ``revision``'s
    snapshot (a scheduled publish) — as a PUBLISH revision and serve it to readers. Returns
    the page and whether readers' view changed.

    A revision older than the working copy keeps its page version on the PUBLISH revision,
    so the page still shows the later edits as unpublished changes."""
    page = await _locked_page(page_id)
    check_version(page, expected_version)
    if revision is None and await is_live_and_current(page):
        return page, False
    if revision is None:
        snapshot = await take_snapshot(page)
        await check_images_described(snapshot)
    else:  # checked when it was scheduled
        snapshot = revision.content
    shown = snapshot["page"]
    await _check_live_slug_free(page, shown["slug"])
    working_copy = revision is None or revision.page_version == page.version
    page.version += 1
    page.status = PageStatus.PUBLISHED
    page.published_at = now()
    published = await record_revision(
        page,
        RevisionKind.PUBLISH,
        author,
        message,
        snapshot,
        page_version=page.version if working_copy else revision.page_version,
    )
    show_live(page, published)
    await page.save()
    await search.index(page.id, snapshot, search.SearchScope.LIVE)
    if working_copy:
        await search.index(page.id, snapshot, search.SearchScope.DRAFT)
    return page, True


async def publish(
    author: Actor | str,
    page_id: int,
    *,
    expected_version: int | None = None,
    message: str | None = None,
    events: EventBus | None = None,
) -> Page:
    """Snapshot the working copy as a PUBLISH revision and serve it to readers."""
    async with in_transaction():
        page, changed = await publish_in_transaction(
            author, page_id, expected_version=expected_version, message=message
        )
    if changed:
        await announce(events, PageEvent.PUBLISHED, page)
    return page


async def take_down_in_transaction(
    page_id: int, status: PageStatus, *, expected_version: int | None = None
) -> tuple[Page, PageEvent | None]:
    """Inside the caller's transaction: unpublish (back to DRAFT) or archive. Returns the
    page and the event to announce once committed (None if readers saw nothing change)."""
    page = await _locked_page(page_id)
    check_version(page, expected_version)
    if page.status is status:
        return page, None
    was_live = page.status is PageStatus.PUBLISHED
    page.status = status
    page.version += 1
    page.live_revision_id = None
    page.live_slug = page.live_title = page.live_updated_at = None
    await page.save()
    await search.remove(page.id, search.SearchScope.LIVE)
    if not was_live:
        return page, None
    return page, PageEvent.ARCHIVED if status is PageStatus.ARCHIVED else PageEvent.UNPUBLISHED


async def take_down(
    page_id: int,
    status: PageStatus,
    *,
    expected_version: int | None = None,
    events: EventBus | None = None,
) -> Page:
    """Unpublish (back to DRAFT) or archive: readers stop seeing the page at once."""
    async with in_transaction():
        page, event = await take_down_in_transaction(
            page_id, status, expected_version=expected_version
        )
    if event is not None:
        await announce(events, event, page)
    return page
