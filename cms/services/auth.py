"""API tokens and the viewer a request acts as."""

import hashlib
import secrets
from dataclasses import dataclass

from tortoise.timezone import now

from cms.errors import ErrorCode, FieldError, Forbidden, Unauthenticated, ValidationFailed
from cms.events import Event, EventBus
from cms.models import ApiToken, Role, User
from cms.services.pagination import ID_DESC, Ordered, ordered

TOKEN_PREFIX = "cms_"
# Published when a token is revoked, so every process closes the sockets it opened at once.
TOKEN_REVOKED = "token.revoked"


@dataclass(frozen=True)
class Actor:
    """Who did something, as recorded with it: the name shown (a token's name or a user's
    display name) and the user, when a person signed in or their token acted."""

    name: str
    user_id: int | None = None


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
    def actor(self) -> Actor:
        return Actor(self.name, self.user_id)

    @property
    def is_editor(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)


def hash_token(token: str) -> str:
    """SHA-256 of the token: tokens are 256-bit random values, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(name: str, role: Role, user_id: int | None = None) -> tuple[ApiToken, str]:
    """Store a new token's hash (owned by ``user_id``, if given) and return the token
    itself, which is shown only once."""
    name = name.strip()
    if not name:
        raise ValidationFailed([FieldError("name", "A token needs a name.", ErrorCode.REQUIRED)])
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = await ApiToken.create(
        name=name, role=role, token_hash=hash_token(token), user_id=user_id
    )
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


async def issue_token(
    viewer: Viewer | None, name: str, role: Role, owner_id: int | None = None
) -> tuple[ApiToken, str]:
    """An admin creates a token for a user (by default their own); the token is returned
    once. A token never has more rights than its owner."""
    admin = require_admin(viewer)
    owner_id = owner_id if owner_id is not None else admin.user_id
    if owner_id is not None:
        owner = await User.get_or_none(id=owner_id, active=True)
        if owner is None:
            raise ValidationFailed.single(
                "userId", "No active user with this id.", ErrorCode.NOT_FOUND
            )
        if owner.role is Role.EDITOR and role is Role.ADMIN:
            raise ValidationFailed.single(
                "role", "An editor's token cannot have the ADMIN role.", ErrorCode.INVALID
            )
    return await create_token(name, role, owner_id)


def visible_tokens(viewer: Viewer | None) -> Ordered[ApiToken]:
    """Admins see every token; an editor sees the tokens they own. Newest first."""
    editor = require_editor(viewer)
    query = ApiToken.all()
    if editor.role is not Role.ADMIN:
        # A token without a user owns no tokens.
        query = query.filter(user_id__in=[editor.user_id] if editor.user_id else [])
    return ordered(query, ID_DESC)


async def revoke_token_by_id(
    viewer: Viewer | None, token_id: int, events: EventBus | None = None
) -> ApiToken:
    """An admin revokes any token, an editor one of their own; requests with it fail from
    then on, and sockets opened with it are closed."""
    editor = require_editor(viewer)
    record = await ApiToken.get_or_none(id=token_id)
    owns = record is not None and editor.user_id is not None and record.user_id == editor.user_id
    if editor.role is not Role.ADMIN and not owns:
        require_admin(viewer)
    if record is None:
        raise ValidationFailed.single("id", "No API token with this id.", ErrorCode.NOT_FOUND)
    record.revoked = True
    await record.save(update_fields=["revoked"])
    await announce_revocation(events, record.id)
    return record
