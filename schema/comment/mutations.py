"""Mutations on comments: thin wrappers around the comment services.

Moderation checks the caller's role before it decodes the comment's ID, so a caller
without a token learns nothing about its input; the service checks again.
"""

from typing import Annotated

import strawberry

from cms import models
from cms.errors import CmsError
from cms.services import comment_moderation, comments, reader_changes
from cms.services.auth import require_editor
from schema.comment.types import Comment, CommentStatus
from schema.context import Info
from schema.errors import UserError, run_mutation
from schema.invalidation import changed_nothing_readers_see, readers_see_changes
from schema.page.types import Page
from schema.payloads import DeletePayload
from schema.relay import decode_id, decode_optional_id, to_global_id


@strawberry.type(description="The result of a comment mutation: the comment, or errors.")
class CommentPayload:
    comment: Comment | None = strawberry.field(
        description="The comment as saved, with its status; null on error."
    )
    errors: list[UserError] = strawberry.field(description="What was wrong with the input.")


@strawberry.type(description="The result of a bulk moderation: all the comments, or errors.")
class CommentsPayload:
    comments: list[Comment] = strawberry.field(
        description="The comments as saved, in the order asked; empty on error."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was changed, if so.")


@strawberry.type(description="The result of opening or closing a page's comments.")
class CommentsOpenPayload:
    page: Page | None = strawberry.field(description="The page as saved; null on error.")
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
    form_token: str | None = strawberry.field(
        default=None,
        description="The token from `commentFormToken(pageId)`, fetched when the form was "
        "shown. Required unless the site turned the form-token rule off.",
    )
    honeypot: str | None = strawberry.field(
        default=None,
        description="Spam trap: render it as a hidden input and send it empty. Bots fill it.",
    )


@strawberry.input(description="A moderation decision.")
class ModerateCommentInput:
    id: strawberry.ID = strawberry.field(description="The comment's global ID.")
    status: CommentStatus = strawberry.field(description="The new moderation state.")


@strawberry.input(description="One moderation decision for several comments.")
class ModerateCommentsInput:
    ids: list[strawberry.ID] = strawberry.field(description="The comments' global IDs.")
    status: CommentStatus = strawberry.field(description="The new moderation state for all.")


@strawberry.input(description="An editor's correction of a comment's text.")
class EditCommentInput:
    id: strawberry.ID = strawberry.field(description="The comment's global ID.")
    body: str = strawberry.field(description="The new text, plain text (max 65,525 characters).")


@strawberry.input(description="A comment to delete for good.")
class DeleteCommentInput:
    id: strawberry.ID = strawberry.field(description="The comment's global ID (in the TRASH).")


@strawberry.input(description="Open or close a page's comments.")
class SetCommentsOpenInput:
    page_id: strawberry.ID = strawberry.field(description="The page's global ID.")
    open: bool = strawberry.field(description="True to accept new comments, false to close.")


async def comment_payload(info: Info, call) -> CommentPayload:  # noqa: ANN001 - a coroutine factory
    """Changes a comment that readers may see: its page's thread and counts."""
    comment, errors = await run_mutation(call)
    readers_see_changes(info, reader_changes.comments_changed([comment.page_id] if comment else []))
    return CommentPayload(comment=Comment.from_model(comment) if comment else None, errors=errors)


AddCommentArg = Annotated[AddCommentInput, strawberry.argument(description="The input fields.")]
ModerateCommentArg = Annotated[
    ModerateCommentInput, strawberry.argument(description="The input fields.")
]
ModerateCommentsArg = Annotated[
    ModerateCommentsInput, strawberry.argument(description="The input fields.")
]
EditCommentArg = Annotated[EditCommentInput, strawberry.argument(description="The input fields.")]
SetCommentsOpenArg = Annotated[
    SetCommentsOpenInput, strawberry.argument(description="The input fields.")
]
DeleteCommentArg = Annotated[
    DeleteCommentInput, strawberry.argument(description="The input fields.")
]


@strawberry.type
class CommentMutations:
    @strawberry.mutation(
        description="Leave a comment on a published page that is open for comments. Anyone "
        "may; it waits for moderation unless its author is already trusted. Submitting too "
        "often fails with a RATE_LIMITED error whose `extensions.retryAfter` is in seconds."
    )
    async def add_comment(self, info: Info, input: AddCommentArg) -> CommentPayload | None:
        context = info.context

        def submission() -> comments.CommentSubmission:
            return comments.CommentSubmission(
                page_id=decode_id(input.page_id, "Page", "pageId"),
                author_name=input.author_name,
                author_email=input.author_email,
                body=input.body,
                author_url=input.author_url,
                parent_id=decode_optional_id(input.parent_id, "Comment", "parentId"),
            )

        try:
            comment, errors = await run_mutation(
                lambda: comments.add_comment(
                    submission(),
                    settings=context.settings,
                    viewer=context.viewer,
                    client=comments.Client(ip=context.client_ip, user_agent=context.user_agent),
                    defences=comments.SpamDefences(
                        rate_limiter=context.comment_rate_limiter,
                        honeypot=input.honeypot,
                        form_token=input.form_token,
                    ),
                    events=context.events,
                )
            )
        except CmsError:
            changed_nothing_readers_see(info)  # refused (rate limit, closed page, …)
            raise
        if comment is None or comment.status is not models.CommentStatus.APPROVED:
            changed_nothing_readers_see(info)  # not saved, or saved for moderators only
        else:
            readers_see_changes(info, reader_changes.comments_changed([comment.page_id]))
        return CommentPayload(
            comment=Comment.from_model(comment) if comment else None, errors=errors
        )

    @strawberry.mutation(
        description="Approve, reject as spam, trash or re-queue a comment. Editors only. "
        "A reply cannot be approved before the comment it replies to."
    )
    async def moderate_comment(
        self, info: Info, input: ModerateCommentArg
    ) -> CommentPayload | None:
        viewer = require_editor(info.context.viewer)
        return await comment_payload(
            info,
            lambda: comment_moderation.moderate_comment(
                viewer, decode_id(input.id, "Comment", "id"), input.status, info.context.events
            ),
        )

    @strawberry.mutation(
        description="Set the status of several comments at once: all or none. Editors only."
    )
    async def moderate_comments(
        self, info: Info, input: ModerateCommentsArg
    ) -> CommentsPayload | None:
        viewer = require_editor(info.context.viewer)
        saved, errors = await run_mutation(
            lambda: comment_moderation.moderate_comments(
                viewer,
                [decode_id(i, "Comment", "ids") for i in input.ids],
                input.status,
                info.context.events,
            )
        )
        readers_see_changes(info, reader_changes.comments_changed(c.page_id for c in saved or []))
        return CommentsPayload(comments=[Comment.from_model(c) for c in saved or []], errors=errors)

    @strawberry.mutation(description="Correct a comment's text; it shows as edited. Editors only.")
    async def edit_comment(self, info: Info, input: EditCommentArg) -> CommentPayload | None:
        viewer = require_editor(info.context.viewer)
        return await comment_payload(
            info,
            lambda: comment_moderation.edit_comment(
                viewer, decode_id(input.id, "Comment", "id"), input.body
            ),
        )

    @strawberry.mutation(
        description="Delete a comment for good. Only comments in the TRASH can be; their "
        "replies move up a level. Editors only."
    )
    async def delete_comment(self, info: Info, input: DeleteCommentArg) -> DeletePayload | None:
        viewer = require_editor(info.context.viewer)
        deleted, errors = await run_mutation(
            lambda: comment_moderation.delete_comment(viewer, decode_id(input.id, "Comment", "id"))
        )
        return DeletePayload(
            deleted_id=to_global_id("Comment", deleted) if deleted else None, errors=errors
        )

    @strawberry.mutation(description="Open or close a page's comments. Editors only.")
    async def set_comments_open(
        self, info: Info, input: SetCommentsOpenArg
    ) -> CommentsOpenPayload | None:
        viewer = require_editor(info.context.viewer)
        page, errors = await run_mutation(
            lambda: comment_moderation.set_comments_open(
                viewer, decode_id(input.page_id, "Page", "pageId"), input.open
            )
        )
        readers_see_changes(info, reader_changes.comments_changed([page.id] if page else []))
        return CommentsOpenPayload(
            page=await Page.load(info, page) if page else None, errors=errors
        )
