"""Studio sign-in and sessions. A session is a row (revocable at any time) named by the
SHA-256 of a random id that only the browser's cookie holds."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from tortoise.timezone import now

from cms.errors import Unauthenticated, ValidationFailed
from cms.models import User, UserSession
from cms.services.auth import Viewer
from cms.services.passwords import hash_password, needs_rehash, verify_password
from cms.services.rate_limit import RateLimiter
from cms.services.users import normalise_email, sha256

# The one answer to a wrong email, a wrong password, an inactive user or one without a
# password: which of them it was is nobody's business but the admin's.
SIGN_IN_REFUSED = "The email or password is not right."


@dataclass(frozen=True)
class SignedIn:
    """A new session: ``session_id`` goes into the cookie, never into the database."""

    session_id: str
    user: User


async def sign_in(
    email: str,
    password: str,
    *,
    client_ip: str | None,
    user_agent: str | None,
    max_age: timedelta,
    limiter: RateLimiter | None,
) -> SignedIn:
    """Check the password and start a new session (a new id every time: no fixation).
    Attempts count against the account and the address whether they succeed or not."""
    try:
        address = normalise_email(email)
    except ValidationFailed:
        address = email.strip().lower()
    if limiter is not None:
        keys = [("account", address)] + ([("ip", client_ip)] if client_ip else [])
        await limiter.count(keys, "Too many sign-in attempts.")
    user = await User.get_or_none(email=address)
    password_hash = user.password_hash if user is not None else None
    if not await verify_password(password_hash, password) or user is None or not user.active:
        raise Unauthenticated(SIGN_IN_REFUSED)
    updates: dict[str, object] = {"last_sign_in_at": now()}
    if password_hash is not None and needs_rehash(password_hash):
        updates["password_hash"] = await hash_password(password)
    await User.filter(id=user.id).update(**updates)
    session_id = secrets.token_urlsafe(32)
    await UserSession.create(
        user=user,
        session_hash=sha256(session_id),
        expires_at=now() + max_age,
        ip=client_ip,
        user_agent=(user_agent or "")[:500] or None,
    )
    return SignedIn(session_id, user)


async def session_viewer(session_id: str | None) -> Viewer | None:
    """The viewer of a live session of an active user; None otherwise."""
    if not session_id:
        return None
    session = await UserSession.get_or_none(
        session_hash=sha256(session_id), ended_at=None, expires_at__gt=now()
    ).select_related("user")
    if session is None or not session.user.active:
        return None
    user = session.user
    return Viewer(
        token_id=None,
        name=user.display_name,
        role=user.role,
        user_id=user.id,
        session_id=session.id,
    )


async def end_session(session_id: str | None) -> None:
    """Sign-out: the session stops working at once, wherever its cookie was copied."""
    if session_id:
        await UserSession.filter(session_hash=sha256(session_id), ended_at=None).update(
            ended_at=now()
        )
