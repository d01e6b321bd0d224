"""Keyset pagination (Relay style) with a hard maximum page size.

Every list is ordered by explicit sort keys ending with the row id, and a cursor holds a
row's key values (cms.services.cursors): the next page is ``WHERE (keys) > (cursor) ORDER BY
keys LIMIT n + 1``, served by an index on the keys. A deep page costs what the first does,
and rows inserted or removed between two loads neither shift nor repeat the others (they
would with offsets). ``hasNextPage`` going forwards (``hasPreviousPage`` going backwards)
comes from the one extra row; the other direction says whether a cursor was passed, as the
Relay specification allows, so no second statement is spent on it.
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from cms.errors import BadRequest
from cms.services.cursors import decode_keyset, encode_keyset

T = TypeVar("T")
M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class PageRequest:
    """What a client asked for: ``first``/``after`` forwards or ``last``/``before`` backwards."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def backwards(self) -> bool:
        return self.last is not None and self.first is None


@dataclass(frozen=True)
class SortKey:
    """One key of an order: the queryset field or annotation it sorts on and its direction.
    A ``nullable`` key (only the first one may be) sorts NULLs last in either direction, on
    SQLite and PostgreSQL alike (see Segment)."""

    field: str
    descending: bool = False
    nullable: bool = False
    # What a cursor must hold for this key (anything else is refused, never sent to SQL).
    value_type: type[int] | type[str] | type[datetime] = int

    def accepts(self, value: Any) -> bool:
        if value is None:
            return self.nullable
        return isinstance(value, self.value_type) and is_comparable(value)


def is_comparable(value: Any) -> bool:
    """Times in cursors must carry an offset: ours always do, and a naive one cannot be
    compared with stored times."""
    return not isinstance(value, datetime) or value.tzinfo is not None


ID_ASC = SortKey("id")
ID_DESC = SortKey("id", descending=True)


@dataclass(frozen=True)
class Ordered(Generic[M]):
    """A queryset with the keys it is listed by (the last one unique, usually the id)."""

    query: QuerySet[M]
    keys: tuple[SortKey, ...]
    # How many rows the query has, where something cheaper than counting them knows.
    count: Callable[[], Awaitable[int]] | None = None

    @property
    def names(self) -> list[str]:
        return [key.field for key in self.keys]


def ordered(
    query: QuerySet[M], *keys: SortKey, count: Callable[[], Awaitable[int]] | None = None
) -> Ordered[M]:
    assert not any(key.nullable for key in keys[1:]), "only the first key may be nullable"
    return Ordered(query, keys, count)


@dataclass(frozen=True)
class Slice(Generic[T]):
    """A page of items with their cursors; ``count`` counts all pages, only when awaited."""

    items: list[T]
    cursors: list[str]
    has_previous_page: bool
    has_next_page: bool
    count: Callable[[], Awaitable[int]]


def page_size(request: PageRequest, max_page_size: int, default: int) -> int:
    """How many items the request asks for; asking for too many is an error."""
    for name, size in (("first", request.first), ("last", request.last)):
        if size is not None and size < 0:
            raise BadRequest(f"'{name}' must not be negative.")
        if size is not None and size > max_page_size:
            raise BadRequest(
                f"'{name}' is {size}, but the maximum page size is {max_page_size}; "
                "page through the results with cursors instead."
            )
    if request.first is not None:
        return request.first
    return request.last if request.last is not None else default


def beyond_cursor(keys: Sequence[SortKey], values: Sequence[Any], forwards: bool) -> Q:
    """The rows after (or before) the row with these (non-null) key values: the keys compared
    as a tuple, written out as ``k1 >= v1 AND (k1 > v1 OR (k1 = v1 AND k2 > v2) OR …)``. The
    leading bound on the first key alone is what lets the database seek in the index instead
    of scanning it from the start (it cannot with the OR on its own)."""
    alternatives: list[Q] = []
    equal_so_far: list[Q] = []
    for key, value in zip(keys, values, strict=True):
        beyond = "gt" if key.descending != forwards else "lt"
        alternatives.append(Q(*equal_so_far, Q(**{f"{key.field}__{beyond}": value})))
        equal_so_far.append(Q(**{key.field: value}))
    first = keys[0]
    bound = Q(**{f"{first.field}__{'gte' if first.descending != forwards else 'lte'}": values[0]})
    return Q(bound, Q(*alternatives, join_type="OR"))


@dataclass(frozen=True)
class Segment:
    """Part of a list that one index scan serves. A nullable first key splits the list in
    two, the rows with a value then the rows without (NULLs last, on every database), each
    read in index order; other lists are one segment (``nulls`` None)."""

    keys: tuple[SortKey, ...]
    nulls: bool | None = None

    @property
    def ordered_keys(self) -> tuple[SortKey, ...]:
        return self.keys[1:] if self.nulls else self.keys

    def holds(self, cursor: tuple[Any, ...]) -> bool:
        return self.nulls is None or (cursor[0] is None) == self.nulls

    def query(
        self, query: QuerySet[M], after: tuple | None, before: tuple | None
    ) -> QuerySet[M] | None:
        """The rows of this segment between the cursors; None if there are none."""
        if self.nulls is not None:
            query = query.filter(**{f"{self.keys[0].field}__isnull": self.nulls})
        for cursor, forwards in ((after, True), (before, False)):
            if cursor is None:
                continue
            if self.holds(cursor):
                values = cursor[1:] if self.nulls else cursor
                query = query.filter(beyond_cursor(self.ordered_keys, values, forwards))
            elif forwards != self.nulls:  # the segment lies wholly on the other side
                return None
        return query

    def ordering(self, forwards: bool) -> list[str]:
        return [
            key.field if key.descending != forwards else f"-{key.field}"
            for key in self.ordered_keys
        ]


def segments(keys: tuple[SortKey, ...], forwards: bool) -> list[Segment]:
    if not keys[0].nullable:
        return [Segment(keys)]
    parts = [Segment(keys, nulls=False), Segment(keys, nulls=True)]
    return parts if forwards else parts[::-1]


def key_values(row: Any, keys: Sequence[SortKey]) -> tuple[Any, ...]:
    values = []
    for key in keys:
        value = getattr(row, key.field)
        # A time computed in raw SQL (an annotation) comes back from SQLite as text.
        if key.value_type is datetime and isinstance(value, str):
            value = datetime.fromisoformat(value)
        values.append(value)
    return tuple(values)


async def paginate_query(
    source: Ordered[M], request: PageRequest, max_page_size: int, default: int
) -> Slice[M]:
    """One page of an ordered queryset in one statement, or two where a nullable key's rows
    with and without a value meet (a COUNT only if ``count`` is awaited)."""
    size = page_size(request, max_page_size, default)
    after = decode_cursor(request.after, source.keys) if request.after else None
    before = decode_cursor(request.before, source.keys) if request.before else None
    rows: list[M] = []
    for segment in segments(source.keys, forwards=not request.backwards):
        query = segment.query(source.query, after, before)
        if query is not None and len(rows) <= size:
            ordering = segment.ordering(forwards=not request.backwards)
            rows += await query.order_by(*ordering).limit(size + 1 - len(rows))
    return slice_of_rows(rows, source, request, size, source.count or source.query.count)


def decode_cursor(cursor: str, keys: Sequence[SortKey]) -> tuple[Any, ...]:
    """The key values a client's cursor holds, each of its key's type."""
    values = decode_keyset(cursor, [key.field for key in keys])
    if not all(key.accepts(value) for key, value in zip(keys, values, strict=True)):
        raise BadRequest(f"Invalid cursor {cursor!r}.")
    return values


def slice_of_rows(
    rows: list[M],
    source: Ordered[M],
    request: PageRequest,
    size: int,
    count: Callable[[], Awaitable[int]],
) -> Slice[M]:
    """The page made of ``rows``: at most ``size`` + 1 rows read in the paging direction
    (the extra one only says that more follow)."""
    forwards = not request.backwards
    more = len(rows) > size
    rows = rows[:size] if forwards else list(reversed(rows[:size]))
    if request.first is not None and request.last is not None:
        rows = rows[max(len(rows) - request.last, 0) :]
    return Slice(
        items=rows,
        cursors=[encode_keyset(source.names, key_values(row, source.keys)) for row in rows],
        has_previous_page=more if not forwards else request.after is not None,
        has_next_page=more if forwards else request.before is not None,
        count=count,
    )
