"""What readers see of a page's discussion: approved comments, paged and counted in SQL.

A reply is shown only under an approved parent, so a reply whose parent (or any ancestor)
was taken off approval is neither listed nor counted. Comments are paged 20 at a time by
(created_at, id); the pages of many parents' replies are read in one statement, so a page
of comments with their first replies costs a fixed number of statements whatever the size
of the discussion, and reads only the rows it shows (through the indexes of migration 0006).
"""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cms.models import Comment, CommentStatus
from cms.services.hand_written_sql import in_list, select_dicts, select_rows
from cms.services.pagination import (
    ID_ASC,
    Ordered,
    PageRequest,
    Slice,
    SortKey,
    decode_cursor,
    ordered,
    page_size,
    slice_of_rows,
)

APPROVED = CommentStatus.APPROVED.value
OLDEST_FIRST = (SortKey("created_at", value_type=datetime), ID_ASC)


class ThreadLevel(StrEnum):
    """Whose comments a page lists, by the column that holds their id."""

    TOP = "page_id"  # a page's top-level comments
    REPLIES = "parent_id"  # a comment's replies


def approved_comments() -> Ordered[Comment]:
    """Every approved comment in reading order (cursors of all thread levels share it)."""
    return ordered(Comment.filter(status=CommentStatus.APPROVED), *OLDEST_FIRST)


def _where(level: ThreadLevel, request: PageRequest) -> tuple[str, list]:
    """The SQL condition (and its values) for an owner's approved comments on this level
    between the request's cursors; the owner's id is the first placeholder. The bound on
    created_at alone lets the database seek in the index to the cursor."""
    conditions = [f"{level.value} = ?", "status = ?"]
    values: list = [APPROVED]
    if level is ThreadLevel.TOP:
        conditions.append("parent_id IS NULL")
    for cursor, sign in ((request.after, ">"), (request.before, "<")):
        if cursor:
            created_at, comment_id = decode_cursor(cursor, OLDEST_FIRST)
            beyond = f"created_at {sign} ? OR (created_at = ? AND id {sign} ?)"
            conditions.append(f"created_at {sign}= ? AND ({beyond})")
            values += [created_at, created_at, created_at, comment_id]
    return " AND ".join(conditions), values


async def thread_pages(
    level: ThreadLevel,
    owner_ids: Sequence[int],
    request: PageRequest,
    max_page_size: int,
    default: int,
    count: Callable[[int], Callable[[], Awaitable[int]]],
) -> list[Slice[Comment]]:
    """One page of approved comments for each owner (page or parent comment), in one
    statement: each owner's page is an index range read with its own LIMIT, and the pages
    are joined with UNION ALL; ``count(owner_id)`` counts an owner's comments when asked."""
    size = page_size(request, max_page_size, default)
    where, values = _where(level, request)
    direction = " DESC" if request.backwards else ""
    one_owner = (
        f"SELECT * FROM comment WHERE {where} ORDER BY created_at{direction}, id{direction} LIMIT ?"
    )
    rows = await select_rows(
        Comment,
        " UNION ALL ".join(
            f"SELECT * FROM ({one_owner}) AS owner_{number}" for number in range(len(owner_ids))
        ),
        [value for owner_id in owner_ids for value in (owner_id, *values, size + 1)],
    )
    by_owner: dict[int, list[Comment]] = {owner_id: [] for owner_id in owner_ids}
    for row in sorted(rows, key=lambda c: (c.created_at, c.id), reverse=request.backwards):
        by_owner[getattr(row, level.value)].append(row)
    source = approved_comments()
    return [
        slice_of_rows(by_owner[owner_id], source, request, size, count(owner_id))
        for owner_id in owner_ids
    ]


async def count_approved(level: ThreadLevel, owner_ids: Sequence[int]) -> list[int]:
    """How many approved comments each owner has on this level, in one COUNT."""
    where, values = _where(level, PageRequest())
    where = where.replace(f"{level.value} = ?", f"{level.value} IN {in_list(len(owner_ids))}")
    rows = await select_dicts(
        Comment,
        f"SELECT {level.value} AS owner, COUNT(*) AS n FROM comment WHERE {where} "
        f"GROUP BY {level.value}",
        [*owner_ids, *values],
    )
    counts = {row["owner"]: row["n"] for row in rows}
    return [counts.get(owner_id, 0) for owner_id in owner_ids]


@dataclass(frozen=True)
class ShownCounts:
    """What readers can see of a page's discussion, counted."""

    comments: int = 0  # every approved comment reachable from the top, replies included
    top_level: int = 0  # the approved top-level ones (what the page's comment list pages)


# Every approved comment reachable from the top of the threads of the pages in ``stale``.
SHOWN = """
WITH RECURSIVE stale(page_id) AS (
    SELECT page.id FROM page WHERE page.id IN {pages}{not_counted}
), shown(id, page_id, top_level) AS (
    SELECT comment.id, comment.page_id, 1 FROM {top_level}
  UNION ALL
    SELECT comment.id, comment.page_id, 0 FROM {replies}
)"""
# Each step reads through an index: a page's top-level comments on (page_id, status,
# parent_id), then the replies of those found so far on (parent_id, status), and nothing
# for a page not in ``stale``. SQLite always joins by nested loops; PostgreSQL is told to
# look the rows up (LATERAL, with OFFSET 0 so that it does not flatten the subquery back
# into a join it would hash, scanning the whole table).
TOP_LEVEL_STEP = {
    "sqlite": "stale JOIN comment ON comment.page_id = stale.page_id "
    "WHERE comment.status = ? AND comment.parent_id IS NULL",
    "postgres": "stale CROSS JOIN LATERAL (SELECT id, page_id FROM comment "
    "WHERE comment.page_id = stale.page_id AND comment.status = ? "
    "AND comment.parent_id IS NULL OFFSET 0) AS comment",
}
REPLY_STEP = {
    "sqlite": "comment JOIN shown ON comment.parent_id = shown.id WHERE comment.status = ?",
    "postgres": "shown CROSS JOIN LATERAL (SELECT id, page_id FROM comment "
    "WHERE comment.parent_id = shown.id AND comment.status = ? OFFSET 0) AS comment",
}


def _steps() -> dict[str, str]:
    dialect = Comment._meta.db.capabilities.dialect
    return {"top_level": TOP_LEVEL_STEP[dialect], "replies": REPLY_STEP[dialect]}


COUNTED = "SELECT page_id FROM comment_count WHERE fresh AND page_id IN {pages}"
# Pages whose stored counts are fresh are read from comment_count; the others' threads are
# counted (only they: the walk starts from pages without a fresh count).
SHOWN_COUNTS = f"""{SHOWN}
SELECT page_id, COUNT(*) AS n, SUM(top_level) AS top_level FROM shown GROUP BY page_id
UNION ALL
SELECT page_id, shown AS n, top_level FROM comment_count WHERE fresh AND page_id IN {{pages}}
"""
STORE_COUNTS = f"""{SHOWN}
INSERT INTO comment_count (page_id, shown, top_level, fresh)
SELECT page.id, COALESCE(counted.n, 0), COALESCE(counted.top_level, 0), TRUE
FROM page LEFT JOIN (
    SELECT page_id, COUNT(*) AS n, SUM(top_level) AS top_level FROM shown GROUP BY page_id
) AS counted ON counted.page_id = page.id
WHERE page.id IN {{pages}}
ON CONFLICT (page_id) DO UPDATE
SET shown = excluded.shown, top_level = excluded.top_level, fresh = excluded.fresh
"""


async def count_shown(page_ids: Sequence[int]) -> list[ShownCounts]:
    """How many approved comments readers can reach on each page, replies included, and
    how many of them are top-level, in one statement: the counts the comment services
    stored, or, where a write since has made them stale, a walk down the threads."""
    pages = in_list(len(page_ids))
    not_counted = f" AND page.id NOT IN ({COUNTED.format(pages=pages)})"
    rows = await select_dicts(
        Comment,
        SHOWN_COUNTS.format(pages=pages, not_counted=not_counted, **_steps()),
        [*page_ids, *page_ids, APPROVED, APPROVED, *page_ids],
    )
    counts = {row["page_id"]: ShownCounts(int(row["n"]), int(row["top_level"])) for row in rows}
    return [counts.get(page_id, ShownCounts()) for page_id in page_ids]


async def store_counts(page_ids: Sequence[int]) -> None:
    """Count these pages' threads and store the counts as fresh. Call it in the transaction
    that changed their comments, after the change: the change's trigger has locked the
    pages' count rows, so concurrent changes store their counts one after the other."""
    if not page_ids:
        return
    unique = sorted(set(page_ids))
    sql = STORE_COUNTS.format(pages=in_list(len(unique)), not_counted="", **_steps())
    await select_dicts(Comment, sql, [*unique, APPROVED, APPROVED, *unique])
