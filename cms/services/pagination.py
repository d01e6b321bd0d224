"""Cursor pagination (Relay style) with a hard maximum page size.

Cursors are opaque to clients; they encode an offset into the ordered result.
"""

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.queryset import QuerySet

from cms.errors import BadRequest

T = TypeVar("T")
CURSOR_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not text.startswith(CURSOR_PREFIX):
            raise ValueError(text)
        offset = int(text.removeprefix(CURSOR_PREFIX))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise BadRequest(f"Invalid cursor {cursor!r}.") from None
    if offset < 0:
        raise BadRequest(f"Invalid cursor {cursor!r}.")
    return offset


@dataclass(frozen=True)
class PageRequest:
    """What a client asked for: ``first``/``after`` forwards or ``last``/``before`` backwards."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


@dataclass(frozen=True)
class Window:
    """The offsets ``[start, stop)`` of the requested slice within ``total`` items."""

    start: int
    stop: int
    total: int

    @property
    def has_previous_page(self) -> bool:
        return self.start > 0

    @property
    def has_next_page(self) -> bool:
        return self.stop < self.total


@dataclass(frozen=True)
class Slice(Generic[T]):
    """A page of items with the offsets of the first one and the whole count."""

    items: list[T]
    window: Window

    def cursor(self, index: int) -> str:
        return encode_cursor(self.window.start + index)


def window_for(request: PageRequest, total: int, max_page_size: int, default: int) -> Window:
    """The slice of ``total`` items a request selects; asking for too many is an error."""
    for name, size in (("first", request.first), ("last", request.last)):
        if size is not None and size < 0:
            raise BadRequest(f"'{name}' must not be negative.")
        if size is not None and size > max_page_size:
            raise BadRequest(
                f"'{name}' is {size}, but the maximum page size is {max_page_size}; "
                "page through the results with cursors instead."
            )
    start = decode_cursor(request.after) + 1 if request.after else 0
    stop = decode_cursor(request.before) if request.before else total
    start, stop = min(start, total), max(min(stop, total), 0)
    stop = max(stop, start)
    if request.first is not None:
        stop = min(stop, start + request.first)
    if request.last is not None:
        start = max(start, stop - request.last)
    if request.first is None and request.last is None:
        stop = min(stop, start + default)
    return Window(start, stop, total)


def paginate_list(
    items: Sequence[T], request: PageRequest, max_page_size: int, default: int
) -> Slice[T]:
    """Paginate items already in memory."""
    window = window_for(request, len(items), max_page_size, default)
    return Slice(list(items[window.start : window.stop]), window)


async def paginate_query(
    query: QuerySet, request: PageRequest, max_page_size: int, default: int
) -> Slice:
    """Paginate an ordered queryset with one COUNT and one LIMIT/OFFSET query."""
    total = await query.count()
    window = window_for(request, total, max_page_size, default)
    if window.stop == window.start:
        return Slice([], window)
    items = await query.offset(window.start).limit(window.stop - window.start)
    return Slice(list(items), window)
