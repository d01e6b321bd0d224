"""The ceiling for the benchmark: a minimal Starlette app answering the seeded page's JSON
(the same shape as the GraphQL response of scenario (a)) from the same database with
hand-written SQL, and the same bytes as a static response (the yardstick of scenario (c)).

Run: ``CMS_DATABASE_URL=… uvicorn bench.ceiling:app``.
"""

import os
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from cms.config import Settings
from cms.rendering import markdown_to_html
from cms.serving.edge import Edge
from cms.serving.metrics import Metrics
from schema.relay import to_global_id

SLUG = "harvard-medical-school"
PAGE_SQL = (
    "SELECT id, title, summary, published_at FROM page WHERE slug = {} AND status = 'PUBLISHED'"
)
SECTIONS_SQL = (
    "SELECT id, parent_id, title, anchor, body FROM section WHERE page_id = {} "
    "ORDER BY position, id"
)
JSON = "application/json"


class Database:
    """One asyncpg pool or one aiosqlite connection; rows as tuples."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.pool: Any = None
        self.sqlite: aiosqlite.Connection | None = None

    async def open(self) -> None:
        if self.url.startswith("sqlite://"):
            self.sqlite = await aiosqlite.connect(self.url.removeprefix("sqlite://"))
        else:
            dsn = self.url.replace("postgres://", "postgresql://", 1)
            self.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10)

    async def rows(self, sql: str, argument: Any) -> list[tuple]:
        if self.sqlite is not None:
            async with self.sqlite.execute(sql.format("?"), (argument,)) as cursor:
                return list(await cursor.fetchall())
        return [tuple(row) for row in await self.pool.fetch(sql.format("$1"), argument)]

    async def close(self) -> None:
        if self.sqlite is not None:
            await self.sqlite.close()
        if self.pool is not None:
            await self.pool.close()


def section_json(row: tuple, children: list[dict] | None) -> dict[str, Any]:
    section_id, _, title, anchor, body = row
    item = {
        "id": to_global_id("Section", section_id),
        "title": title,
        "anchor": anchor,
        "bodyHtml": markdown_to_html(body),
    }
    if children is not None:
        item["children"] = children
    return item


async def page_json(database: Database) -> bytes:
    pages = await database.rows(PAGE_SQL, SLUG)
    if not pages:
        return orjson.dumps({"data": {"page": None}})
    page_id, title, summary, published_at = pages[0]
    by_parent: dict[int | None, list[tuple]] = defaultdict(list)
    for row in await database.rows(SECTIONS_SQL, page_id):
        by_parent[row[1]].append(row)
    sections = [
        section_json(row, [section_json(child, None) for child in by_parent[row[0]]])
        for row in by_parent[None]
    ]
    published = published_at.isoformat() if hasattr(published_at, "isoformat") else published_at
    page = {
        "id": to_global_id("Page", page_id),
        "title": title,
        "summary": summary,
        "publishedAt": published,
        "sections": sections,
    }
    return orjson.dumps({"data": {"page": page}})


def create_ceiling(database_url: str) -> Starlette:
    database = Database(database_url)
    static: dict[str, bytes] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await database.open()
        static["page"] = await page_json(database)
        yield
        await database.close()

    async def page(request: Request) -> Response:
        return Response(await page_json(database), media_type=JSON)

    async def static_page(request: Request) -> Response:
        return Response(static["page"], media_type=JSON)

    # The same bytes behind the CMS's production middleware (request id, access log, metrics,
    # security headers, CORS, body limit), configured by the same CMS_ settings: what any
    # response of the CMS costs at least.
    settings = Settings()
    behind_middleware = Starlette(
        routes=[Route("/static", static_page)],
        middleware=[
            Middleware(
                Edge,
                metrics=Metrics(),
                cors_origins=settings.cors_origins,
                max_body_bytes=settings.max_body_bytes,
            )
        ],
    )
    return Starlette(
        routes=[
            Route("/page", page),
            Route("/static", static_page),
            Mount("/production", behind_middleware),
        ],
        lifespan=lifespan,
    )


app = create_ceiling(os.environ.get("CMS_DATABASE_URL", "sqlite://cms.sqlite3"))
