"""With CMS_HTTP_PURGE_URL the app purges the HTTP cache in front of it (Varnish: see
test_varnish.py) by surrogate key: a PURGE with ``xkey-purge`` naming what readers see
change, sent before the mutation's response; nothing for a draft save; and a purge that
failed is sent again with the next one. Against a real loopback HTTP server that records the
purges it gets."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from editorial_support import Editor
from graphql_support import GraphQLClient, http_client
from live_server import free_port

from cms.app import create_app
from cms.services.reader_changes import NOT_FOUND, PAGE_LIST


class PurgeRecorder:
    """A tiny HTTP server on loopback: answers 200 to anything, keeps each request's
    method and ``xkey-purge`` keys."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.purges: list[set[str]] = []
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._answer, "127.0.0.1", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
        if head[0].startswith("PURGE "):
            self.purges.append(set(headers.get("xkey-purge", "").split()))
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()


@asynccontextmanager
async def app_purging(settings, port: int) -> AsyncIterator[GraphQLClient]:
    purging = settings.model_copy(update={"http_purge_url": f"http://127.0.0.1:{port}/"})
    app = create_app(purging, manage_database=False)
    async with (
        app.router.lifespan_context(app),
        http_client(app) as http,
    ):
        yield GraphQLClient(http)


async def test_a_publish_purges_the_page_and_the_lists_before_it_returns(settings, editor_token):
    recorder = PurgeRecorder(free_port())
    await recorder.start()
    try:
        async with app_purging(settings, recorder.port) as gql:
            editor = Editor(gql, editor_token)
            page = await editor.create_page("a", "A")
            await editor.update_page(page["id"], page["version"], title="A draft")
            assert recorder.purges == []  # drafts: readers see nothing change
            published = await editor.publish(page["id"])
            # Sent before the answer; the event of the publish may send it again.
            assert recorder.purges
            changed = {published["id"], PAGE_LIST, NOT_FOUND}
            assert all(keys == changed for keys in recorder.purges)
    finally:
        await recorder.stop()


async def test_a_purge_that_failed_is_sent_with_the_next(settings, editor_token):
    recorder = PurgeRecorder(free_port())  # not listening yet: the first purge fails
    try:
        async with app_purging(settings, recorder.port) as gql:
            editor = Editor(gql, editor_token)
            a = await editor.published_page("a")
            await recorder.start()
            b = await editor.published_page("b")
            assert recorder.purges[0] >= {a["id"], PAGE_LIST}  # the next purge carries it
            assert any(b["id"] in keys for keys in recorder.purges)
    finally:
        await recorder.stop()
