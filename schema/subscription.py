"""Live updates over WebSocket (graphql-transport-ws at /graphql), fed by the event bus:
with CMS_REDIS_URL set, events from every server process reach every subscriber."""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from cms.services import comment_events
from schema.comment.types import Comment
from schema.context import Info
from schema.node import resolve_node
from schema.relay import decode_id


@strawberry.type(description="Live updates. Editors authenticate in connection_init's payload.")
class Subscription:
    @strawberry.subscription(
        description="Each comment on a page as it is approved (readers never see pending ones)."
    )
    async def comment_added(
        self,
        info: Info,
        page_id: Annotated[strawberry.ID, strawberry.argument(description="The page to watch.")],
    ) -> AsyncGenerator[Comment, None]:
        pk = decode_id(page_id, "Page", "pageId")
        if await resolve_node(info, "Page", pk) is None:
            return
        stream = comment_events.approved_comments(info.context.viewer, info.context.events, pk)
        async for comment in stream:
            yield Comment.from_model(comment)

    @strawberry.subscription(
        description="Every comment whose status an editor changes, with its new status. "
        "Editors only."
    )
    async def comment_moderated(self, info: Info) -> AsyncGenerator[Comment, None]:
        stream = comment_events.moderated_comments(info.context.viewer, info.context.events)
        async for comment in stream:
            yield Comment.from_model(comment)
