"""The domain errors: one small hierarchy with stable codes.

The schema layer turns :class:`ValidationFailed` into payload errors that a client can show
next to form fields, and every other :class:`CmsError` into a GraphQL error whose
``extensions.code`` is the error's code.
"""

from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable machine-readable codes, shared by payload errors and GraphQL errors."""

    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    TOO_LONG = "TOO_LONG"
    DUPLICATE = "DUPLICATE"
    NOT_FOUND = "NOT_FOUND"
    CYCLE = "CYCLE"
    INVALID_STATE = "INVALID_STATE"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    RATE_LIMITED = "RATE_LIMITED"
    TOO_SOON = "TOO_SOON"
    CONFLICT = "CONFLICT"
    CONFIRMATION_REQUIRED = "CONFIRMATION_REQUIRED"
    QUERY_TOO_COSTLY = "QUERY_TOO_COSTLY"
    RESPONSE_TOO_LARGE = "RESPONSE_TOO_LARGE"
    EXECUTION_TIMEOUT = "EXECUTION_TIMEOUT"
    PERSISTED_QUERY_TOO_LARGE = "PERSISTED_QUERY_TOO_LARGE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    TOO_MANY_PIXELS = "TOO_MANY_PIXELS"
    IN_USE = "IN_USE"


class CmsError(Exception):
    """Base of every error the CMS raises on purpose; its message is safe to show."""

    code: ErrorCode = ErrorCode.BAD_USER_INPUT

    def __init__(self, message: str, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    @property
    def extensions(self) -> dict[str, object]:
        """Extra machine-readable details sent with the error, next to its code."""
        return {}


class Unauthenticated(CmsError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(CmsError):
    code = ErrorCode.FORBIDDEN


class RateLimited(CmsError):
    """Too many requests of one kind from one client; ``retry_after`` says when to retry."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(f"{message} Try again in {retry_after} seconds.")
        self.retry_after = retry_after

    @property
    def extensions(self) -> dict[str, object]:
        return {"retryAfter": self.retry_after}


class BadRequest(CmsError):
    """A request the API cannot serve as asked (for example a page size over the maximum)."""

    code = ErrorCode.BAD_USER_INPUT


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field."""

    field: str
    message: str
    code: ErrorCode
    # Only for CONFLICT: the version the object has now, to reload and merge from.
    current_version: int | None = None


class ValidationFailed(CmsError):
    """The input was invalid; ``errors`` says which fields and why. Nothing was saved."""

    code = ErrorCode.INVALID

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str, code: ErrorCode) -> "ValidationFailed":
        return cls([FieldError(field, message, code)])


class Conflict(ValidationFailed):
    """The page changed since the editor read it: nothing was saved. ``current_version``
    says what to reload; the payload error's field is ``version``."""

    code = ErrorCode.CONFLICT

    def __init__(self, current_version: int, field: str = "version") -> None:
        super().__init__(
            [
                FieldError(
                    field,
                    "The page was changed by someone else since you loaded it "
                    f"(it is now at version {current_version}); reload it and retry.",
                    ErrorCode.CONFLICT,
                    current_version,
                )
            ]
        )
        self.current_version = current_version

    @property
    def extensions(self) -> dict[str, object]:
        return {"currentVersion": self.current_version}
