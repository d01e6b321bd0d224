"""Offset paging for results ranked per query (search): no stored key orders them, so
their cursors are positions. Every other list is keyset-paged (cms.services.pagination)."""

from typing import TypeVar

from cms.services.cursors import decode_offset, encode_offset
from cms.services.pagination import PageRequest, Slice, page_size

T = TypeVar("T")


def offset_window(request: PageRequest, total: int, max_page_size: int, default: int) -> range:
    """The positions ``request`` selects among ``total`` ranked results."""
    size = page_size(request, max_page_size, default)
    start = decode_offset(request.after) + 1 if request.after else 0
    stop = decode_offset(request.before) if request.before else total
    start, stop = min(start, total), max(min(stop, total), 0)
    stop = max(stop, start)
    if request.backwards:
        start = max(start, stop - size)
    else:
        stop = min(stop, start + size)
        if request.last is not None:
            start = max(start, stop - request.last)
    return range(start, stop)


def offset_slice(items: list[T], window: range, total: int) -> Slice[T]:
    async def count() -> int:
        return total

    return Slice(
        items=items,
        cursors=[encode_offset(position) for position in window[: len(items)]],
        has_previous_page=window.start > 0,
        has_next_page=window.stop < total,
        count=count,
    )
