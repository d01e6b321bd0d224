"""Sections: the ordered tree a page's content is made of.

Positions among siblings are always 0, 1, 2, … with no gaps; every change to the tree runs
in one transaction, with the page's row locked, and bumps the page's version.
"""

from datetime import timedelta

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, ValidationFailed
from cms.models import Page, Section
from cms.services.auth import Viewer, require_editor
from cms.services.pages import get_editable_page, touch_page
from cms.services.validation import check_length, check_slug, first_error, slugify

TITLE_MAX = 300
ANCHOR_MAX = 200
BODY_MAX = 200_000
UNTITLED_ANCHOR_WORDS = 6


def anchor_base(title: str | None, body: str) -> str:
    """The anchor a section gets from its title, or from its first words when untitled."""
    source = title if title and title.strip() else " ".join(body.split()[:UNTITLED_ANCHOR_WORDS])
    return slugify(source, ANCHOR_MAX - 4) or "section"


async def unique_anchor(page_id: int, base: str, except_section_id: int | None = None) -> str:
    """``base``, or ``base-2``, ``base-3``, … whichever is free on the page."""
    query = Section.filter(page_id=page_id, anchor__startswith=base)
    if except_section_id is not None:
        query = query.exclude(id=except_section_id)
    taken = set(await query.values_list("anchor", flat=True))
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _validate(title: str | None, body: str | None, anchor: str | None) -> None:
    errors = first_error(
        check_length("title", title, TITLE_MAX),
        check_length("body", body, BODY_MAX),
        check_length("anchor", anchor, ANCHOR_MAX),
        check_slug("anchor", anchor) if anchor is not None else None,
    )
    if errors:
        raise ValidationFailed(errors)


async def _check_anchor_free(
    page_id: int, anchor: str, except_section_id: int | None = None
) -> None:
    """An anchor an editor chose must be free: renaming it silently would break their links."""
    query = Section.filter(page_id=page_id, anchor=anchor)
    if except_section_id is not None:
        query = query.exclude(id=except_section_id)
    if await query.exists():
        raise ValidationFailed.single(
            "anchor", f"The anchor '{anchor}' is already used on this page.", ErrorCode.DUPLICATE
        )


async def _lock_tree(page_id: int) -> None:
    """Queue behind any other change to this page's tree until the transaction ends.

    Every change reads sibling positions and anchors before it writes them; without the
    lock, two editors at once could take the same position or the same anchor.
    """
    await Page.select_for_update().get_or_none(id=page_id)


async def _lock_section(section: Section) -> Section:
    """Lock the section's page, then read the section again: it may have moved meanwhile."""
    await _lock_tree(section.page_id)
    current = await Section.get_or_none(id=section.id)
    if current is None:
        raise ValidationFailed.single("id", "No section with this id.", ErrorCode.NOT_FOUND)
    return current


async def get_editable_section(
    viewer: Viewer | None, section_id: int, field: str = "id"
) -> Section:
    require_editor(viewer)
    section = await Section.get_or_none(id=section_id)
    if section is None:
        raise ValidationFailed.single(field, "No section with this id.", ErrorCode.NOT_FOUND)
    return section


async def _parent_on_page(page_id: int, parent_id: int | None) -> Section | None:
    if parent_id is None:
        return None
    parent = await Section.get_or_none(id=parent_id)
    if parent is None or parent.page_id != page_id:
        raise ValidationFailed.single(
            "parentId", "The parent must be a section of the same page.", ErrorCode.NOT_FOUND
        )
    return parent


def _siblings(page_id: int, parent_id: int | None):  # noqa: ANN202 - a Tortoise QuerySet
    if parent_id is None:
        return Section.filter(page_id=page_id, parent_id__isnull=True)
    return Section.filter(page_id=page_id, parent_id=parent_id)


def _clamp_position(position: int | None, sibling_count: int) -> int:
    if position is None or position > sibling_count:
        return sibling_count
    if position < 0:
        raise ValidationFailed.single("position", "Must not be negative.", ErrorCode.INVALID)
    return position


async def create_section(
    viewer: Viewer | None,
    page_id: int,
    *,
    title: str | None = None,
    body: str = "",
    parent_id: int | None = None,
    position: int | None = None,
    anchor: str | None = None,
    expected_version: int | None = None,
    autosave_window: timedelta | None = None,
) -> Section:
    """Add a section to a page (at the end of its siblings unless a position is given)."""
    page = await get_editable_page(viewer, page_id, field="pageId")
    _validate(title, body, anchor)
    title = title.strip() if title and title.strip() else None
    async with in_transaction():
        await _lock_tree(page.id)
        await _parent_on_page(page.id, parent_id)
        if anchor is None:
            anchor = await unique_anchor(page.id, anchor_base(title, body))
        else:
            await _check_anchor_free(page.id, anchor)
        siblings = _siblings(page.id, parent_id)
        position = _clamp_position(position, await siblings.count())
        await siblings.filter(position__gte=position).update(position=F("position") + 1)
        section = await Section.create(
            page_id=page.id,
            parent_id=parent_id,
            position=position,
            title=title,
            body=body.strip(),
            anchor=anchor,
        )
        await touch_page(page.id, viewer.actor, expected_version, autosave_window=autosave_window)
    return section


async def update_section(
    viewer: Viewer | None,
    section_id: int,
    *,
    title: str | None = None,
    body: str | None = None,
    anchor: str | None = None,
    expected_version: int | None = None,
    autosave_window: timedelta | None = None,
) -> Section:
    """Change a section's title, body or anchor. The anchor stays put unless given, so
    existing ``#links`` keep working when a title is reworded."""
    section = await get_editable_section(viewer, section_id)
    _validate(title, body, anchor)
    async with in_transaction():
        section = await _lock_section(section)
        if title is not None:
            section.title = title.strip() or None
        if body is not None:
            section.body = body.strip()
        if anchor is not None:
            await _check_anchor_free(section.page_id, anchor, except_section_id=section.id)
            section.anchor = anchor
        await section.save()
        await touch_page(
            section.page_id, viewer.actor, expected_version, autosave_window=autosave_window
        )
    return section


async def delete_section(
    viewer: Viewer | None,
    section_id: int,
    *,
    expected_version: int | None = None,
    autosave_window: timedelta | None = None,
) -> Section:
    """Delete a section and everything nested in it; later siblings move up."""
    section = await get_editable_section(viewer, section_id)
    async with in_transaction():
        section = await _lock_section(section)
        await section.delete()
        await (
            _siblings(section.page_id, section.parent_id)
            .filter(position__gt=section.position)
            .update(position=F("position") - 1)
        )
        await touch_page(
            section.page_id, viewer.actor, expected_version, autosave_window=autosave_window
        )
    return section


async def _is_descendant(candidate_id: int, ancestor_id: int) -> bool:
    """Whether ``candidate_id`` is ``ancestor_id`` or nested anywhere under it."""
    current: int | None = candidate_id
    while current is not None:
        if current == ancestor_id:
            return True
        current = await Section.filter(id=current).first().values_list("parent_id", flat=True)
    return False


async def move_section(
    viewer: Viewer | None,
    section_id: int,
    *,
    parent_id: int | None,
    position: int | None,
    expected_version: int | None = None,
    autosave_window: timedelta | None = None,
) -> Section:
    """Reorder a section among its siblings or move it under another parent (no cycles)."""
    section = await get_editable_section(viewer, section_id)
    async with in_transaction():
        section = await _lock_section(section)
        await _parent_on_page(section.page_id, parent_id)
        if parent_id is not None and await _is_descendant(parent_id, section.id):
            raise ValidationFailed.single(
                "parentId", "A section cannot be moved inside itself.", ErrorCode.CYCLE
            )
        await (
            _siblings(section.page_id, section.parent_id)
            .filter(position__gt=section.position)
            .update(position=F("position") - 1)
        )
        new_siblings = _siblings(section.page_id, parent_id).exclude(id=section.id)
        position = _clamp_position(position, await new_siblings.count())
        await new_siblings.filter(position__gte=position).update(position=F("position") + 1)
        section.parent_id = parent_id
        section.position = position
        await section.save(update_fields=["parent_id", "position", "updated_at"])
        await touch_page(
            section.page_id, viewer.actor, expected_version, autosave_window=autosave_window
        )
    return section
