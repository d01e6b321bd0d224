"""Production-like processes: two uvicorn servers sharing one database and Redis (cache
invalidation crosses processes), and a database restart that requests survive (PostgreSQL:
the connections go through a TCP proxy the test stops and starts, so the shared server keeps
running)."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import httpx
import live_server
import pytest
from database_support import IS_POSTGRES
from redis.asyncio import Redis

REDIS_URL = "redis://127.0.0.1:6379/13"
TITLE = '{ page(slug: "harvard-medical-school") { id title } }'
# Readers see a change once it is published: retitle the (version 1) page and publish it.
RETITLE = (
    "mutation ($id: ID!, $t: String!) "
    "{ updatePage(input: {id: $id, version: 1, title: $t}) { errors { code } } "
    "publishPage(input: {id: $id}) { errors { code } } }"
)


@asynccontextmanager
async def uvicorn_process(env_overrides: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """`python -m uvicorn cms.asgi:app`, configured by environment like production."""
    env = {**os.environ, "CMS_LOG_LEVEL": "warning", **env_overrides}
    async with (
        live_server.uvicorn_process(env, ready_path="/healthz") as server,
        httpx.AsyncClient(base_url=server.base_url, timeout=10) as http,
    ):
        yield http


async def title_over_get(http: httpx.AsyncClient) -> str:
    response = await http.get("/graphql", params={"query": TITLE})
    assert response.status_code == 200, response.text
    return response.json()["data"]["page"]["title"]


async def test_a_mutation_on_one_process_invalidates_the_cache_of_another(
    settings, seeded_page, editor_token
):
    redis = Redis.from_url(REDIS_URL)
    await redis.flushdb()
    env = {"CMS_DATABASE_URL": settings.database_url, "CMS_REDIS_URL": REDIS_URL}
    try:
        async with uvicorn_process(env) as reader, uvicorn_process(env) as writer:
            assert await title_over_get(reader) == seeded_page.title
            assert await title_over_get(reader) == seeded_page.title  # now from the cache
            page_id = (await reader.get("/graphql", params={"query": TITLE})).json()["data"][
                "page"
            ]["id"]
            response = await writer.post(
                "/graphql",
                json={"query": RETITLE, "variables": {"id": page_id, "t": "Across processes"}},
                headers={"Authorization": f"Bearer {editor_token}"},
            )
            assert response.json()["data"]["updatePage"]["errors"] == []
            assert await title_over_get(reader) == "Across processes"
    finally:
        await redis.flushdb()
        await redis.aclose()


class TcpProxy:
    """Forwards a local port to PostgreSQL; stopping it looks like a database restart."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = live_server.free_port()
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.writers):
            writer.transport.abort()
        await self.server.wait_closed()

    async def _handle(self, client_reader, client_writer) -> None:
        server_reader, server_writer = await asyncio.open_connection(*self.target)
        self.writers |= {client_writer, server_writer}

        async def pipe(reader, writer) -> None:
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                writer.transport.abort()
                self.writers.discard(writer)

        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))


def through_proxy(url: str, port: int) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


@pytest.mark.skipif(not IS_POSTGRES, reason="a database server restart needs PostgreSQL")
async def test_requests_fail_with_503_during_a_database_restart_and_succeed_after(
    settings, seeded_page
):
    parts = urlsplit(settings.database_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.start()
    env = {
        "CMS_DATABASE_URL": through_proxy(settings.database_url, proxy.port),
        "CMS_RESPONSE_CACHE": "false",
    }
    async with uvicorn_process(env) as http:
        query = {"query": TITLE}
        assert (await http.post("/graphql", json=query)).status_code == 200
        await proxy.stop()
        during = await http.post("/graphql", json=query)
        ready_during = await http.get("/readyz")
        await proxy.start()
        after = await http.post("/graphql", json=query)
    assert during.status_code == 503, during.text
    assert during.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert ready_during.status_code == 503
    assert after.status_code == 200, after.text
    assert after.json()["data"]["page"]["title"] == seeded_page.title


async def test_several_workers_without_redis_serve_fresh_content_from_every_worker(
    settings, seeded_page, editor_token
):
    """Without Redis the workers cannot share a response cache, so `cms serve` turns it off:
    after a mutation, every reader gets the new content, whichever worker answers."""
    port = live_server.free_port()
    command = [sys.executable, "-c", "from cms.cli import main; main()", "serve"]
    command += ["--workers", "2", "--host", "127.0.0.1", "--port", str(port)]
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    env |= {"CMS_DATABASE_URL": settings.database_url, "CMS_LOG_LEVEL": "warning"}
    async with live_server.async_server_process(
        command, port=port, env=env, ready_path="/healthz", timeout=40
    ) as server:
        # A new connection per request, so that both workers get requests.
        fresh = httpx.AsyncClient(
            base_url=server.base_url, timeout=10, headers={"Connection": "close"}
        )
        async with fresh as http:
            titles = await asyncio.gather(*(title_over_get(http) for _ in range(10)))
            assert set(titles) == {seeded_page.title}
            page_id = (await http.get("/graphql", params={"query": TITLE})).json()["data"]["page"][
                "id"
            ]
            response = await http.post(
                "/graphql",
                json={"query": RETITLE, "variables": {"id": page_id, "t": "Two workers"}},
                headers={"Authorization": f"Bearer {editor_token}"},
            )
            assert response.json()["data"]["updatePage"]["errors"] == []
            titles = await asyncio.gather(*(title_over_get(http) for _ in range(10)))
            metrics = [(await http.get("/metrics")).text for _ in range(10)]
        assert set(titles) == {"Two workers"}
        assert "the response cache is off" in server.output()
        # No worker looked anything up in a response cache.
        lookups = [
            line
            for text in metrics
            for line in text.splitlines()
            if line.startswith("cms_response_cache_lookups_total{")
        ]
        assert lookups and all(line.endswith(" 0.0") for line in lookups), lookups
