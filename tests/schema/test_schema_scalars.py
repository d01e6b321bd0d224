"""DateTime is RFC 3339 `date-time`: what the schema's @specifiedBy promises clients."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cms.config import Settings
from schema import build_schema
from schema.scalars import RFC_3339, parse_datetime, serialize_datetime


@pytest.mark.parametrize(
    "text",
    ["2030-01-01T09:00:00Z", "2030-01-01t09:00:00z", "2030-01-01T10:00:00.5+01:00"],
)
def test_an_rfc_3339_date_time_is_accepted(text):
    assert parse_datetime(text).astimezone(UTC).hour == 9


@pytest.mark.parametrize(
    "text",
    [
        "2030-01-01T09:00:00",  # no offset
        "2030-01-01",  # no time
        "2030-01-01T09:00Z",  # no seconds
        "2030-01-01T09:00:00+01",  # offset without minutes
        "2031-W01-1T09:00:00Z",  # ISO week date
        "2030-01-01T09:00:00.1234567Z",  # more precision than is kept
        "٢٠٣٠-01-01T09:00:00Z",  # non-ASCII digits
    ],
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError, match="RFC 3339"):
        parse_datetime(text)


def test_answers_are_in_utc_with_an_offset():
    east = datetime(2030, 1, 1, 11, tzinfo=timezone(timedelta(hours=2)))

    assert serialize_datetime(east) == "2030-01-01T09:00:00+00:00"
    assert serialize_datetime(datetime(2030, 1, 1, 9)) == "2030-01-01T09:00:00+00:00"


def test_the_schema_names_the_specifications_of_its_scalars():
    types = build_schema(Settings())._schema.type_map

    assert types["DateTime"].specified_by_url == RFC_3339
    assert "ecma-international.org" in types["JSON"].specified_by_url
