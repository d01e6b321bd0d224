"""Fixtures for the reader site's tests (helpers are in site_support.py)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from site_support import BASE_URL, SiteClient

from cms.app import create_app
from cms.config import Settings


@pytest.fixture
def site_client(settings: Settings) -> SiteClient:
    """Opens the app, built with the suite's settings changed by keyword, over ASGI; with
    ``lifespan=True`` its start-up runs first (as under uvicorn)."""

    @asynccontextmanager
    async def open_client(*, lifespan: bool = False, **changes: object) -> AsyncIterator[
        httpx.AsyncClient
    ]:
        app = create_app(settings.model_copy(update=changes), manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
            if lifespan:
                async with app.router.lifespan_context(app):
                    yield http
            else:
                yield http

    return open_client
