"""Password hashing with Argon2id (argon2-cffi's defaults: t=3, m=64 MiB, p=4). Hashing
takes ~100 ms of CPU on purpose, so it runs in a thread: a sign-in never blocks the loop."""

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cms.errors import ErrorCode, ValidationFailed

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_hasher = PasswordHasher()
# Verified against when the email is unknown, so a wrong email costs as long as a wrong
# password and the answer's timing does not tell which accounts exist.
_UNKNOWN_USER_HASH = _hasher.hash("not a password of anyone")


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed.single(
            "password",
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
            ErrorCode.INVALID,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationFailed.single("password", "This password is too long.", ErrorCode.TOO_LONG)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; a missing hash is checked against a dummy one."""

    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _UNKNOWN_USER_HASH, password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)
