"""A graphql-transport-ws client for the tests of subscriptions."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

COMMENT_MODERATED = "subscription { commentModerated { body status authorEmail } }"
# Time for the server to start listening after a subscribe message (no ack exists for it).
SUBSCRIBE_SETTLE = 0.15


class Subscriber:
    """A graphql-transport-ws client: connection_init, subscribe, then next/error messages."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> None:
        message = {"query": query, "variables": variables or {}}
        await self.ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": message}))
        await asyncio.sleep(SUBSCRIBE_SETTLE)

    async def receive(self, timeout: float = 5) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                message = json.loads(await self.ws.recv())
                if message["type"] != "ping":
                    return message

    async def nothing_within(self, seconds: float) -> bool:
        try:
            await self.receive(seconds)
        except TimeoutError:
            return True
        return False


@asynccontextmanager
async def subscriber(
    address: str, init: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> AsyncIterator[Subscriber]:
    url = f"ws://{address}/graphql"
    async with connect(
        url, subprotocols=["graphql-transport-ws"], additional_headers=headers
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": init or {}}))
        client = Subscriber(ws)
        ack = await client.receive()
        assert ack["type"] == "connection_ack", ack
        yield client
