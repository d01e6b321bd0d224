"""HTTP clients of the app in this process, and a GraphQL client over one: posts documents,
returns the answers."""

from typing import Any

import httpx
from starlette.types import ASGIApp

from cms.app import create_app
from cms.config import Settings

BASE_URL = "http://cms.test"


def http_client(app: ASGIApp) -> httpx.AsyncClient:
    """An HTTP client of ``app``, in this process (httpx's ASGI transport)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL)


def app_client(settings: Settings) -> httpx.AsyncClient:
    """An HTTP client of the app built with ``settings``, sharing the session's ORM."""
    return http_client(create_app(settings, manage_database=False))


class GraphQLClient:
    """Posts GraphQL documents and returns the decoded response."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        return response.json()

    async def data(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """The response's data, asserting there were no errors."""
        body = await self(query, variables, token)
        assert "errors" not in body, body["errors"]
        return body["data"]
