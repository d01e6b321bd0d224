"""Studio fixtures: signed-in browsers (httpx clients with their own cookie jars) against the
real ASGI app, for an editor and for an admin.

    async def test_something(studio_editor):
        page = await studio_editor.get("/studio/")
        await studio_editor.post("/studio/comments/bulk", {"action": "approve", ...})
        data = await studio_editor.graphql("{ viewer { name } }")

``post`` adds the session's CSRF token to the form; ``graphql`` sends the X-CSRF-Token
header with the session cookie (no bearer token). ``studio_browser`` makes more (a second
editor, a stranger); ``make_user`` creates a user with a password.
"""

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from starlette.types import ASGIApp

from cms.app import create_app
from cms.config import Settings
from cms.models import Role, User
from cms.services.passwords import hash_password
from cms.services.users import create_user
from studio.browser import PASSWORD, StudioBrowser

MakeUser = Callable[..., Awaitable[User]]
MakeBrowser = Callable[[], Awaitable[StudioBrowser]]


@pytest.fixture
def studio_app(settings: Settings) -> ASGIApp:
    """One app shared by every browser of a test (as one server would be)."""
    return create_app(settings, manage_database=False)


@pytest.fixture
def make_user() -> MakeUser:
    async def make(
        email: str, name: str = "", role: Role = Role.EDITOR, password: str = PASSWORD
    ) -> User:
        user = await create_user(email, name or email.split("@")[0].title(), role)
        user.password_hash = await hash_password(password)
        await user.save(update_fields=["password_hash"])
        return user

    return make


@pytest.fixture
async def studio_browser(studio_app: ASGIApp) -> AsyncIterator[MakeBrowser]:
    """Makes browsers (not signed in) that share ``studio_app``."""
    clients: list[httpx.AsyncClient] = []

    async def make() -> StudioBrowser:
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=studio_app), base_url="http://cms.test"
        )
        clients.append(http)
        return StudioBrowser(http)

    yield make
    for http in clients:
        await http.aclose()


@pytest.fixture
async def studio_editor(make_user: MakeUser, studio_browser: MakeBrowser) -> StudioBrowser:
    """A browser signed in as Edna, an editor."""
    user = await make_user("edna@example.com", "Edna Editor", Role.EDITOR)
    browser = await studio_browser()
    await browser.sign_in(user.email)
    return browser


@pytest.fixture
async def studio_admin(make_user: MakeUser, studio_browser: MakeBrowser) -> StudioBrowser:
    """A browser signed in as Ada, an admin."""
    user = await make_user("ada@example.com", "Ada Admin", Role.ADMIN)
    browser = await studio_browser()
    await browser.sign_in(user.email)
    return browser
