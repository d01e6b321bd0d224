"""The domain errors: one small hierarchy with stable codes, and how each code reaches
clients.

The schema layer turns :class:`ValidationFailed` into payload errors that a client can show
next to form fields, and every other :class:`CmsError` into a GraphQL error whose
``extensions.code`` is the error's code. :data:`ERROR_RESPONSES` maps every code to the
``extensions.code`` clients read and to the HTTP status of a request it answers on its own
(cms/serving/graphql_errors.py applies it); nothing else spells a code.
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
    PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
    PERSISTED_QUERY_NOT_ALLOWED = "PERSISTED_QUERY_NOT_ALLOWED"
    PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
    PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    # The media library.
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    UNSUPPORTED_TYPE = "UNSUPPORTED_TYPE"
    TOO_MANY_PIXELS = "TOO_MANY_PIXELS"
    TOO_MANY_FRAMES = "TOO_MANY_FRAMES"
    IN_USE = "IN_USE"
    PREFLIGHT_REQUIRED = "PREFLIGHT_REQUIRED"


@dataclass(frozen=True)
class ErrorResponse:
    """How one code reaches clients."""

    # The HTTP status of a request this error answers on its own (an error inside a result
    # that has data travels in a 200, as GraphQL over HTTP says). Under the legacy
    # ``application/json`` media type a 400 is sent as 200 (cms/serving/graphql_errors.py).
    status: int
    # The value of ``extensions.code``.
    code: str
    # Whether one such error anywhere makes the whole response take this status.
    fails_whole_response: bool = False


ERROR_RESPONSES: dict[ErrorCode, ErrorResponse] = {
    # Input and state errors: payload errors of mutations, or field errors.
    ErrorCode.REQUIRED: ErrorResponse(400, "REQUIRED"),
    ErrorCode.INVALID: ErrorResponse(400, "INVALID"),
    ErrorCode.TOO_LONG: ErrorResponse(400, "TOO_LONG"),
    ErrorCode.DUPLICATE: ErrorResponse(400, "DUPLICATE"),
    ErrorCode.CYCLE: ErrorResponse(400, "CYCLE"),
    ErrorCode.INVALID_STATE: ErrorResponse(400, "INVALID_STATE"),
    ErrorCode.BAD_USER_INPUT: ErrorResponse(400, "BAD_USER_INPUT"),
    ErrorCode.TOO_SOON: ErrorResponse(400, "TOO_SOON"),
    ErrorCode.CONFIRMATION_REQUIRED: ErrorResponse(400, "CONFIRMATION_REQUIRED"),
    ErrorCode.CONFLICT: ErrorResponse(409, "CONFLICT"),
    ErrorCode.NOT_FOUND: ErrorResponse(404, "NOT_FOUND"),
    # The media library: uploads refused, assets still in use.
    ErrorCode.FILE_TOO_LARGE: ErrorResponse(400, "FILE_TOO_LARGE"),
    ErrorCode.UNSUPPORTED_TYPE: ErrorResponse(400, "UNSUPPORTED_TYPE"),
    ErrorCode.TOO_MANY_PIXELS: ErrorResponse(400, "TOO_MANY_PIXELS"),
    ErrorCode.TOO_MANY_FRAMES: ErrorResponse(400, "TOO_MANY_FRAMES"),
    ErrorCode.IN_USE: ErrorResponse(409, "IN_USE"),
    # An upload without the header a cross-site form cannot send (CSRF protection).
    ErrorCode.PREFLIGHT_REQUIRED: ErrorResponse(400, "PREFLIGHT_REQUIRED"),
    # Who is asking.
    ErrorCode.UNAUTHENTICATED: ErrorResponse(401, "UNAUTHENTICATED"),
    ErrorCode.FORBIDDEN: ErrorResponse(403, "FORBIDDEN"),
    # Limits on what one request may cost. A refused persisted-query registration (too
    # many per client) is a request error like the other persisted-query refusals.
    ErrorCode.RATE_LIMITED: ErrorResponse(400, "RATE_LIMITED"),
    ErrorCode.QUERY_TOO_COSTLY: ErrorResponse(400, "QUERY_TOO_COSTLY"),
    ErrorCode.RESPONSE_TOO_LARGE: ErrorResponse(400, "RESPONSE_TOO_LARGE"),
    ErrorCode.EXECUTION_TIMEOUT: ErrorResponse(400, "EXECUTION_TIMEOUT"),
    ErrorCode.PAYLOAD_TOO_LARGE: ErrorResponse(413, "PAYLOAD_TOO_LARGE"),
    # Automatic persisted queries (Apollo's protocol) and the allow-list.
    ErrorCode.PERSISTED_QUERY_TOO_LARGE: ErrorResponse(400, "PERSISTED_QUERY_TOO_LARGE"),
    ErrorCode.PERSISTED_QUERY_NOT_FOUND: ErrorResponse(400, "PERSISTED_QUERY_NOT_FOUND"),
    ErrorCode.PERSISTED_QUERY_NOT_ALLOWED: ErrorResponse(400, "PERSISTED_QUERY_NOT_ALLOWED"),
    ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED: ErrorResponse(400, "PERSISTED_QUERY_NOT_SUPPORTED"),
    ErrorCode.PERSISTED_QUERY_HASH_MISMATCH: ErrorResponse(400, "PERSISTED_QUERY_HASH_MISMATCH"),
    # The server's side.
    ErrorCode.SERVICE_UNAVAILABLE: ErrorResponse(
        503, "SERVICE_UNAVAILABLE", fails_whole_response=True
    ),
    ErrorCode.INTERNAL_SERVER_ERROR: ErrorResponse(500, "INTERNAL_SERVER_ERROR"),
}


def coded_extensions(
    code: ErrorCode, details: dict[str, object] | None = None
) -> dict[str, object]:
    """A GraphQL error's ``extensions``: its details and its code as clients read it."""
    return {**(details or {}), "code": ERROR_RESPONSES[code].code}


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

    @property
    def coded_extensions(self) -> dict[str, object]:
        """Everything sent in the GraphQL error's ``extensions``: details and code."""
        return coded_extensions(self.code, self.extensions)


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
