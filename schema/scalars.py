"""Custom scalars: DateTime as RFC 3339, so generated clients know its format."""

from datetime import UTC, datetime

from strawberry.schema.types.base_scalars import wrap_parser
from strawberry.types.scalar import ScalarDefinition

RFC_3339 = "https://datatracker.ietf.org/doc/html/rfc3339#section-5.6"


def serialize_datetime(value: datetime) -> str:
    """Always with an offset: a naive time from the database is UTC."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


def parse_datetime(value: str) -> datetime:
    """An RFC 3339 `date-time`: a date, a time and an offset (`Z` or `±hh:mm`)."""
    parsed = datetime.fromisoformat(value)
    if len(value) < len("2000-01-01T00:00Z") or value[10] not in "Tt " or parsed.tzinfo is None:
        raise ValueError("expected an RFC 3339 date-time with an offset, e.g. 2030-01-01T09:00:00Z")
    return parsed


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
