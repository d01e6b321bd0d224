"""What readers see change, named by the surrogate keys their cached responses carry.

A cached anonymous response is tagged with a key per page it shows (sections and comments
count as their page's), with ``page-list`` when it shows which pages are live (a list of
pages, a search), with ``not-found`` when a lookup (``page``, ``node``) found nothing, and
with ``cms-content``. A change
invalidates only the keys of what readers see change: a draft save invalidates nothing,
publishing page A invalidates A and the lists, approving a comment on A invalidates A.
"""

from collections.abc import Iterable

from cms.events import EVENTS_MISSED, Event
from cms.global_ids import to_global_id
from cms.models import Page, PageStatus

# On every cached response: invalidating it empties the whole cache.
ALL_CONTENT = "cms-content"
# On responses that depend on which pages are live and in what order.
PAGE_LIST = "page-list"
# On responses in which a lookup found nothing to show: it may be there once something
# goes live (a page published, a comment approved). Few responses, so cheap to drop.
NOT_FOUND = "not-found"
PAGE_EVENT_PREFIX = "page."
COMMENT_EVENTS = ("comment.approved", "comment.moderated")
# Events that change what readers see; other engineers publish them from the services.
CONTENT_EVENT_PREFIXES = ("page.", "section.", "comment.", "revision.", "content.")


def page_key(page_id: int) -> str:
    """A page's key: its global ID (the ID clients see)."""
    return to_global_id("Page", page_id)


def page_went_live_or_away(page_id: int) -> set[str]:
    """Published, unpublished, archived or deleted: the page, every list of pages, and the
    lookups that found nothing."""
    return {page_key(page_id), PAGE_LIST, NOT_FOUND}


async def working_copy_edited(page_id: int) -> set[str]:
    """A save of a page's working copy (its fields, sections, a restored revision): readers
    see the live revision, so nothing — except on a page published before revisions
    existed, whose rows are what readers see."""
    rows_are_live = await Page.filter(
        id=page_id, status=PageStatus.PUBLISHED, live_revision_id=None
    ).exists()
    return page_went_live_or_away(page_id) if rows_are_live else set()


def comments_changed(page_ids: Iterable[int]) -> set[str]:
    """A comment readers see appeared, changed or went: its page (threads and counts), and
    the lookups that found nothing (``node`` of a comment not yet approved)."""
    pages = {page_key(page_id) for page_id in page_ids}
    return pages | {NOT_FOUND} if pages else set()


def keys_for_event(event: Event) -> set[str]:
    """The keys a content event invalidates; nothing for an event readers do not see, and
    everything for one whose scope is unknown (or for events missed during an outage)."""
    page_id = event.payload.get("page_id")
    if event.name == EVENTS_MISSED:
        return {ALL_CONTENT}
    if not event.name.startswith(CONTENT_EVENT_PREFIXES):
        return set()
    if not isinstance(page_id, int):
        return {ALL_CONTENT}
    if event.name.startswith(PAGE_EVENT_PREFIX):
        return page_went_live_or_away(page_id)
    if event.name in COMMENT_EVENTS:
        return comments_changed([page_id])
    return {ALL_CONTENT}
