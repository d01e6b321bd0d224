"""Relay conventions: global IDs, the Node interface and generic connections."""

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import strawberry

from cms.errors import ErrorCode, ValidationFailed
from cms.global_ids import from_global_id
from cms.global_ids import to_global_id as to_global_id  # re-exported for the schema
from cms.services.pagination import Ordered, PageRequest, Slice, paginate_query

if TYPE_CHECKING:
    from schema.context import Info

T = TypeVar("T")


def decode_id(global_id: str, type_name: str, field: str) -> int:
    """The primary key behind a global ID of the expected type, or a payload error."""
    decoded = from_global_id(global_id)
    if decoded is None or decoded[0] != type_name:
        raise ValidationFailed.single(
            field, f"Not a {type_name} ID: {global_id!r}.", ErrorCode.INVALID
        )
    return decoded[1]


def decode_optional_id(global_id: str | None, type_name: str, field: str) -> int | None:
    return None if global_id is None else decode_id(global_id, type_name, field)


@strawberry.interface(
    description="An object with a globally unique ID, fetchable with `node(id:)`."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="Globally unique, opaque ID. Stable: safe to store and to use as a cache key."
    )


@strawberry.type(description="Where a page of a connection sits among all the results.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more results follow this page.")
    has_previous_page: bool = strawberry.field(description="Whether results precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge, if any.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge, if any.")


@strawberry.type(description="One result in a connection, with its cursor.")
class Edge(Generic[T]):
    node: T = strawberry.field(description="The result.")
    cursor: str = strawberry.field(
        description="Opaque cursor: pass it as `after` or `before` to page from here."
    )


@strawberry.type(description="A page of results with cursors, in the Relay connection format.")
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The results on this page, in order.")
    page_info: PageInfo = strawberry.field(
        description="How to get the next or previous page. Paging forwards, `hasNextPage` is "
        "exact and `hasPreviousPage` says whether `after` was given; backwards, the reverse."
    )
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(
        description="How many results there are in all pages (counted only when asked for)."
    )
    async def total_count(self) -> int:
        return await self.count()

    @classmethod
    def of(cls, page: Slice, nodes: list[T]) -> "Connection[T]":
        """A connection of ``nodes`` (the slice's items, converted) with the slice's cursors."""
        edges = [
            Edge(node=node, cursor=cursor) for node, cursor in zip(nodes, page.cursors, strict=True)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            count=page.count,
        )


First = Annotated[
    int | None, strawberry.argument(description="Return at most this many results, forwards.")
]
After = Annotated[str | None, strawberry.argument(description="Return results after this cursor.")]
Last = Annotated[
    int | None, strawberry.argument(description="Return at most this many results, backwards.")
]
Before = Annotated[
    str | None, strawberry.argument(description="Return results before this cursor.")
]


def page_request(
    first: int | None, after: str | None, last: int | None, before: str | None
) -> PageRequest:
    return PageRequest(first=first, after=after, last=last, before=before)


async def query_connection(
    info: "Info",
    query: Ordered,
    request: PageRequest,
    default_page_size: int,
    convert: Callable[[Any], T],
) -> Connection[T]:
    """One page of an ordered queryset (keyset cursors), each row converted to its GraphQL
    type."""
    result = await paginate_query(
        query, request, info.context.settings.max_page_size, default_page_size
    )
    return Connection.of(result, [convert(row) for row in result.items])
