"""An editor answering a comment from the moderation queue: the reply is shown at once,
under the editor's name, and records which user wrote it."""

from tortoise.timezone import now
from tortoise.transactions import in_transaction

from cms.config import Settings
from cms.errors import ErrorCode, ValidationFailed
from cms.events import EventBus
from cms.models import Comment, CommentStatus, Page, User
from cms.services.auth import Viewer, require_editor
from cms.services.comment_events import publish_moderation
from cms.services.comment_moderation import moderate_comments
from cms.services.comment_rules import BODY_MAX, check_parent
from cms.services.validation import check_length, check_required, first_error


async def reply_as_editor(
    viewer: Viewer | None,
    parent_id: int,
    body: str,
    *,
    settings: Settings,
    events: EventBus | None = None,
) -> Comment:
    """Reply to a comment as the signed-in editor (approved at once). Replying to a
    comment still waiting approves it first, as answering it vouches for it."""
    editor = require_editor(viewer)
    errors = first_error(check_required("body", body), check_length("body", body, BODY_MAX))
    if errors:
        raise ValidationFailed(errors)
    parent = await Comment.get_or_none(id=parent_id)
    if parent is None:
        raise ValidationFailed.single("parentId", "No comment with this id.", ErrorCode.NOT_FOUND)
    if parent.status is CommentStatus.PENDING:
        await moderate_comments(viewer, [parent.id], CommentStatus.APPROVED, events)
    page = await Page.get(id=parent.page_id)
    parent_error = await check_parent(parent.id, page, settings)
    if parent_error is not None:
        raise ValidationFailed([parent_error])
    user = await User.get_or_none(id=editor.user_id) if editor.user_id else None
    async with in_transaction():
        reply = await Comment.create(
            page_id=page.id,
            parent_id=parent.id,
            author_name=editor.name,
            author_email=user.email if user else "",
            body=body.strip(),
            status=CommentStatus.APPROVED,
            author_user_id=editor.user_id,
            moderated_by_id=editor.user_id,
            moderated_at=now(),
        )
    await publish_moderation(events, reply, previous=None)
    return reply
