"""`replyToComment`: an editor answers a comment (from the studio's moderation queue)."""

from typing import Annotated

import strawberry

from cms.services.auth import require_editor
from cms.services.comment_replies import reply_as_editor
from schema.comment.mutations import CommentPayload, comment_payload
from schema.context import Info
from schema.relay import decode_id


@strawberry.input(description="An editor's reply to a comment.")
class ReplyToCommentInput:
    parent_id: strawberry.ID = strawberry.field(description="The comment answered.")
    body: str = strawberry.field(description="The reply, plain text (max 65,525 characters).")


ReplyToCommentArg = Annotated[
    ReplyToCommentInput, strawberry.argument(description="The input fields.")
]


@strawberry.type
class CommentReplyMutations:
    @strawberry.mutation(
        description="Reply to a comment under your own name, approved at once (a comment "
        "still waiting is approved first). Editors only."
    )
    async def reply_to_comment(self, info: Info, input: ReplyToCommentArg) -> CommentPayload | None:
        viewer = require_editor(info.context.viewer)
        return await comment_payload(
            info,
            lambda: reply_as_editor(
                viewer,
                decode_id(input.parent_id, "Comment", "parentId"),
                input.body,
                settings=info.context.settings,
                events=info.context.events,
            ),
        )
