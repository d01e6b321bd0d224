"""Revisions of a page: listing, reading, comparing and restoring them. Editors only."""

from dataclasses import dataclass, field
from typing import Any

from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, ValidationFailed
from cms.models import Page, Revision, RevisionKind, Section
from cms.services import search
from cms.services.auth import Viewer, require_editor
from cms.services.concurrency import check_version
from cms.services.pagination import ID_DESC, Ordered, SortKey, ordered
from cms.services.snapshots import Snapshot, record_revision, snapshot_sections

PAGE_FIELDS = ("slug", "title", "summary")
SECTION_FIELDS = ("parentId", "position", "title", "anchor", "body")


def page_revisions(viewer: Viewer | None, page_id: int) -> Ordered[Revision]:
    """A page's revisions, newest first (numbers are unique per page)."""
    require_editor(viewer)
    return ordered(Revision.filter(page_id=page_id), SortKey("number", descending=True), ID_DESC)


async def get_revision(viewer: Viewer | None, revision_id: int, field: str = "id") -> Revision:
    require_editor(viewer)
    revision = await Revision.get_or_none(id=revision_id)
    if revision is None:
        raise ValidationFailed.single(field, "No revision with this id.", ErrorCode.NOT_FOUND)
    return revision


@dataclass(frozen=True)
class SectionChange:
    """One section that differs between two revisions, as it is in the newer one (or, when
    removed, as it was)."""

    section_id: int
    title: str | None
    anchor: str
    fields: tuple[str, ...] = ()


@dataclass
class RevisionDiff:
    page_fields: list[str] = field(default_factory=list)
    added: list[SectionChange] = field(default_factory=list)
    removed: list[SectionChange] = field(default_factory=list)
    changed: list[SectionChange] = field(default_factory=list)


def _change(section: dict[str, Any], fields: tuple[str, ...] = ()) -> SectionChange:
    return SectionChange(section["id"], section["title"], section["anchor"], fields)


def diff_snapshots(old: Snapshot, new: Snapshot) -> RevisionDiff:
    """What changed from ``old`` to ``new``: page fields, and sections matched by id."""
    diff = RevisionDiff(
        page_fields=[name for name in PAGE_FIELDS if old["page"][name] != new["page"][name]]
    )
    old_sections = {s["id"]: s for s in old["sections"]}
    new_sections = {s["id"]: s for s in new["sections"]}
    for section_id, section in new_sections.items():
        before = old_sections.get(section_id)
        if before is None:
            diff.added.append(_change(section))
            continue
        changed = tuple(name for name in SECTION_FIELDS if before[name] != section[name])
        if changed:
            diff.changed.append(_change(section, changed))
    diff.removed = [_change(s) for i, s in old_sections.items() if i not in new_sections]
    return diff


async def compare_revisions(viewer: Viewer | None, old_id: int, new_id: int) -> RevisionDiff:
    old = await get_revision(viewer, old_id, "from")
    new = await get_revision(viewer, new_id, "to")
    if old.page_id != new.page_id:
        raise ValidationFailed.single(
            "to", "Both revisions must be of the same page.", ErrorCode.INVALID
        )
    return diff_snapshots(old.content, new.content)


async def _replace_working_copy(page: Page, snapshot: Snapshot) -> None:
    """The page's sections become the snapshot's, with their original ids (parents first)."""
    await Section.filter(page_id=page.id).delete()
    for section in snapshot_sections(snapshot):
        await Section.create(page_id=page.id, **section)
    fields = snapshot["page"]
    if (
        await Page.filter(slug=fields["slug"]).exclude(id=page.id).exists()
        or await Page.filter(live_slug=fields["slug"]).exclude(id=page.id).exists()
    ):
        raise ValidationFailed.single(
            "id",
            f"The revision's slug '{fields['slug']}' is now used by another page.",
            ErrorCode.DUPLICATE,
        )
    page.slug, page.title, page.summary = fields["slug"], fields["title"], fields["summary"]


async def restore_revision(
    viewer: Viewer | None,
    revision_id: int,
    *,
    expected_version: int | None,
    message: str | None = None,
) -> Page:
    """Bring an old revision back as the working copy (recorded as a RESTORE revision).
    Readers see it only once the page is published again."""
    viewer = require_editor(viewer)
    revision = await get_revision(viewer, revision_id)
    async with in_transaction():
        page = await Page.select_for_update().get(id=revision.page_id)
        check_version(page, expected_version)
        await _replace_working_copy(page, revision.content)
        page.version += 1
        await page.save()
        note = message or f"Restored revision {revision.number}."
        await record_revision(page, RevisionKind.RESTORE, viewer.actor, note, revision.content)
        await search.index(page.id, revision.content, search.SearchScope.DRAFT)
    return page
