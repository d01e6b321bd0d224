"""Whether reads cost the same with 1,000 rows or 100,000: ``make bench-scale``.

For each database and size, a throw-away database is migrated and loaded with the project's
own import (bench/scale_data.py: ``size`` published pages and one page with ``size``
comments) and the seed article; then each read below is executed ``--repeats`` times through
the real app (in process, response cache off, ``Cache-Control: no-cache``) and its p50/p99
printed, with the ratio of the largest size's p50 to the smallest's.

    python -m bench.scale [--sizes 1000,10000,100000] [--databases sqlite,postgres]
                          [--repeats 100] [--postgres-url postgres://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise
from tortoise.connection import connections
from tortoise.migrations.api import migrate

from bench.documents import ARTICLE, PAGES, SLUG
from bench.scale_data import COMMON_WORD, DISCUSSION_SLUG, export_document
from cms.app import create_app
from cms.config import Settings
from cms.db import tortoise_config
from cms.models import Comment, CommentStatus, Page, PageStatus, Role
from cms.services.auth import create_token
from cms.services.cursors import encode_keyset
from cms.services.transfer import import_data
from seed.loader import seed

COMMENTS = """query Comments($slug: String!, $after: String) { page(slug: $slug) {
  commentCount comments(first: 20, after: $after) { totalCount
    edges { cursor node { id authorName bodyHtml createdAt } }
    pageInfo { hasNextPage endCursor } } } }"""
SEARCH = """query Search($query: String!) { search(query: $query, first: 10) { totalCount
  edges { node { title snippet rank page { slug } } } } }"""
PAGES_AFTER = """query PagesAfter($after: String) { pages(first: 20, after: $after) {
  edges { cursor node { id slug title summary publishedAt } } pageInfo { hasNextPage } } }"""
PAGES_ORDERED = """query PagesOrdered($order: PageOrder) { pages(first: 20, orderBy: $order) {
  edges { node { id slug title updatedAt } } } }"""
QUEUE = """query Queue { comments(first: 20) { edges { node { id status authorName authorEmail
  body createdAt } } pageInfo { hasNextPage endCursor } } }"""


@dataclass(frozen=True)
class Read:
    name: str
    document: str
    variables: dict[str, Any]
    editor: bool = False


async def deep_cursors() -> tuple[str, str]:
    """Cursors 90 % into the page list (newest published first) and into the discussion's
    top-level comments, read from the rows as the API would encode them."""
    published = Page.filter(status=PageStatus.PUBLISHED)
    page = (
        await published.order_by("-published_at", "-id")
        .offset(int(await published.count() * 0.9))
        .first()
    )
    discussion = await Page.get(slug=DISCUSSION_SLUG)
    top = Comment.filter(
        page_id=discussion.id, status=CommentStatus.APPROVED, parent_id__isnull=True
    )
    comment = await top.order_by("created_at", "id").offset(int(await top.count() * 0.9)).first()
    assert page is not None and comment is not None
    return (
        encode_keyset(["published_at", "id"], (page.published_at, page.id)),
        encode_keyset(["created_at", "id"], (comment.created_at, comment.id)),
    )


def reads(pages_cursor: str, comments_cursor: str) -> list[Read]:
    discussion = {"slug": DISCUSSION_SLUG}
    return [
        Read("page(slug:) — the seeded article", ARTICLE, SLUG),
        Read("a page's comments(first: 20)", COMMENTS, discussion),
        Read("the same, 90 % deep (cursor)", COMMENTS, {**discussion, "after": comments_cursor}),
        Read(f"search for {COMMON_WORD!r} (9 pages in 10)", SEARCH, {"query": COMMON_WORD}),
        Read("pages(first: 20) with totalCount", PAGES, {}),
        Read("pages, 90 % deep (cursor)", PAGES_AFTER, {"after": pages_cursor}),
        Read("moderation queue (editor)", QUEUE, {}, editor=True),
        Read(
            "pages by TITLE",
            PAGES_ORDERED,
            {"order": {"field": "TITLE", "direction": "ASC"}},
        ),
        Read(
            "pages by UPDATED_AT",
            PAGES_ORDERED,
            {"order": {"field": "UPDATED_AT", "direction": "DESC"}},
        ),
    ]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def time_read(http: httpx.AsyncClient, read: Read, token: str, repeats: int) -> list[float]:
    headers = {"cache-control": "no-cache"}
    if read.editor:
        headers["authorization"] = f"Bearer {token}"
    body = {"query": read.document, "variables": read.variables}
    samples = []
    for attempt in range(repeats + 5):  # five warm-up runs
        started = time.perf_counter()
        response = await http.post("/graphql", json=body, headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        answer = response.json()
        assert response.status_code == 200 and "errors" not in answer, answer
        if attempt >= 5:
            samples.append(elapsed)
    return samples


async def load(url: str, size: int) -> float:
    """Migrate and fill a new database; returns the seconds the import took."""
    config = tortoise_config(Settings(database_url=url))
    await migrate(config=config)
    await Tortoise.close_connections()
    await Tortoise.init(config=config, _enable_global_fallback=True)
    started = time.perf_counter()
    await import_data(export_document(size))
    await seed()
    took = time.perf_counter() - started
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":  # what autovacuum does after a load
        await connection.execute_script("VACUUM ANALYZE")
    return took


async def measure(url: str, size: int, repeats: int) -> dict[str, tuple[float, float]]:
    took = await load(url, size)
    print(f"  {size:>7,} rows loaded by the import in {took:.1f} s", flush=True)
    try:
        _, token = await create_token("bench", Role.EDITOR)
        settings = Settings(
            database_url=url,
            response_cache=False,
            log_level="warning",
            secret_key=uuid.uuid4().hex * 2,
        )
        app = create_app(settings, manage_database=False)
        results = {}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cms.bench") as http:
            for read in reads(*await deep_cursors()):
                samples = await time_read(http, read, token, repeats)
                results[read.name] = (percentile(samples, 0.5), percentile(samples, 0.99))
                p50, p99 = results[read.name]
                print(f"    {read.name:42} p50 {p50:8.2f} ms  p99 {p99:8.2f} ms", flush=True)
        return results
    finally:
        await Tortoise.close_connections()


async def postgres_database(server_url: str, name: str, create: bool) -> None:
    import asyncpg

    connection = await asyncpg.connect(server_url.replace("postgres://", "postgresql://", 1))
    try:
        if create:
            await connection.execute(f'CREATE DATABASE "{name}"')
        else:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def run_database(
    database: str, sizes: list[int], repeats: int, postgres_url: str
) -> dict[int, dict[str, tuple[float, float]]]:
    print(f"{database}:", flush=True)
    results = {}
    for size in sizes:
        if database == "sqlite":
            with tempfile.TemporaryDirectory() as directory:
                url = f"sqlite://{Path(directory) / 'scale.sqlite3'}"
                results[size] = await measure(url, size, repeats)
            continue
        name = f"cms_bench_scale_{uuid.uuid4().hex[:10]}"
        await postgres_database(postgres_url, name, create=True)
        try:
            server, _, _ = postgres_url.rpartition("/")
            results[size] = await measure(f"{server}/{name}", size, repeats)
        finally:
            await postgres_database(postgres_url, name, create=False)
    return results


def table(all_results: dict[str, dict[int, dict[str, tuple[float, float]]]]) -> str:
    sizes = sorted(next(iter(all_results.values())))
    header = " | ".join(f"{size // 1000}k p50 / p99 ms" for size in sizes)
    lines = [
        f"| database | read | {header} | {sizes[-1] // 1000}k ÷ {sizes[0] // 1000}k (p50) |",
        "|---|---|" + "---:|" * (len(sizes) + 1),
    ]
    for database, results in all_results.items():
        for name in results[sizes[0]]:
            cells = " | ".join(
                f"{results[size][name][0]:.1f} / {results[size][name][1]:.1f}" for size in sizes
            )
            ratio = results[sizes[-1]][name][0] / results[sizes[0]][name][0]
            lines.append(f"| {database} | {name} | {cells} | {ratio:.2f} |")
    return "\n".join(lines)


def default_postgres_url() -> str:
    url = os.environ.get("CMS_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--postgres-url", default=default_postgres_url())
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    all_results = {
        database: await run_database(database, sizes, arguments.repeats, arguments.postgres_url)
        for database in arguments.databases.split(",")
    }
    print()
    print(table(all_results))


if __name__ == "__main__":
    asyncio.run(main())
