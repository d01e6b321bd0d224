"""Content events (page published, comment approved, …) fanned out to every server process.

Subscriptions, cache invalidation and webhooks listen here. With ``CMS_REDIS_URL`` set the
events travel over Redis pub/sub, so a subscriber connected to one process hears what
another process published; without it they stay inside the process.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger("cms.events")

CHANNEL = "cms:events"
SUBSCRIBER_QUEUE_SIZE = 1000
# Delivered (in this process only) when the event channel comes back after an outage.
EVENTS_MISSED = "events.missed"
RECONNECT_FIRST_PAUSE_SECONDS = 0.1
RECONNECT_MAX_PAUSE_SECONDS = 5.0


@dataclass(frozen=True)
class Event:
    """Something that happened: ``name`` like ``page.published``, with a JSON payload."""

    name: str
    payload: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str | bytes) -> "Event":
        data = json.loads(raw)
        return cls(name=data["name"], payload=data.get("payload", {}))


class EventBus(Protocol):
    async def publish(self, event: Event) -> None: ...

    def subscribe(self) -> AsyncIterator[Event]: ...

    async def close(self) -> None: ...


class _LocalFanout:
    """Delivers each event to every subscriber queue of this process."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Event]] = set()

    def deliver(self, event: Event) -> None:
        for queue in list(self._queues):
            try:
                queue.put_nowait(event)
            except asyncio.QueueFull:
                logger.warning("A slow subscriber missed event %s", event.name)

    async def subscribe(self) -> AsyncIterator[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=SUBSCRIBER_QUEUE_SIZE)
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)


class InMemoryEventBus:
    """Events reach the subscribers of this process only."""

    def __init__(self) -> None:
        self._fanout = _LocalFanout()

    async def publish(self, event: Event) -> None:
        self._fanout.deliver(event)

    def subscribe(self) -> AsyncIterator[Event]:
        return self._fanout.subscribe()

    async def close(self) -> None:
        return None


class RedisEventBus:
    """Events go through one Redis channel; one listener task per process fans them out.

    Redis may go away (restart, network): publishing then logs and carries on — the change
    that caused the event is committed, and its answer must say so — and the listener
    reconnects by itself, with a growing pause. Events sent meanwhile are lost, so after
    every reconnection subscribers get :data:`EVENTS_MISSED`, on which caches must treat
    what they hold as stale."""

    def __init__(self, url: str) -> None:
        self._redis = Redis.from_url(url)
        self._fanout = _LocalFanout()
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def publish(self, event: Event) -> None:
        try:
            await self._redis.publish(CHANNEL, event.to_json())
        except (RedisError, OSError) as error:
            logger.error("Event %s not sent, Redis is unreachable: %r", event.name, error)

    async def start(self) -> None:
        """Start listening; returns once the channel subscription is active."""
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen())
        await self._ready.wait()

    async def _listen(self) -> None:
        pause = RECONNECT_FIRST_PAUSE_SECONDS
        while True:
            pubsub = self._redis.pubsub()
            try:
                await pubsub.subscribe(CHANNEL)
                if self._ready.is_set():
                    logger.warning("Event channel back; events sent meanwhile were missed")
                    self._fanout.deliver(Event(EVENTS_MISSED))
                self._ready.set()
                pause = RECONNECT_FIRST_PAUSE_SECONDS
                async for message in pubsub.listen():
                    if message["type"] == "message":
                        self._fanout.deliver(Event.from_json(message["data"]))
            except (RedisError, OSError) as error:
                logger.warning("Event channel lost (%r); reconnecting in %.1f s", error, pause)
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()
            await asyncio.sleep(pause)
            pause = min(pause * 2, RECONNECT_MAX_PAUSE_SECONDS)

    async def subscribe(self) -> AsyncIterator[Event]:
        await self.start()
        async for event in self._fanout.subscribe():
            yield event

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()


def create_event_bus(redis_url: str | None) -> EventBus:
    """Redis pub/sub when a URL is configured, otherwise in-process delivery."""
    return RedisEventBus(redis_url) if redis_url else InMemoryEventBus()
