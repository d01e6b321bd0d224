"""Small checks shared by the services; each returns a FieldError or None."""

import re
import unicodedata

from cms.errors import BadRequest, ErrorCode, FieldError

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_required(field: str, value: str | None) -> FieldError | None:
    if value is None or not value.strip():
        return FieldError(field, "This field is required.", ErrorCode.REQUIRED)
    return None


def check_length(field: str, value: str | None, maximum: int) -> FieldError | None:
    if value is not None and len(value) > maximum:
        return FieldError(
            field, f"Must be at most {maximum} characters (got {len(value)}).", ErrorCode.TOO_LONG
        )
    return None


def check_slug(field: str, value: str) -> FieldError | None:
    if not SLUG_PATTERN.fullmatch(value):
        return FieldError(
            field,
            "Use lowercase letters, digits and single hyphens (e.g. 'about-us').",
            ErrorCode.INVALID,
        )
    return None


def slugify(text: str, max_length: int = 80) -> str:
    """A lowercase, URL-safe slug of ``text`` (accents folded, punctuation dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def first_error(*errors: FieldError | None) -> list[FieldError]:
    """The errors that are not None, at most one per field."""
    seen: dict[str, FieldError] = {}
    for error in errors:
        if error is not None and error.field not in seen:
            seen[error.field] = error
    return list(seen.values())


# Longest search text: enough for any real query, and far below what makes the databases
# choke (SQLite: "LIKE pattern too complex" at ~50 KB; PostgreSQL: stack depth at ~10,000
# words of tsquery).
SEARCH_MAX_LENGTH = 200
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why a string from a client cannot be stored, searched or echoed, or None. NUL bytes
    are refused by PostgreSQL's text type; lone surrogates are not Unicode text at all (no
    encoding, UTF-8 included, can write them)."""
    if "\x00" in value:
        return "contains a NUL character (\\u0000)"
    if LONE_SURROGATE.search(value):
        return "contains a lone surrogate (\\ud800-\\udfff), which is not valid Unicode"
    return None


def search_text(field: str, value: str | None) -> str | None:
    """The text to search for (stripped; None when empty); BadRequest when it is too long."""
    if value is None or not value.strip():
        return None
    if len(value) > SEARCH_MAX_LENGTH:
        raise BadRequest(
            f"{field}: search text is limited to {SEARCH_MAX_LENGTH} characters (got {len(value)})."
        )
    return value.strip()
