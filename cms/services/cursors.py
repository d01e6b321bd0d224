"""Opaque cursors: what a client passes back as ``after``/``before``.

A keyset cursor holds the names and values of the sort keys of one row (its id last), so
paging restarts right beside that row whatever was inserted or removed meanwhile. Search,
ordered by a rank computed per query, keeps offset cursors (cms.services.ranked_pagination).
Offset cursors of earlier releases are refused on keyset connections with a clear error.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cms.errors import BadRequest

KEYSET_PREFIX = "keyset:"
OFFSET_PREFIX = "offset:"
DATETIME_TAG = "$dt"


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return {DATETIME_TAG: value.isoformat()}
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        return datetime.fromisoformat(value[DATETIME_TAG])
    if isinstance(value, list):
        return tuple(_from_json(item) for item in value)
    return value


def _decoded_text(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest(f"Invalid cursor {cursor!r}.") from None


def encode_keyset(names: Sequence[str], values: Sequence[Any]) -> str:
    text = KEYSET_PREFIX + json.dumps([list(names), _to_json(values)], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode()


def decode_keyset(cursor: str, names: Sequence[str]) -> tuple[Any, ...]:
    """The sort key values a cursor holds; an error if it was made for another order."""
    text = _decoded_text(cursor)
    if text.startswith(OFFSET_PREFIX):
        raise BadRequest(
            f"Cursor {cursor!r} is an offset cursor of an earlier release: cursors now mark a "
            "position in the list, not a count. Start again from the first page."
        )
    try:
        if not text.startswith(KEYSET_PREFIX):
            raise ValueError(text)
        cursor_names, values = json.loads(text.removeprefix(KEYSET_PREFIX))
        decoded = _from_json(values)
        if cursor_names != list(names) or len(decoded) != len(names):
            raise ValueError(text)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise BadRequest(f"Invalid cursor {cursor!r}.") from None
    return decoded


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{OFFSET_PREFIX}{offset}".encode()).decode()


def decode_offset(cursor: str) -> int:
    text = _decoded_text(cursor)
    try:
        if not text.startswith(OFFSET_PREFIX):
            raise ValueError(text)
        offset = int(text.removeprefix(OFFSET_PREFIX))
    except ValueError:
        raise BadRequest(f"Invalid cursor {cursor!r}.") from None
    if offset < 0:
        raise BadRequest(f"Invalid cursor {cursor!r}.")
    return offset
