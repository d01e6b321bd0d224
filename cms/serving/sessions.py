"""Studio sessions at the HTTP boundary: the session cookie, CSRF tokens, and the one door
the studio (and the GraphQL view) use to sign in, sign out and find the signed-in viewer.

CSRF: a token is the HMAC of a seed with the site's secret. Signed in, the seed is the
session id (so the token dies with the session and cannot be made without the cookie);
before sign-in it is a random value in a separate cookie (double-submit, for the sign-in and
set-password forms). Forms send the token as the ``csrf_token`` field, scripts as the
``X-CSRF-Token`` header.

Set-password links: as Django's PasswordResetConfirmView does, the secret leaves the address
bar at once. The link's first request moves it into a short-lived cookie sent only to the
set-password page (HttpOnly, SameSite=Strict, Secure over HTTPS) and is redirected to that
page's address without it, so neither Referer headers, browser history nor later log lines
carry it. The cookie goes when the password is set.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from starlette.requests import HTTPConnection
from starlette.responses import Response

from cms.config import Settings
from cms.errors import Forbidden, Unauthenticated
from cms.global_ids import to_global_id
from cms.models import Role, User
from cms.secret_key import signing_key
from cms.services.auth import Viewer
from cms.services.client_address import client_ip
from cms.services.rate_limit import create_rate_limiter
from cms.services.sessions import SignedIn, end_session, session_viewer, sign_in
from cms.services.users import password_link_is_usable, set_password_with_link

SESSION_COOKIE = "cms_session"
ANONYMOUS_CSRF_COOKIE = "cms_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
# Where the anonymous CSRF cookie is sent: only the studio's own forms need it.
STUDIO_PATH = "/studio"
PASSWORD_LINK_COOKIE = "cms_password_link"
# The set-password page; the link is this path followed by "/<secret>".
SET_PASSWORD_PATH = f"{STUDIO_PATH}/set-password"
# Time to choose a password after opening the link; the link itself works until used.
PASSWORD_LINK_COOKIE_SECONDS = 30 * 60


@dataclass(frozen=True)
class SignedInUser:
    """Who is signed in to the studio; ``viewer`` is what GraphQL executes as."""

    viewer: Viewer

    @property
    def id(self) -> int:
        assert self.viewer.user_id is not None
        return self.viewer.user_id

    @property
    def global_id(self) -> str:
        """The user's ID in the GraphQL API."""
        return to_global_id("User", self.id)

    @property
    def name(self) -> str:
        return self.viewer.name

    @property
    def role(self) -> str:
        return self.viewer.role.value

    @property
    def is_admin(self) -> bool:
        return self.viewer.role is Role.ADMIN


# Addresses whose last segment is a secret: a set-password link, a draft's preview link.
SECRET_BEARING_PATHS = (SET_PASSWORD_PATH + "/", "/preview/")


def loggable_path(path: str) -> str:
    """``path`` as log lines and metrics may show it: a link without its secret."""
    for prefix in SECRET_BEARING_PATHS:
        if path.startswith(prefix):
            return prefix + "[secret]"
    return path


def csrf_token_for(seed: str, key: str) -> str:
    return hmac.new(key.encode(), b"csrf|" + seed.encode(), hashlib.sha256).hexdigest()


async def graphql_session_viewer(request: HTTPConnection, settings: Settings) -> Viewer | None:
    """For /graphql without a bearer token: the session's viewer, but only when the request
    carries the CSRF header too. A cookie alone (a reader's browser that is also signed in,
    or a forged cross-site request) counts for nothing: the request is anonymous. A header
    that does not match the cookie is refused (Forbidden)."""
    given = request.headers.get(CSRF_HEADER)
    cookie = request.cookies.get(SESSION_COOKIE)
    if given is None or not cookie:
        return None
    if not hmac.compare_digest(given, csrf_token_for(cookie, signing_key(settings))):
        raise Forbidden("The X-CSRF-Token header does not match the session.")
    viewer = await session_viewer(cookie)
    if viewer is None:
        raise Unauthenticated("The studio session has ended: sign in again.")
    return viewer


class StudioAccounts:
    """Sign-in, sessions and CSRF for one app (its settings and sign-in rate limiter)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limiter = create_rate_limiter(settings, settings.sign_in_rate_limits, "sign-in")
        self.max_age = timedelta(seconds=settings.session_max_age_seconds)

    def client_ip(self, request: HTTPConnection) -> str | None:
        return client_ip(
            request.client.host if request.client else None,
            request.headers.get("x-forwarded-for"),
            self.settings.trusted_proxy_count,
        )

    async def viewer(self, request: HTTPConnection) -> Viewer | None:
        """The signed-in viewer of the request's session cookie (looked up once)."""
        if not hasattr(request.state, "session_viewer"):
            cookie = request.cookies.get(SESSION_COOKIE)
            request.state.session_viewer = await session_viewer(cookie)
        return request.state.session_viewer

    async def user(self, request: HTTPConnection) -> SignedInUser | None:
        viewer = await self.viewer(request)
        return SignedInUser(viewer) if viewer is not None else None

    def csrf_token(self, request: HTTPConnection) -> str:
        """The token the page's forms and scripts send back (see the module docstring)."""
        return csrf_token_for(self._csrf_seed(request), signing_key(self.settings))

    def _csrf_seed(self, request: HTTPConnection) -> str:
        session = request.cookies.get(SESSION_COOKIE)
        if session and getattr(request.state, "session_viewer", None) is not None:
            return session
        seed = getattr(request.state, "new_csrf_seed", None) or request.cookies.get(
            ANONYMOUS_CSRF_COOKIE
        )
        if not seed:
            seed = request.state.new_csrf_seed = secrets.token_urlsafe(24)
        return seed

    def csrf_matches(self, request: HTTPConnection, given: str | None) -> bool:
        if not given:
            return False
        expected = csrf_token_for(self._csrf_seed(request), signing_key(self.settings))
        return hmac.compare_digest(given, expected)

    def secure(self, request: HTTPConnection) -> bool:
        return request.url.scheme == "https"

    def finish(self, request: HTTPConnection, response: Response) -> None:
        """Set the anonymous CSRF cookie if this response handed out a token made from a
        new seed."""
        seed = getattr(request.state, "new_csrf_seed", None)
        if seed:
            response.set_cookie(
                ANONYMOUS_CSRF_COOKIE,
                seed,
                path=STUDIO_PATH,
                httponly=True,
                samesite="strict",
                secure=self.secure(request),
            )

    async def sign_in(
        self, request: HTTPConnection, response: Response, email: str, password: str
    ) -> User:
        """Check the password, end the session the browser had and start a new one, with a
        new cookie (the old id, which someone may have planted, is worthless)."""
        signed_in: SignedIn = await sign_in(
            email,
            password,
            client_ip=self.client_ip(request),
            user_agent=request.headers.get("user-agent"),
            max_age=self.max_age,
            limiter=self.limiter,
        )
        await end_session(request.cookies.get(SESSION_COOKIE))
        response.set_cookie(
            SESSION_COOKIE,
            signed_in.session_id,
            max_age=int(self.max_age.total_seconds()),
            path="/",
            httponly=True,
            samesite="lax",
            secure=self.secure(request),
        )
        response.delete_cookie(ANONYMOUS_CSRF_COOKIE, path=STUDIO_PATH)
        return signed_in.user

    async def sign_out(self, request: HTTPConnection, response: Response) -> None:
        await end_session(request.cookies.get(SESSION_COOKIE))
        response.delete_cookie(SESSION_COOKIE, path="/")

    async def open_password_link(
        self, request: HTTPConnection, response: Response, secret: str
    ) -> bool:
        """Hold a usable set-password link's secret in a cookie only the set-password page
        gets; False (nothing kept) when the link is expired, used or made up."""
        if not await password_link_is_usable(secret):
            return False
        response.set_cookie(
            PASSWORD_LINK_COOKIE,
            secret,
            max_age=PASSWORD_LINK_COOKIE_SECONDS,
            path=SET_PASSWORD_PATH,
            httponly=True,
            samesite="strict",
            secure=self.secure(request),
        )
        return True

    async def password_link_is_usable(self, request: HTTPConnection) -> bool:
        """Whether the link kept for this browser can still set a password."""
        secret = request.cookies.get(PASSWORD_LINK_COOKIE)
        return bool(secret) and await password_link_is_usable(secret)

    async def set_password(
        self, request: HTTPConnection, response: Response, password: str
    ) -> User:
        """Use the link kept for this browser once, and forget it."""
        secret = request.cookies.get(PASSWORD_LINK_COOKIE, "")
        user = await set_password_with_link(secret, password)
        response.delete_cookie(PASSWORD_LINK_COOKIE, path=SET_PASSWORD_PATH)
        return user
