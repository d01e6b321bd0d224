"""A browser for studio tests: an httpx client with a cookie jar that signs in through the
real form and sends the CSRF token the pages hand out."""

import re
from typing import Any

import httpx

PASSWORD = "correct horse battery staple"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)">')


def csrf_from(html: str) -> str:
    match = CSRF_META.search(html)
    assert match, "the page has no CSRF meta tag"
    return match.group(1)


class StudioBrowser:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.csrf = ""

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        """GET a page and remember the CSRF token it carries (if it is HTML)."""
        response = await self.http.get(path, **kwargs)
        if response.headers.get("content-type", "").startswith("text/html"):
            match = CSRF_META.search(response.text)
            if match:
                self.csrf = match.group(1)
        return response

    async def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        """POST a form with this session's CSRF token (``csrf=False``: without it)."""
        form = dict(data or {})
        if csrf:
            form.setdefault("csrf_token", self.csrf)
        return await self.http.post(path, data=form, **kwargs)

    async def sign_in(self, email: str, password: str = PASSWORD) -> httpx.Response:
        await self.get("/studio/sign-in")
        response = await self.post("/studio/sign-in", {"email": email, "password": password})
        if response.status_code == 303:
            await self.get("/studio/")
        return response

    async def graphql(
        self, query: str, variables: dict[str, Any] | None = None, *, csrf: str | None = None
    ) -> httpx.Response:
        """POST to /graphql with the session cookie and the X-CSRF-Token header."""
        return await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"X-CSRF-Token": self.csrf if csrf is None else csrf},
        )
