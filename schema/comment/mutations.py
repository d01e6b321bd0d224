"""Mutations on comments: thin wrappers around cms.services.comments."""

import strawberry

from cms.services import comments
from schema.comment.types import Comment, CommentStatus
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.relay import decode_id, decode_optional_id


@strawberry.type(description="The result of a comment mutation: the comment, or errors.")
class CommentPayload:
    comment: Comment | None = strawberry.field(
        description="The comment as saved, with its status; null on error."
    )
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.input(description="A reader's comment. Name and email are required.")
class AddCommentInput:
    page_id: strawberry.ID = strawberry.field(description="The published page to comment on.")
    author_name: str = strawberry.field(description="Shown with the comment (max 245).")
    author_email: str = strawberry.field(
        description="Required, never published (max 100 characters)."
    )
    body: str = strawberry.field(description="The comment, plain text (max 65,525 characters).")
    author_url: str | None = strawberry.field(
        default=None, description="Optional website, http(s) only (max 200)."
    )
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="Reply to this approved comment on the same page."
    )


@strawberry.input(description="A moderation decision.")
class ModerateCommentInput:
    id: strawberry.ID = strawberry.field(description="The comment's global ID.")
    status: CommentStatus = strawberry.field(description="The new moderation state.")


async def _comment_payload(call) -> CommentPayload:  # noqa: ANN001 - a coroutine factory
    comment, errors = await run_mutation(call)
    return CommentPayload(comment=Comment.from_model(comment) if comment else None, errors=errors)


@strawberry.type
class CommentMutations:
    @strawberry.mutation(
        description="Leave a comment on a published page. Anyone may; it waits for moderation."
    )
    async def add_comment(self, info: Info, input: AddCommentInput) -> CommentPayload:
        return await _comment_payload(
            lambda: comments.add_comment(
                page_id=decode_id(input.page_id, "Page", "pageId"),
                author_name=input.author_name,
                author_email=input.author_email,
                body=input.body,
                author_url=input.author_url,
                parent_id=decode_optional_id(input.parent_id, "Comment", "parentId"),
            )
        )

    @strawberry.mutation(
        description="Approve, reject as spam, trash or re-queue a comment. Editors only."
    )
    async def moderate_comment(self, info: Info, input: ModerateCommentInput) -> CommentPayload:
        return await _comment_payload(
            lambda: comments.moderate_comment(
                info.context.viewer, decode_id(input.id, "Comment", "id"), input.status
            )
        )
