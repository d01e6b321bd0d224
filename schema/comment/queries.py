"""Reading comments: the editors' moderation queue and the comment form's token."""

from typing import Annotated

import strawberry

from cms.services import comment_moderation, comments
from schema.comment.types import Comment, CommentStatus
from schema.context import Info, keep_private
from schema.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    decode_id,
    decode_optional_id,
    page_request,
    query_connection,
)

QUEUE_DEFAULT_PAGE_SIZE = 20

PageIdFilter = Annotated[
    strawberry.ID | None, strawberry.argument(description="Only comments on this page.")
]
QueueSearch = Annotated[
    str | None,
    strawberry.argument(
        description="Only comments whose text, author name or email contains this, or whose "
        "IP is exactly this."
    ),
]


@strawberry.type(description="How many comments match a filter, in each status.")
class CommentCounts:
    pending: int = strawberry.field(description="Waiting for moderation.")
    approved: int = strawberry.field(description="Shown to readers.")
    spam: int = strawberry.field(description="Marked as spam.")
    trash: int = strawberry.field(description="In the trash (can be deleted for good).")


@strawberry.type
class CommentQueries:
    @strawberry.field(
        description="The moderation queue, newest first: comments of any status. Editors "
        "only: null (with an error) for anyone else. `commentCounts` has the counts."
    )
    async def comments(
        self,
        info: Info,
        status: Annotated[
            CommentStatus | None,
            strawberry.argument(description="Only comments in this status."),
        ] = None,
        page_id: PageIdFilter = None,
        search: QueueSearch = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Comment] | None:
        query_filter = comment_moderation.QueueFilter(
            status=status, page_id=decode_optional_id(page_id, "Page", "pageId"), search=search
        )
        return await query_connection(
            info,
            comment_moderation.moderation_queue(info.context.viewer, query_filter),
            page_request(first, after, last, before),
            QUEUE_DEFAULT_PAGE_SIZE,
            Comment.from_model,
        )

    @strawberry.field(
        description="How many comments there are in each status, for the same page and "
        "search as the moderation queue (`comments`). Editors only."
    )
    async def comment_counts(
        self, info: Info, page_id: PageIdFilter = None, search: QueueSearch = None
    ) -> CommentCounts | None:
        query_filter = comment_moderation.QueueFilter(
            status=None, page_id=decode_optional_id(page_id, "Page", "pageId"), search=search
        )
        counts = await comment_moderation.count_by_status(info.context.viewer, query_filter)
        return CommentCounts(**{s.value.lower(): n for s, n in counts.items()})

    @strawberry.field(
        description="A signed token to send with `addComment`: fetch it when showing the "
        "comment form. It posts one comment, and is refused if used sooner than the site's "
        "minimum time. A response with it is never cached (`Cache-Control: private, no-store`)."
    )
    async def comment_form_token(
        self,
        info: Info,
        page_id: Annotated[
            strawberry.ID, strawberry.argument(description="The page the form is for.")
        ],
    ) -> str | None:
        keep_private(info)  # one token per reader: never cached
        return await comments.comment_form_token(
            info.context.settings, decode_id(page_id, "Page", "pageId")
        )
