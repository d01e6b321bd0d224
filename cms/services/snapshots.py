"""Snapshots of a page and its whole section tree, recorded as revisions.

A snapshot is plain JSON: the page's own fields and its sections in tree order (every
parent before its children), each with its id so that restoring it keeps global IDs and
``#anchor`` links stable::

    {"page": {"slug": …, "title": …, "summary": …},
     "sections": [{"id": 7, "parentId": null, "position": 0, "title": …, "anchor": …,
                   "body": …}, …]}
"""

from collections import defaultdict
from typing import Any

from cms.models import Page, Revision, RevisionKind, Section
from cms.services.auth import Actor

Snapshot = dict[str, Any]


async def take_snapshot(page: Page) -> Snapshot:
    """The page's working copy as it is now (one query for the sections)."""
    children: dict[int | None, list[Section]] = defaultdict(list)
    for section in await Section.filter(page_id=page.id).order_by("position", "id"):
        children[section.parent_id].append(section)
    ordered: list[dict[str, Any]] = []
    waiting: list[int | None] = [None]
    while waiting:
        for section in children[waiting.pop(0)]:
            ordered.append(
                {
                    "id": section.id,
                    "parentId": section.parent_id,
                    "position": section.position,
                    "title": section.title,
                    "anchor": section.anchor,
                    "body": section.body,
                }
            )
            waiting.append(section.id)
    return {
        "page": {"slug": page.slug, "title": page.title, "summary": page.summary},
        "sections": ordered,
    }


def snapshot_sections(snapshot: Snapshot) -> list[dict[str, Any]]:
    """The snapshot's sections, parents first, as Section field values (with ``id`` and
    ``parent_id``; ``page_id`` is the revision's)."""
    return [
        {
            "id": data["id"],
            "parent_id": data["parentId"],
            "position": data["position"],
            "title": data["title"],
            "anchor": data["anchor"],
            "body": data["body"],
        }
        for data in snapshot["sections"]
    ]


async def record_revision(
    page: Page,
    kind: RevisionKind,
    author: Actor | str,
    message: str | None = None,
    snapshot: Snapshot | None = None,
    *,
    page_version: int | None = None,
) -> Revision:
    """Store the page's current working copy (or ``snapshot``) as its next revision, of the
    page's current version unless ``page_version`` says which version the snapshot shows.

    Call it inside the transaction that changed the page, after the page row is locked, so
    two revisions of one page never get the same number.
    """
    if isinstance(author, str):  # a name only: the seed, a script
        author = Actor(author)
    latest = (
        await Revision.filter(page_id=page.id)
        .order_by("-number")
        .first()
        .values_list("number", flat=True)
    )
    return await Revision.create(
        page_id=page.id,
        number=(latest or 0) + 1,
        kind=kind,
        page_version=page.version if page_version is None else page_version,
        author_name=author.name,
        author_user_id=author.user_id,
        message=message,
        content=snapshot if snapshot is not None else await take_snapshot(page),
    )
