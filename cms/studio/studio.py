"""What every studio page shares: who is signed in, GraphQL as that user, rendering with
the layout, and the guard around each route (sign-in, admin role, CSRF)."""

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from cms.serving.sessions import CSRF_FIELD, CSRF_HEADER, SignedInUser, StudioAccounts
from cms.site.api import ApiResult
from cms.studio.api import StudioApi
from cms.studio.templating import is_htmx

Handler = Callable[[Request], Awaitable[Response]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SIGN_IN_PATH = "/studio/sign-in"
HOME_PATH = "/studio/"


class Studio:
    def __init__(
        self, api: StudioApi, accounts: StudioAccounts, templates: Jinja2Templates
    ) -> None:
        self.api = api
        self.accounts = accounts
        self.templates = templates

    async def user(self, request: Request) -> SignedInUser | None:
        """The signed-in user (None on the sign-in pages before sign-in)."""
        return await self.accounts.user(request)

    async def execute(
        self, request: Request, name: str, variables: dict[str, Any] | None = None
    ) -> ApiResult:
        """Run ``queries/{name}.graphql`` as the signed-in user."""
        return await self.api.execute(request, await self.user(request), name, variables)

    async def render(
        self,
        request: Request,
        name: str,
        context: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Response:
        """A template with the layout's needs: the user, the CSRF token, the nav counts."""
        user = await self.user(request)
        pending = None
        if user is not None:
            counts = await self.execute(request, "nav")
            pending = (counts.data.get("commentCounts") or {}).get("pending")
        response = self.templates.TemplateResponse(
            request,
            name,
            {
                "user": user,
                "csrf_token": self.accounts.csrf_token(request),
                "pending_comments": pending,
                **(context or {}),
            },
            status_code=status_code,
        )
        self.accounts.finish(request, response)
        return response

    async def csrf_ok(self, request: Request) -> bool:
        """Whether a state-changing request carries this session's CSRF token (header for
        scripts, form field for forms)."""
        await self.user(request)  # signed in, the token is the session's
        given = request.headers.get(CSRF_HEADER)
        if given is None and request.headers.get("content-type", "").startswith(FORM_TYPES):
            value = (await request.form()).get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
        return self.accounts.csrf_matches(request, given)

    async def refuse(self, request: Request, status_code: int, message: str) -> Response:
        return await self.render(
            request, "error.html.j2", {"message": message}, status_code=status_code
        )

    def public(self, handler: Handler) -> Handler:
        """A page anyone may open (sign-in, set password); its forms still need CSRF."""

        async def endpoint(request: Request) -> Response:
            if request.method not in SAFE_METHODS and not await self.csrf_ok(request):
                return await self.refuse(request, 403, CSRF_MESSAGE)
            return await handler(request)

        return endpoint

    def signed_in(self, handler: Handler, *, admin_only: bool = False) -> Handler:
        """A page for signed-in users (admins only with ``admin_only``); state-changing
        requests must carry the CSRF token."""

        async def endpoint(request: Request) -> Response:
            user = await self.user(request)
            if user is None:
                return sign_in_redirect(request)
            if admin_only and not user.is_admin:
                return await self.refuse(request, 403, "This page is for admins only.")
            if request.method not in SAFE_METHODS and not await self.csrf_ok(request):
                return await self.refuse(request, 403, CSRF_MESSAGE)
            return await handler(request)

        return endpoint


CSRF_MESSAGE = (
    "This form was sent without this session's security token (it may be old, or sent "
    "from another site). Nothing was changed: reload the page and try again."
)


def sign_in_redirect(request: Request) -> Response:
    """To the sign-in page, coming back here afterwards (htmx: a full-page redirect)."""
    back = request.url.path if request.method == "GET" else HOME_PATH
    location = f"{SIGN_IN_PATH}?next={quote(back)}"
    if is_htmx(request):
        return Response(status_code=401, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def safe_next(value: str | None) -> str:
    """Where to go after sign-in: a studio path only (never another site)."""
    if value and value.startswith("/studio") and not value.startswith("//"):
        return value
    return HOME_PATH
