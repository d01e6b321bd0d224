"""Where a request of scenario (a) spends its time: each part timed on its own, in this
process (no HTTP server, no load generator), best of five rounds.

    CMS_DATABASE_URL=sqlite://bench.sqlite3 python -m bench.breakdown [N]

The database must be migrated and seeded (``cms migrate && cms seed``).
"""

import asyncio
import sys
from collections.abc import Awaitable, Callable

import orjson
from starlette.types import ASGIApp, Message
from tortoise import Tortoise
from tortoise.connection import connections

from bench.documents import ARTICLE, SLUG
from bench.floor import best_of, execution_floor_async
from cms.app import create_app
from cms.config import Settings
from cms.db import tortoise_config
from cms.events import create_event_bus
from cms.models import Revision
from cms.services import draft_state, pages
from cms.services.hand_written_sql import select_where
from schema import build_schema
from schema.context import Context

Run = Callable[[], Awaitable[object]]
PAGE_ID_ONLY = "query($slug: String!) { page(slug: $slug) { id } }"


async def post(app: ASGIApp, body: bytes) -> None:
    """One POST /graphql straight into the ASGI app, asking for a fresh execution."""
    messages: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> Message:
        return messages.pop() if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 200, message

    headers = [
        (b"host", b"cms"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-cache"),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    await app(scope, receive, send)


async def breakdown(requests: int) -> list[tuple[str, float]]:
    settings = Settings(log_level="warning")
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    try:
        app = create_app(settings, manage_database=False)
        schema = build_schema(settings)
        events = create_event_bus(None)
        body = orjson.dumps({"query": ARTICLE, "variables": SLUG})
        slug = SLUG["slug"]
        found = await draft_state.page_by_slug(None, slug)
        assert found is not None, "migrate and seed the database first"
        page = found[0]

        def execute(document: str, variables: dict[str, str] | None = None) -> Run:
            """A fresh context per call, as per request: DataLoaders cache nothing across."""
            return lambda: schema.execute(
                document,
                variable_values=variables,
                context_value=Context(settings=settings, viewer=None, events=events),
            )

        database = connections.get("default")
        parts = [
            ("whole request in the ASGI app", lambda: post(app, body)),
            ("schema.execute of the document", execute(ARTICLE, SLUG)),
            ("schema.execute of page(slug:) { id }", execute(PAGE_ID_ONLY, SLUG)),
            ("schema.execute of { __typename }", execute("{ __typename }")),
            ("the live page with its revision: 1 statement", lambda: pages.get_live_page(slug)),
            (
                "a revision by id: 1 statement",
                lambda: select_where(Revision, "id IN (?)", [page.live_revision_id]),
            ),
            ("SELECT 1 round trip", lambda: database.execute_query("SELECT 1")),
        ]
        timings = [(name, await best_of(5, requests, run)) for name, run in parts]
        timings.append(
            ("floor: the document over objects in memory", await execution_floor_async(requests))
        )
        return timings
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    for name, microseconds in asyncio.run(
        breakdown(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    ):
        print(f"{name:45} {microseconds:7.0f} µs")
