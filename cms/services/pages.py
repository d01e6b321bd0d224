"""Pages: who can see them, creating, editing, publishing and deleting them."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from tortoise import timezone
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.events import EventBus
from cms.models import Page, PageCount, PageStatus, Revision, Role
from cms.services import publishing, search
from cms.services.alt_text import check_usable_image
from cms.services.auth import Actor, Viewer, require_editor
from cms.services.autosave import record_save
from cms.services.concurrency import check_version
from cms.services.hand_written_sql import select_with_joined
from cms.services.pagination import Ordered, SortKey, ordered
from cms.services.snapshots import take_snapshot
from cms.services.validation import (
    check_length,
    check_required,
    check_slug,
    first_error,
    search_text,
)

SLUG_MAX = 200
TITLE_MAX = 300
SUMMARY_MAX = 2000


class PageOrderField(StrEnum):
    TITLE = "title"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    PUBLISHED_AT = "published_at"


@dataclass(frozen=True)
class PageFilter:
    status: PageStatus | None = None
    search: str | None = None


def can_view(viewer: Viewer | None, page: Page) -> bool:
    """Readers see published pages only; editors see everything."""
    return page.status is PageStatus.PUBLISHED or (viewer is not None and viewer.is_editor)


def visible_pages(viewer: Viewer | None) -> QuerySet[Page]:
    """The pages this viewer may see. A hidden page behaves exactly like a missing one."""
    query = Page.all()
    if viewer is None or not viewer.is_editor:
        query = query.filter(status=PageStatus.PUBLISHED)
    return query


# What readers see and sort by: the columns publishing keeps for the live copy, each
# indexed with the status and the id (an unpublished rename or edit stays unseen).
READER_COLUMNS = {
    PageOrderField.TITLE: "live_title",
    PageOrderField.UPDATED_AT: "live_updated_at",
}


def filtered_pages(
    viewer: Viewer | None,
    page_filter: PageFilter,
    order_by: PageOrderField = PageOrderField.PUBLISHED_AT,
    descending: bool = True,
) -> Ordered[Page]:
    """Editors list working copies; readers list the live copies of published pages, by
    their live title and the time of their live revision. Pages never published come last
    in either direction."""
    query = visible_pages(viewer)
    is_editor = viewer is not None and viewer.is_editor
    field = order_by.value if is_editor else READER_COLUMNS.get(order_by, order_by.value)
    statuses = set(PageStatus) if is_editor else {PageStatus.PUBLISHED}
    if page_filter.status is not None:
        query = query.filter(status=page_filter.status)
        statuses &= {page_filter.status}
    text = search_text("search", page_filter.search)
    count = None if text is not None else lambda: count_pages(statuses)
    if text is not None:
        title = "title" if is_editor else READER_COLUMNS[PageOrderField.TITLE]
        query = query.filter(**{f"{title}__icontains": text})
    key = SortKey(
        field,
        descending=descending,
        nullable=order_by is PageOrderField.PUBLISHED_AT,  # drafts were never published
        value_type=str if order_by is PageOrderField.TITLE else datetime,
    )
    return ordered(query, key, SortKey("id", descending=descending), count=count)


async def count_pages(statuses: set[PageStatus]) -> int:
    """How many pages have these statuses: the counts triggers keep (migration 0007)."""
    if not statuses:
        return 0
    counts = await PageCount.filter(status__in=statuses).values_list("pages", flat=True)
    return sum(counts)


async def get_visible_page(viewer: Viewer | None, page_id: int) -> Page | None:
    return await visible_pages(viewer).get_or_none(id=page_id)


async def get_live_page(slug: str) -> tuple[Page, Revision | None] | None:
    """The published page readers reach by ``slug``, with its live revision (None for a page
    published before revisions existed), in one statement: every reader's request starts
    here (see hand_written_sql.py). Pages published before live slugs existed are found by
    their slug."""
    found = await select_with_joined(
        Page,
        Revision,
        "live_revision_id",
        "page.status = ? AND (page.live_slug = ? OR (page.live_slug IS NULL AND page.slug = ?))",
        [PageStatus.PUBLISHED.value, slug, slug],
    )
    return found[0] if found else None


async def get_editable_page(
    viewer: Viewer | None, page_id: int, field: str = "id", *, lock: bool = False
) -> Page:
    """The page an editor is about to change, or a NOT_FOUND validation error.

    With ``lock`` (inside a transaction) the row stays locked until the transaction ends,
    so concurrent changes to the page queue up instead of overwriting each other.
    """
    require_editor(viewer)
    page = await (Page.select_for_update() if lock else Page).get_or_none(id=page_id)
    if page is None:
        raise ValidationFailed.single(field, "No page with this id.", ErrorCode.NOT_FOUND)
    return page


def _page_field_errors(
    slug: str | None, title: str | None, summary: str | None, *, creating: bool
) -> list[FieldError]:
    errors: list[FieldError | None] = []
    if creating or slug is not None:
        errors += [check_required("slug", slug), check_length("slug", slug, SLUG_MAX)]
        if slug and slug.strip():
            errors.append(check_slug("slug", slug))
    if creating or title is not None:
        errors += [check_required("title", title), check_length("title", title, TITLE_MAX)]
    errors.append(check_length("summary", summary, SUMMARY_MAX))
    return first_error(*errors)


async def _check_slug_free(slug: str, except_page_id: int | None = None) -> None:
    """Free among working copies and among what readers see (a renamed page keeps its old
    slug live until it is published again)."""
    query = Page.filter(Q(slug=slug) | Q(live_slug=slug))
    if except_page_id is not None:
        query = query.exclude(id=except_page_id)
    if await query.exists():
        raise ValidationFailed.single(
            "slug", f"The slug '{slug}' is already used by another page.", ErrorCode.DUPLICATE
        )


@asynccontextmanager
async def _slug_race_reported(
    slug: str | None, except_page_id: int | None = None
) -> AsyncIterator[None]:
    """Turn the unique-slug violation of a concurrent editor who took the same slug between
    our check and our write into the DUPLICATE error the check itself would have given."""
    try:
        yield
    except IntegrityError:
        if slug is not None:
            await _check_slug_free(slug, except_page_id)
        raise


async def create_page(
    viewer: Viewer | None,
    *,
    slug: str,
    title: str,
    summary: str | None = None,
    cover_image_id: int | None = None,
) -> Page:
    """Create a DRAFT page (and its first revision)."""
    viewer = require_editor(viewer)
    errors = _page_field_errors(slug, title, summary, creating=True)
    if errors:
        raise ValidationFailed(errors)
    if cover_image_id is not None:
        await check_usable_image(cover_image_id, "coverImageId")
    await _check_slug_free(slug)
    async with _slug_race_reported(slug), in_transaction():
        page = await Page.create(
            slug=slug, title=title.strip(), summary=summary, cover_image_id=cover_image_id
        )
        await _record_save(page, viewer.actor, "Created.")
    return page


async def update_page(
    viewer: Viewer | None,
    page_id: int,
    *,
    slug: str | None = None,
    title: str | None = None,
    summary: str | None = None,
    expected_version: int | None = None,
    message: str | None = None,
    cover_image_id: int | None = None,
    remove_cover_image: bool = False,
    autosave_window: timedelta | None = None,
) -> Page:
    """Change a page's slug, title, summary or cover image; the version goes up by one and
    the working copy is recorded as a SAVE revision (an autosave, ``autosave_window`` set,
    may continue the latest one: cms/services/autosave.py). Readers see the change once it
    is published."""
    viewer = require_editor(viewer)
    async with _slug_race_reported(slug, except_page_id=page_id), in_transaction():
        page = await get_editable_page(viewer, page_id, lock=True)
        check_version(page, expected_version)
        errors = _page_field_errors(slug, title, summary, creating=False)
        if errors:
            raise ValidationFailed(errors)
        if slug is not None:
            await _check_slug_free(slug, except_page_id=page.id)
            page.slug = slug
        if title is not None:
            page.title = title.strip()
        if summary is not None:
            page.summary = summary or None
        if remove_cover_image:
            page.cover_image_id = None
        elif cover_image_id is not None:
            await check_usable_image(cover_image_id, "coverImageId")
            page.cover_image_id = cover_image_id
        page.version += 1
        await page.save()
        await _record_save(page, viewer.actor, message, autosave_window)
    return page


async def _record_save(
    page: Page, author: Actor, message: str | None, autosave_window: timedelta | None = None
) -> None:
    snapshot = await take_snapshot(page)
    await record_save(
        page, author, message, snapshot, autosave_window=autosave_window, at=timezone.now()
    )
    await search.index(page.id, snapshot, search.SearchScope.DRAFT)


async def touch_page(
    page_id: int,
    author: Actor,
    expected_version: int | None = None,
    message: str | None = None,
    autosave_window: timedelta | None = None,
) -> Page:
    """Record that a page's content changed (inside the transaction that changed it, with
    the page locked): check the version the editor started from, bump it and updated_at,
    and record the working copy as a SAVE revision (or continue the latest, for an
    autosave)."""
    page = await Page.get(id=page_id)
    check_version(page, expected_version)
    page.version += 1
    await page.save(update_fields=["version", "updated_at"])
    await _record_save(page, author, message, autosave_window)
    return page


async def set_page_status(
    viewer: Viewer | None,
    page_id: int,
    status: PageStatus,
    *,
    expected_version: int | None = None,
    message: str | None = None,
    events: EventBus | None = None,
) -> Page:
    """Publish, unpublish (back to DRAFT) or archive a page (see cms.services.publishing)."""
    viewer = require_editor(viewer)
    if status is PageStatus.PUBLISHED:
        return await publishing.publish(
            viewer.actor, page_id, expected_version=expected_version, message=message, events=events
        )
    return await publishing.take_down(
        page_id, status, expected_version=expected_version, events=events
    )


async def delete_page(
    viewer: Viewer | None,
    page_id: int,
    *,
    confirm: bool = False,
    expected_version: int | None = None,
    events: EventBus | None = None,
) -> Page:
    """Delete a page with its sections, revisions and comments, in one transaction. A
    published page goes only with ``confirm`` or by an ADMIN: readers would lose it."""
    viewer = require_editor(viewer)
    async with in_transaction():
        page = await get_editable_page(viewer, page_id, lock=True)
        check_version(page, expected_version)
        if page.status is PageStatus.PUBLISHED and not confirm and viewer.role is not Role.ADMIN:
            raise ValidationFailed.single(
                "confirm",
                "This page is published: confirm to delete it (or unpublish it first).",
                ErrorCode.CONFIRMATION_REQUIRED,
            )
        await page.delete()
        await search.remove(page_id)
    if page.status is PageStatus.PUBLISHED:
        await publishing.announce(events, publishing.PageEvent.DELETED, page)
    return page
