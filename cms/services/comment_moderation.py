"""Editors keeping the discussion clean: the moderation queue, status changes (one or in
bulk), editing a comment's text and deleting it for good from the trash."""

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.events import EventBus
from cms.models import Comment, CommentStatus, Page
from cms.services.auth import Viewer, require_editor
from cms.services.comment_events import publish_moderation
from cms.services.comment_rules import BODY_MAX
from cms.services.pagination import ID_DESC, Ordered, SortKey, ordered
from cms.services.validation import check_length, check_required, first_error, search_text

IP_MAX_LENGTH = Comment._meta.fields_map["author_ip"].max_length


@dataclass(frozen=True)
class QueueFilter:
    status: CommentStatus | None = None
    page_id: int | None = None
    search: str | None = None


def _filtered(query_filter: QueueFilter, *, with_status: bool) -> QuerySet[Comment]:
    query = Comment.all()
    if with_status and query_filter.status is not None:
        query = query.filter(status=query_filter.status)
    if query_filter.page_id is not None:
        query = query.filter(page_id=query_filter.page_id)
    text = search_text("search", query_filter.search)
    if text is not None:
        matches = (
            Q(body__icontains=text)
            | Q(author_name__icontains=text)
            | Q(author_email__icontains=text)
        )
        if len(text) <= IP_MAX_LENGTH:  # longer text is no address (and fails the column's check)
            matches |= Q(author_ip=text)
        query = query.filter(matches)
    return query


def moderation_queue(viewer: Viewer | None, query_filter: QueueFilter) -> Ordered[Comment]:
    """Comments of every status for editors, newest first."""
    require_editor(viewer)
    newest_first = SortKey("created_at", descending=True, value_type=datetime)
    return ordered(_filtered(query_filter, with_status=True), newest_first, ID_DESC)


async def count_by_status(
    viewer: Viewer | None, query_filter: QueueFilter
) -> dict[CommentStatus, int]:
    """How many comments match the filter in each status (the status filter aside)."""
    require_editor(viewer)
    rows = (
        await _filtered(query_filter, with_status=False)
        .annotate(n=Count("id"))
        .group_by("status")
        .values("status", "n")
    )
    counts = dict.fromkeys(CommentStatus, 0)
    for row in rows:
        counts[CommentStatus(row["status"])] = row["n"]
    return counts


async def _get(comment_id: int, field: str = "id") -> Comment:
    comment = await Comment.get_or_none(id=comment_id)
    if comment is None:
        raise ValidationFailed.single(field, "No comment with this id.", ErrorCode.NOT_FOUND)
    return comment


def _unapproved_parent_error(field: str) -> FieldError:
    return FieldError(
        field,
        "Approve the comment this one replies to first.",
        ErrorCode.INVALID_STATE,
    )


async def moderate_comment(
    viewer: Viewer | None,
    comment_id: int,
    status: CommentStatus,
    events: EventBus | None = None,
) -> Comment:
    """Set a comment's status (approve, mark as spam, trash, or back to pending)."""
    return (await moderate_comments(viewer, [comment_id], status, events, field="id"))[0]


async def moderate_comments(
    viewer: Viewer | None,
    comment_ids: list[int],
    status: CommentStatus,
    events: EventBus | None = None,
    *,
    field: str = "ids",
) -> list[Comment]:
    """Set the status of several comments at once: all of them, or none if any cannot be."""
    editor = require_editor(viewer)
    ids = list(dict.fromkeys(comment_ids))
    found = {c.id: c for c in await Comment.filter(id__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed.single(
            field, f"No comment with id {missing[0]}.", ErrorCode.NOT_FOUND
        )
    if status is CommentStatus.APPROVED:
        parent_ids = {c.parent_id for c in found.values() if c.parent_id not in (None, *ids)}
        approved = await Comment.filter(
            id__in=parent_ids, status=CommentStatus.APPROVED
        ).values_list("id", flat=True)
        if set(parent_ids) - set(approved):
            raise ValidationFailed([_unapproved_parent_error(field)])
    previous = {c.id: c.status for c in found.values()}
    async with in_transaction():
        # A trashed comment no longer counts as said: the same text may be sent again.
        released = {"duplicate_key": None} if status is CommentStatus.TRASH else {}
        await Comment.filter(id__in=ids).update(
            status=status, moderated_by_id=editor.user_id, moderated_at=now(), **released
        )
    comments = [found[i] for i in ids]
    for comment in comments:
        comment.status = status
        await publish_moderation(events, comment, previous=previous[comment.id])
    return comments


async def edit_comment(viewer: Viewer | None, comment_id: int, body: str) -> Comment:
    """Change a comment's text (fix a typo, remove a link); it is marked as edited."""
    editor = require_editor(viewer)
    errors = first_error(check_required("body", body), check_length("body", body, BODY_MAX))
    if errors:
        raise ValidationFailed(errors)
    comment = await _get(comment_id)
    comment.body = body.strip()
    comment.edited_at = comment.moderated_at = now()
    comment.moderated_by_id = editor.user_id
    await comment.save(update_fields=["body", "edited_at", "moderated_at", "moderated_by_id"])
    return comment


async def delete_comment(viewer: Viewer | None, comment_id: int) -> int:
    """Delete a trashed comment for good; its replies move up to its parent."""
    require_editor(viewer)
    comment = await _get(comment_id)
    if comment.status is not CommentStatus.TRASH:
        raise ValidationFailed.single(
            "id",
            "Only comments in the trash can be deleted; trash it first.",
            ErrorCode.INVALID_STATE,
        )
    async with in_transaction():
        await Comment.filter(parent_id=comment.id).update(parent_id=comment.parent_id)
        await comment.delete()
    return comment_id


async def set_comments_open(viewer: Viewer | None, page_id: int, is_open: bool) -> Page:
    """Open or close a page's comments; closed pages refuse new comments and replies."""
    require_editor(viewer)
    page = await Page.get_or_none(id=page_id)
    if page is None:
        raise ValidationFailed.single("pageId", "No page with this id.", ErrorCode.NOT_FOUND)
    page.comments_open = is_open
    await page.save(update_fields=["comments_open"])
    return page
