"""Studio users: creating them, one-time set-password links, deactivation."""

import hashlib
import secrets
from collections.abc import Sequence
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from tortoise.timezone import now
from tortoise.transactions import in_transaction

from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.events import EventBus
from cms.models import ApiToken, PasswordLink, Role, User, UserSession
from cms.services.auth import Viewer, announce_revocation, require_admin
from cms.services.pagination import ID_ASC, Ordered, SortKey, ordered
from cms.services.passwords import check_password_rules, hash_password

MAX_NAME_LENGTH = 100


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """The address as stored and looked up: checked for form, domain lower-cased."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValidationFailed.single("email", str(error), ErrorCode.INVALID) from error


async def create_user(email: str, display_name: str, role: Role) -> User:
    """A new active user without a password (they choose one through a link)."""
    errors: list[FieldError] = []
    name = display_name.strip()
    if not name:
        errors.append(FieldError("displayName", "A user needs a name.", ErrorCode.REQUIRED))
    elif len(name) > MAX_NAME_LENGTH:
        errors.append(FieldError("displayName", "This name is too long.", ErrorCode.TOO_LONG))
    try:
        address = normalise_email(email)
    except ValidationFailed as error:
        errors.extend(error.errors)
        address = ""
    if address and await User.exists(email=address):
        errors.append(FieldError("email", "A user has this email.", ErrorCode.DUPLICATE))
    if errors:
        raise ValidationFailed(errors)
    return await User.create(email=address, display_name=name, role=role)


async def admin_creates_user(viewer: Viewer | None, email: str, name: str, role: Role) -> User:
    require_admin(viewer)
    return await create_user(email, name, role)


async def create_password_link(user: User, max_age: timedelta) -> str:
    """A one-time secret for ``user`` to set their password; only its hash is kept."""
    secret = secrets.token_urlsafe(32)
    await PasswordLink.create(user=user, link_hash=sha256(secret), expires_at=now() + max_age)
    return secret


async def set_password_with_link(secret: str, password: str) -> User:
    """Use a set-password link once: the password is set and every older session ends."""
    check_password_rules(password)
    password_hash = await hash_password(password)
    async with in_transaction():
        link = await PasswordLink.get_or_none(
            link_hash=sha256(secret), used_at=None, expires_at__gt=now()
        ).select_related("user")
        if link is None or not link.user.active:
            raise ValidationFailed.single(
                "link", "This link has expired or was already used.", ErrorCode.INVALID_STATE
            )
        claimed = await PasswordLink.filter(id=link.id, used_at=None).update(used_at=now())
        if not claimed:
            raise ValidationFailed.single(
                "link", "This link has expired or was already used.", ErrorCode.INVALID_STATE
            )
        await User.filter(id=link.user_id).update(password_hash=password_hash)
        await UserSession.filter(user_id=link.user_id, ended_at=None).update(ended_at=now())
    return link.user


async def password_link_is_usable(secret: str) -> bool:
    """Whether ``secret`` is a set-password link that can still be used."""
    return await PasswordLink.exists(link_hash=sha256(secret), used_at=None, expires_at__gt=now())


async def deactivate_user(email_or_id: str | int, events: EventBus | None = None) -> User:
    """The user can no longer sign in: their sessions end and their API tokens are revoked
    at once (sockets opened with the tokens are closed)."""
    if isinstance(email_or_id, int):
        user = await User.get_or_none(id=email_or_id)
    else:
        user = await User.get_or_none(email=normalise_email(email_or_id))
    if user is None:
        raise ValidationFailed.single("user", "No user with this email.", ErrorCode.NOT_FOUND)
    async with in_transaction():
        await User.filter(id=user.id).update(active=False)
        await UserSession.filter(user_id=user.id, ended_at=None).update(ended_at=now())
        token_ids = await ApiToken.filter(user_id=user.id, revoked=False).values_list(
            "id", flat=True
        )
        await ApiToken.filter(id__in=list(token_ids)).update(revoked=True)
    for token_id in token_ids:
        await announce_revocation(events, int(token_id))
    user.active = False
    return user


async def admin_deactivates_user(
    viewer: Viewer | None, user_id: int, events: EventBus | None = None
) -> User:
    require_admin(viewer)
    if viewer is not None and viewer.user_id == user_id:
        raise ValidationFailed.single(
            "id", "You cannot deactivate yourself.", ErrorCode.INVALID_STATE
        )
    return await deactivate_user(user_id, events)


def all_users(viewer: Viewer | None) -> Ordered[User]:
    """Every user, by email. Admins only."""
    require_admin(viewer)
    return ordered(User.all(), SortKey("email", value_type=str), ID_ASC)


async def users_by_ids(ids: Sequence[int]) -> list[User | None]:
    """The users with these ids, in the same order (None where there is none)."""
    found = {user.id: user for user in await User.filter(id__in=list(ids))}
    return [found.get(user_id) for user_id in ids]
