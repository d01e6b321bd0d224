"""API tokens and the viewer a request acts as."""

import hashlib
import secrets
from dataclasses import dataclass

from tortoise.timezone import now

from cms.errors import ErrorCode, FieldError, Forbidden, Unauthenticated, ValidationFailed
from cms.events import Event, EventBus
from cms.models import ApiToken, Role

TOKEN_PREFIX = "cms_"
# Published when a token is revoked, so every process closes the sockets it opened at once.
TOKEN_REVOKED = "token.revoked"


@dataclass(frozen=True)
class Viewer:
    """Who a request acts as: the holder of an API token, or a user signed in to the studio
    (then ``token_id`` is None and ``session_id`` names the session)."""

    token_id: int | None
    name: str
    role: Role
    # The user the token belongs to or who signed in; None for tokens without a user.
    user_id: int | None = None
    session_id: int | None = None

    @property
    def is_editor(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)


def hash_token(token: str) -> str:
    """SHA-256 of the token: tokens are 256-bit random values, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(name: str, role: Role) -> tuple[ApiToken, str]:
    """Store a new token's hash and return the token itself, which is shown only once."""
    name = name.strip()
    if not name:
        raise ValidationFailed([FieldError("name", "A token needs a name.", ErrorCode.REQUIRED)])
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = await ApiToken.create(name=name, role=role, token_hash=hash_token(token))
    return record, token


async def revoke_token(name: str, events: EventBus | None = None) -> int:
    """Revoke every token with this name; returns how many were revoked."""
    ids = await ApiToken.filter(name=name, revoked=False).values_list("id", flat=True)
    await ApiToken.filter(id__in=list(ids)).update(revoked=True)
    for token_id in ids:
        await announce_revocation(events, int(token_id))
    return len(ids)


async def announce_revocation(events: EventBus | None, token_id: int) -> None:
    """Tell every process (its open WebSockets) that a token no longer counts."""
    if events is not None:
        await events.publish(Event(TOKEN_REVOKED, {"token_id": token_id}))


async def authenticate(authorization: str | None) -> Viewer | None:
    """The viewer for an ``Authorization`` header: None when absent, an error when bad."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    record = await ApiToken.get_or_none(token_hash=hash_token(token.strip()), revoked=False)
    if record is None:
        raise Unauthenticated("The API token is invalid or has been revoked.")
    await ApiToken.filter(id=record.id).update(last_used_at=now())
    return token_viewer(record)


def token_viewer(record: ApiToken) -> Viewer:
    return Viewer(token_id=record.id, name=record.name, role=record.role, user_id=record.user_id)


async def recheck_viewer(viewer: Viewer | None) -> Viewer | None:
    """The viewer as its token stands now (its role may have changed), for connections that
    outlive a request: Unauthenticated once the token has been revoked or deleted."""
    if viewer is None:
        return None
    if viewer.token_id is None:
        raise Unauthenticated("A studio session cannot keep a connection open.")
    record = await ApiToken.get_or_none(id=viewer.token_id, revoked=False)
    if record is None:
        raise Unauthenticated("The API token has been revoked.")
    return token_viewer(record)


def require_editor(viewer: Viewer | None) -> Viewer:
    """The viewer, if it may edit content; otherwise the matching auth error."""
    if viewer is None:
        raise Unauthenticated("This operation needs an editor's API token.")
    if not viewer.is_editor:
        raise Forbidden("This operation needs the EDITOR or ADMIN role.")
    return viewer


def require_admin(viewer: Viewer | None) -> Viewer:
    """The viewer, if it is an admin; otherwise the matching auth error."""
    if require_editor(viewer).role is not Role.ADMIN:
        raise Forbidden("This operation needs the ADMIN role.")
    return viewer


async def issue_token(viewer: Viewer | None, name: str, role: Role) -> tuple[ApiToken, str]:
    """An admin creates a token for someone; the token is returned once."""
    require_admin(viewer)
    return await create_token(name, role)


async def revoke_token_by_id(
    viewer: Viewer | None, token_id: int, events: EventBus | None = None
) -> ApiToken:
    """An admin revokes a token; requests with it fail from then on, and sockets opened
    with it are closed."""
    require_admin(viewer)
    record = await ApiToken.get_or_none(id=token_id)
    if record is None:
        raise ValidationFailed.single("id", "No API token with this id.", ErrorCode.NOT_FOUND)
    record.revoked = True
    await record.save(update_fields=["revoked"])
    await announce_revocation(events, record.id)
    return record
