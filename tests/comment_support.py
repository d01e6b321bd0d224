"""Helpers for the comment tests: the app under chosen settings (over ASGI, or served by a
real uvicorn in this process), pages to comment on, and the GraphQL documents they use."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import uvicorn
from graphql_support import GraphQLClient
from live_server import free_port
from starlette.applications import Starlette
from tortoise.timezone import now

from cms.app import create_app
from cms.config import Settings
from cms.models import Comment, CommentStatus, Page, PageStatus
from cms.serving.graphql_view import GraphQLView
from schema.relay import to_global_id

ADD_COMMENT = """
mutation ($input: AddCommentInput!) {
  addComment(input: $input) {
    comment { id status authorName body }
    errors { field code message }
  }
}"""

MODERATE = """
mutation ($id: ID!, $status: CommentStatus!) {
  moderateComment(input: {id: $id, status: $status}) {
    comment { id status } errors { field code message }
  }
}"""

FORM_TOKEN = "query ($pageId: ID!) { commentFormToken(pageId: $pageId) }"

# The comment spam defences are on by default; the shared settings fixture turns off those
# that need a form token, spacing between submissions or distinct bodies, so tests of other
# features can comment freely. tests/comments/ turn each one back on to test it.
COMMENT_DEFENCES_OFF = {
    "comment_form_token_required": False,
    "comment_rate_limits": "",
    "comment_duplicate_check": False,
    "comment_previously_approved": False,
}


def defences_off(database_url: str, **overrides: Any) -> Settings:
    """Settings with every comment defence off except those ``overrides`` turn on."""
    return Settings(database_url=database_url, **{**COMMENT_DEFENCES_OFF, **overrides})


def gid(model: Page | Comment) -> str:
    return to_global_id(type(model).__name__, model.id)


def comment_input(page: Page, **fields: Any) -> dict[str, Any]:
    return {
        "pageId": gid(page),
        "authorName": "Ada Lovelace",
        "authorEmail": "ada@example.com",
        "body": "A fine article.",
        **fields,
    }


async def published_page(slug: str = "article", published_at: datetime | None = None) -> Page:
    return await Page.create(
        slug=slug,
        title=slug.title(),
        status=PageStatus.PUBLISHED,
        published_at=published_at or now() - timedelta(hours=1),
    )


async def stored_comment(page: Page, **fields: Any) -> Comment:
    values = {
        "author_name": "Ada Lovelace",
        "author_email": "ada@example.com",
        "body": "Stored directly.",
        "status": CommentStatus.APPROVED,
        **fields,
    }
    return await Comment.create(page=page, **values)


def graphql_view(app: Starlette) -> GraphQLView:
    return next(route.endpoint for route in app.routes if isinstance(route.endpoint, GraphQLView))


async def close_app(app: Starlette) -> None:
    limiter = graphql_view(app).comment_rate_limiter
    if limiter is not None:
        await limiter.close()
    await app.state.events.close()


class Api(GraphQLClient):
    """A GraphQL client for one app; ``add`` submits a comment and returns the payload."""

    async def add(self, page: Page, token: str | None = None, **fields: Any) -> dict[str, Any]:
        body = await self(ADD_COMMENT, {"input": comment_input(page, **fields)}, token)
        assert "errors" not in body, body
        return body["data"]["addComment"]

    async def moderate(self, comment_id: str, status: str, token: str) -> dict[str, Any]:
        data = await self.data(MODERATE, {"id": comment_id, "status": status}, token)
        return data["moderateComment"]


@asynccontextmanager
async def api_for(settings: Settings, client_ip: str = "203.0.113.7") -> AsyncIterator[Api]:
    """The app built with ``settings``, over ASGI, as seen from ``client_ip``."""
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app, client=(client_ip, 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as http:
            yield Api(http)
    finally:
        await close_app(app)


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[str]:
    """The app served over real HTTP and WebSocket by uvicorn in this event loop (sharing
    the test session's ORM); yields the base URL."""
    app = create_app(settings, manage_database=False)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.02)
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)
        await close_app(app)
