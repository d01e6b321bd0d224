"""Comment events on the event bus, and the streams subscriptions read from them."""

from collections.abc import AsyncIterator

from cms.events import Event, EventBus
from cms.models import Comment, CommentStatus
from cms.services.auth import Viewer, require_editor
from cms.services.pages import get_visible_page

COMMENT_APPROVED = "comment.approved"
COMMENT_MODERATED = "comment.moderated"


async def publish_moderation(
    events: EventBus | None, comment: Comment, previous: CommentStatus | None
) -> None:
    """Tell every process a comment's status was set; ``previous`` None means it is new.
    Only ids travel: subscribers re-read the comment, so no personal data is broadcast."""
    if events is None:
        return
    payload = {"id": comment.id, "page_id": comment.page_id, "status": comment.status.value}
    if previous is not None:
        await events.publish(Event(COMMENT_MODERATED, payload))
    if comment.status is CommentStatus.APPROVED and previous is not CommentStatus.APPROVED:
        await events.publish(Event(COMMENT_APPROVED, payload))


async def approved_comments(
    viewer: Viewer | None, events: EventBus, page_id: int
) -> AsyncIterator[Comment]:
    """Comments on one page, each as it becomes approved (and while it still is), for as
    long as the viewer may see the page: once it is unpublished the stream ends."""
    async for event in events.subscribe():
        if event.name == COMMENT_APPROVED and event.payload.get("page_id") == page_id:
            if await get_visible_page(viewer, page_id) is None:
                return
            comment = await Comment.get_or_none(
                id=event.payload["id"], status=CommentStatus.APPROVED
            )
            if comment is not None:
                yield comment


def moderated_comments(viewer: Viewer | None, events: EventBus) -> AsyncIterator[Comment]:
    """Every comment whose status an editor sets, as it happens. Editors only: the check
    runs now, before anything is streamed."""
    require_editor(viewer)
    return _moderated_comments(events)


async def _moderated_comments(events: EventBus) -> AsyncIterator[Comment]:
    async for event in events.subscribe():
        if event.name == COMMENT_MODERATED:
            comment = await Comment.get_or_none(id=event.payload["id"])
            if comment is not None:
                yield comment
