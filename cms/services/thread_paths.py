"""The thread order key of a comment (its ``thread_path``): the sort key of each comment
from the top of its thread down to it, joined. A step is the comment's created_at (in
microseconds since 1970) and id, each written fixed-width, so comparing paths as text
compares threads depth first (a comment, then its replies, oldest first). A comment's
parent and creation time never change, so its path is set once, when it is stored."""

from collections.abc import Awaitable, Callable, Sequence

from cms.errors import BadRequest
from cms.models import Comment, CommentStatus
from cms.models.comment import STEP_WIDTH, TIME_WIDTH, thread_step
from cms.services.pagination import (
    Ordered,
    PageRequest,
    Slice,
    SortKey,
    decode_cursor,
    ordered,
    page_size,
    slice_of_rows,
)


def ancestor_ids(path: str) -> list[int]:
    """The ids of the comments above the one with this path, from the top down."""
    return [
        int(path[start + TIME_WIDTH : start + STEP_WIDTH])
        for start in range(0, len(path) - STEP_WIDTH, STEP_WIDTH)
    ]


def subtree_end(path: str) -> str:
    """A key after every path of this comment's replies and before whatever follows them."""
    return path + "~"


async def fill_thread_paths(comment_ids: Sequence[int]) -> None:
    """Set the thread path of these comments (their parents either among them or with a
    path already)."""
    if not comment_ids:
        return
    comments = {c.id: c for c in await Comment.filter(id__in=comment_ids)}
    outside = {c.parent_id for c in comments.values()} - set(comments) - {None}
    paths: dict[int, str] = {
        c.id: c.thread_path for c in await Comment.filter(id__in=outside) if c.thread_path
    }
    for comment in comments.values():
        chain = [comment]
        while chain[-1].parent_id is not None and chain[-1].parent_id not in paths:
            chain.append(comments[chain[-1].parent_id])
        for link in reversed(chain):
            above = paths.get(link.parent_id, "") if link.parent_id is not None else ""
            paths[link.id] = above + thread_step(link.created_at, link.id)
    for comment in comments.values():
        if comment.thread_path != paths[comment.id]:
            await Comment.filter(id=comment.id).update(thread_path=paths[comment.id])
            comment.thread_path = paths[comment.id]


READING_ORDER = (SortKey("thread_path", value_type=str),)


def _shown_order(page_id: int) -> Ordered[Comment]:
    return ordered(Comment.filter(page_id=page_id, status=CommentStatus.APPROVED), *READING_ORDER)


async def _hidden(rows: Sequence[Comment]) -> set[int]:
    """Which of the comments above these rows readers do not see (not approved)."""
    above = {ancestor for row in rows for ancestor in ancestor_ids(row.thread_path or "")}
    if not above:
        return set()
    return set(
        await Comment.filter(id__in=above)
        .exclude(status=CommentStatus.APPROVED)
        .values_list("id", flat=True)
    )


def _path_in(cursor: str) -> str:
    """The thread path a client's cursor holds; anything else is refused."""
    (path,) = decode_cursor(cursor, READING_ORDER)
    if not path or len(path) % STEP_WIDTH or not path.isascii() or not path.isdigit():
        raise BadRequest(f"Invalid cursor {cursor!r}.")
    return path


async def reading_order_page(
    page_id: int,
    request: PageRequest,
    max_page_size: int,
    default: int,
    count: Callable[[], Awaitable[int]],
) -> Slice[Comment]:
    """A page of a page's whole discussion in reading order (depth first), read by keyset
    on the thread path through the index (page_id, status, thread_path): approved comments
    whose every ancestor is approved too. A read that meets a reply under a hidden comment
    skips that comment's whole subtree and reads on, so it costs two statements a round,
    and one round unless hidden threads sit in the way."""
    size = page_size(request, max_page_size, default)
    forwards = not request.backwards
    bounds = {
        name: _path_in(cursor) if cursor else None
        for name, cursor in (("after", request.after), ("before", request.before))
    }
    source = _shown_order(page_id)
    shown: list[Comment] = []
    while len(shown) <= size:
        query = source.query
        if bounds["after"] is not None:
            query = query.filter(thread_path__gt=bounds["after"])
        if bounds["before"] is not None:
            query = query.filter(thread_path__lt=bounds["before"])
        wanted = size + 1 - len(shown)
        rows = await query.order_by("thread_path" if forwards else "-thread_path").limit(wanted)
        hidden = await _hidden(rows)
        for row in rows:
            path = row.thread_path or ""
            hidden_above = [n for n, a in enumerate(ancestor_ids(path)) if a in hidden]
            if not hidden_above:
                shown.append(row)
                next_bound = path
            else:  # past the topmost hidden comment's subtree
                top = path[: (hidden_above[0] + 1) * STEP_WIDTH]
                next_bound = subtree_end(top) if forwards else top
            bounds["after" if forwards else "before"] = next_bound
        if len(rows) < wanted:
            break
    return slice_of_rows(shown, source, request, size, count)
