"""Small checks shared by the services; each returns a FieldError or None."""

import re
import unicodedata

from cms.errors import ErrorCode, FieldError

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
