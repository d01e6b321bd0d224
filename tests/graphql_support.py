"""A GraphQL client over the suite's HTTP client: posts documents, returns the answers."""

from typing import Any

import httpx


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
