"""The least a server built on Strawberry and graphql-core can spend on scenario (a).

The (a) document is executed over the seeded article already in memory: no database, no
HTTP, every field a plain attribute (bodies rendered in advance), with this project's
plain-field executor (schema/execution.py) and the same parser and validation caches as the
API. Whatever a server does with its database and HTTP, it cannot answer (a) faster than
this; `make bench` prints it next to the ceiling.

    python -m bench.floor [N]
"""

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from bench.documents import ARTICLE, SLUG
from cms.rendering import markdown_to_html
from schema.execution import plain_field_execution
from seed.article import SectionData, load_article


@strawberry.type
class Section:
    id: strawberry.ID
    title: str | None
    anchor: str
    body_html: str
    children: list["Section"]


@strawberry.type
class Page:
    id: strawberry.ID
    title: str
    summary: str | None
    published_at: datetime | None
    sections: list[Section]


def in_memory_page() -> Page:
    numbers = iter(range(1, 1000))

    def section(data: SectionData) -> Section:
        number = next(numbers)
        return Section(
            id=strawberry.ID(f"U2VjdGlvbjo{number}"),
            title=data.title,
            anchor=f"section-{number}",
            body_html=markdown_to_html("\n\n".join(data.paragraphs)),
            children=[section(child) for child in data.children],
        )

    article = load_article()
    return Page(
        id=strawberry.ID("UGFnZTox"),
        title=article.title,
        summary=None,
        published_at=datetime.now(UTC),
        sections=[section(data) for data in article.sections],
    )


def build_floor_schema() -> strawberry.Schema:
    page = in_memory_page()

    @strawberry.type
    class Query:
        @strawberry.field
        def page(self, slug: str) -> Page | None:
            return page if slug == SLUG["slug"] else None

    floor = strawberry.Schema(
        query=Query,
        extensions=[lambda: ParserCache(maxsize=16), lambda: ValidationCache(maxsize=16)],
    )
    floor.execution_context_class = plain_field_execution(floor._schema)
    return floor


async def best_of(rounds: int, requests: int, run: Callable[[], Awaitable[object]]) -> float:
    """Microseconds per call of ``run``, best of ``rounds`` rounds of ``requests`` calls."""
    for _ in range(min(requests, 100)):  # warm-up: caches, pools
        await run()
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(requests):
            await run()
        best = min(best, (time.perf_counter() - started) / requests)
    return best * 1e6


async def execution_floor_async(requests: int = 1000) -> float:
    """Microseconds per execution of the (a) document, best of five rounds."""
    floor = build_floor_schema()

    async def execute_article() -> None:
        result = await floor.execute(ARTICLE, variable_values=SLUG)
        assert result.errors is None, result.errors

    return await best_of(5, requests, execute_article)


def execution_floor(requests: int = 1000) -> float:
    return asyncio.run(execution_floor_async(requests))


if __name__ == "__main__":
    floor_us = execution_floor(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    print(f"(a) executed over the article in memory: {floor_us:.0f} µs per request")
