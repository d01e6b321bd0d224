"""Pages: who can see them, creating, editing, publishing and deleting them."""

from dataclasses import dataclass
from enum import StrEnum

from tortoise.expressions import F
from tortoise.queryset import QuerySet
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.models import Page, PageStatus
from cms.services.auth import Viewer, require_editor
from cms.services.validation import check_length, check_required, check_slug, first_error

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


def filtered_pages(
    viewer: Viewer | None,
    page_filter: PageFilter,
    order_by: PageOrderField = PageOrderField.PUBLISHED_AT,
    descending: bool = True,
) -> QuerySet[Page]:
    query = visible_pages(viewer)
    if page_filter.status is not None:
        query = query.filter(status=page_filter.status)
    if page_filter.search and page_filter.search.strip():
        query = query.filter(title__icontains=page_filter.search.strip())
    prefix = "-" if descending else ""
    return query.order_by(f"{prefix}{order_by.value}", f"{prefix}id")


async def get_visible_page(viewer: Viewer | None, page_id: int) -> Page | None:
    return await visible_pages(viewer).get_or_none(id=page_id)


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
    query = Page.filter(slug=slug)
    if except_page_id is not None:
        query = query.exclude(id=except_page_id)
    if await query.exists():
        raise ValidationFailed.single(
            "slug", f"The slug '{slug}' is already used by another page.", ErrorCode.DUPLICATE
        )


async def create_page(
    viewer: Viewer | None, *, slug: str, title: str, summary: str | None = None
) -> Page:
    """Create a DRAFT page."""
    require_editor(viewer)
    errors = _page_field_errors(slug, title, summary, creating=True)
    if errors:
        raise ValidationFailed(errors)
    await _check_slug_free(slug)
    return await Page.create(slug=slug, title=title.strip(), summary=summary)


async def update_page(
    viewer: Viewer | None,
    page_id: int,
    *,
    slug: str | None = None,
    title: str | None = None,
    summary: str | None = None,
) -> Page:
    """Change a page's slug, title or summary; the version goes up by one."""
    async with in_transaction():
        page = await get_editable_page(viewer, page_id, lock=True)
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
        page.version += 1
        await page.save()
    return page


async def touch_page(page_id: int) -> None:
    """Record that a page's content changed: bump its version and updated_at."""
    await Page.filter(id=page_id).update(version=F("version") + 1, updated_at=now())


async def set_page_status(viewer: Viewer | None, page_id: int, status: PageStatus) -> Page:
    """Publish, unpublish (back to DRAFT) or archive a page."""
    async with in_transaction():
        page = await get_editable_page(viewer, page_id, lock=True)
        if page.status is status:
            return page
        if status is PageStatus.PUBLISHED:
            page.published_at = now()
        page.status = status
        page.version += 1
        await page.save()
    return page


async def delete_page(viewer: Viewer | None, page_id: int) -> Page:
    """Delete a page with its sections and comments, in one transaction."""
    page = await get_editable_page(viewer, page_id)
    async with in_transaction():
        await page.delete()
    return page
