"""Background work inside the server: the publishing scheduler and webhook deliveries.

Both are safe to run in several processes at once — each job and each delivery is claimed
with an atomic update before it runs — so every server process may start them.
"""

import asyncio
import contextlib

from cms.config import Settings
from cms.events import EventBus
from cms.services.scheduling import run_scheduler
from cms.services.webhook_delivery import run_delivery_worker


class BackgroundWorkers:
    """Started in the app's lifespan, stopped (cancelled and awaited) when it ends."""

    def __init__(self, settings: Settings, events: EventBus) -> None:
        self.settings = settings
        self.events = events
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(
                run_scheduler(
                    self.events,
                    self.settings.scheduler_poll_seconds,
                    self.settings.scheduler_lease_seconds,
                ),
                name="cms-scheduler",
            ),
            asyncio.create_task(run_delivery_worker(self.settings), name="cms-webhooks"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []


def workers_enabled(settings: Settings, manage_database: bool) -> bool:
    """``CMS_BACKGROUND_WORKERS`` decides; unset, they run when the app owns its database."""
    return manage_database if settings.background_workers is None else settings.background_workers
