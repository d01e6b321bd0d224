"""Custom scalars: DateTime as RFC 3339, so generated clients know its format."""

import re
from datetime import UTC, datetime

from strawberry.schema.types.base_scalars import wrap_parser
from strawberry.types.scalar import ScalarDefinition

RFC_3339 = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"
# RFC 3339 section 5.6 `date-time`: full date, "T", full time with seconds, an optional
# fraction (kept to microseconds, what Python holds) and an offset that is Z or ±hh:mm.
DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def serialize_datetime(value: datetime) -> str:
    """In UTC, always with its offset (a naive time from the database is UTC)."""
    return (value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def parse_datetime(value: str) -> datetime:
    """An RFC 3339 `date-time`, e.g. 2030-01-01T09:00:00Z or 2030-01-01T10:00:00+01:00."""
    if not DATE_TIME.fullmatch(value):
        raise ValueError("expected an RFC 3339 date-time with an offset, e.g. 2030-01-01T09:00:00Z")
    return datetime.fromisoformat(value.upper())


DateTime = ScalarDefinition(
    name="DateTime",
    description="A date and time with its UTC offset, as RFC 3339 `date-time` "
    "(e.g. `2030-01-01T09:00:00Z`); the API answers in UTC.",
    specified_by_url=RFC_3339,
    serialize=serialize_datetime,
    parse_value=wrap_parser(parse_datetime, "DateTime"),
    parse_literal=None,
    origin=datetime,
)

SCALAR_OVERRIDES = {datetime: DateTime}
