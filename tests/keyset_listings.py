"""Every connection built from a queryset, described once for tests/reading/test_keyset_cursors.py:
how to fill it with seven items, how to read one page of it, and how to add an item that
sorts before all the others (which shifts every offset after it)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from typing import Any

from tortoise.timezone import now

from cms.models import (
    Comment,
    CommentStatus,
    Page,
    PageStatus,
    Revision,
    RevisionKind,
    ScheduledAction,
    ScheduledJob,
    Webhook,
    WebhookDelivery,
)
from cms.models.comment import thread_step

PAGING_VARIABLES = "$first: Int, $after: String, $last: Int, $before: String"
PAGING = "first: $first, after: $after, last: $last, before: $before"
CONNECTION = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } }"
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
FAR_AHEAD = datetime(2100, 1, 1, tzinfo=UTC)
names = count()


@dataclass(frozen=True)
class Listing:
    name: str
    query: str
    path: tuple[str | int, ...]
    fill: Callable[[], Awaitable[None]]
    add_first: Callable[[], Awaitable[None]]
    editor: bool = True

    def connection(self, data: dict[str, Any]) -> dict[str, Any]:
        for step in self.path:
            data = data[step]
        return data


async def published_page(slug: str | None = None, **fields: Any) -> Page:
    number = next(names)
    fields.setdefault("title", f"Page {number:03}")
    fields.setdefault("status", PageStatus.PUBLISHED)
    if fields["status"] is PageStatus.PUBLISHED:
        fields.setdefault("published_at", now())
    return await Page.create(slug=slug or f"page-{number}", **fields)


async def comment(page: Page, parent: Comment | None = None, **fields: Any) -> Comment:
    fields.setdefault("status", CommentStatus.APPROVED)
    return await Comment.create(
        page=page, parent=parent, author_name="Reader", author_email="r@example.org",
        body=f"comment {next(names)}", **fields,
    )  # fmt: skip


async def backdated(row: Any, **values: Any) -> None:
    """Set times that auto_now fields would not let a create set."""
    await type(row).filter(id=row.id).update(**values)


# --- pages, in every order ---------------------------------------------------------------------

PAGES = f"""query({PAGING_VARIABLES}) {{
  pages({PAGING}, orderBy: {{field: FIELD, direction: DIRECTION}}) {{ {CONNECTION} }} }}"""
EXTREMES = {
    "TITLE": ("title", "!first", "~last"),
    "CREATED_AT": ("created_at", LONG_AGO, FAR_AHEAD),
    "UPDATED_AT": ("updated_at", LONG_AGO, FAR_AHEAD),
    "PUBLISHED_AT": ("published_at", LONG_AGO, FAR_AHEAD),
}


def page_listing(field: str, direction: str, editor: bool) -> Listing:
    async def fill() -> None:
        for _ in range(5 if editor else 7):
            await published_page()
        if editor:  # drafts: never published, so no published_at to sort by
            await published_page(status=PageStatus.DRAFT)
            await published_page(status=PageStatus.DRAFT)

    async def add_first() -> None:
        column, lowest, highest = EXTREMES[field]
        page = await published_page()
        await backdated(page, **{column: lowest if direction == "ASC" else highest})

    return Listing(
        name=f"pages-{field}-{direction}-{'editor' if editor else 'reader'}",
        query=PAGES.replace("FIELD", field).replace("DIRECTION", direction),
        path=("pages",),
        fill=fill,
        add_first=add_first,
        editor=editor,
    )  # fmt: skip


PAGE_LISTINGS = [
    page_listing(field, direction, editor)
    for field in EXTREMES
    for direction in ("ASC", "DESC")
    for editor in (False, True)
]

# --- a page's comments, replies and whole thread ----------------------------------------------

ON_PAGE = 'page(slug: "discussed")'


async def discussed() -> Page:
    return await Page.get_or_none(slug="discussed") or await published_page("discussed")


async def fill_comments() -> None:
    page = await discussed()
    for _ in range(7):
        await comment(page, await comment(page), status=CommentStatus.APPROVED)
    await comment(page, status=CommentStatus.PENDING)


async def old_comment(parent: Comment | None = None) -> None:
    page = await discussed()
    await backdated(await comment(page, parent), created_at=LONG_AGO)


async def fill_replies() -> None:
    page = await discussed()
    question = await comment(page)
    for _ in range(7):
        await comment(page, question)
    await comment(page, question, status=CommentStatus.SPAM)


async def old_reply() -> None:
    await old_comment(await Comment.get(parent_id=None))


async def fill_thread() -> None:
    """Two threads three deep, and a comment without replies."""
    page = await discussed()
    for _ in range(2):
        await comment(page, await comment(page, await comment(page)))
    await comment(page)


async def old_thread() -> None:
    """A comment written long ago: its thread path holds its time, as if stored then."""
    page = await discussed()
    old = await comment(page)
    await backdated(old, created_at=LONG_AGO, thread_path=thread_step(LONG_AGO, old.id))


COMMENT_LISTINGS = [
    Listing(
        "page-comments",
        f"query({PAGING_VARIABLES}) {{ {ON_PAGE} {{ comments({PAGING}) {{ {CONNECTION} }} }} }}",
        ("page", "comments"),
        fill_comments,
        old_comment,
        editor=False,
    ),
    Listing(
        "comment-replies",
        f"query({PAGING_VARIABLES}) {{ {ON_PAGE} {{ comments(first: 1) {{ edges {{ node {{"
        f" replies({PAGING}) {{ {CONNECTION} }} }} }} }} }} }}",
        ("page", "comments", "edges", 0, "node", "replies"),
        fill_replies,
        old_reply,
        editor=False,
    ),
    Listing(
        "page-comments-with-replies",
        f"query({PAGING_VARIABLES}) {{ {ON_PAGE} {{"
        f" comments({PAGING}, withReplies: true) {{ {CONNECTION} }} }} }}",
        ("page", "comments"),
        fill_thread,
        old_thread,
        editor=False,
    ),
]

# --- editors' lists ----------------------------------------------------------------------------


async def fill_revisions() -> None:
    page = await discussed()
    for number in range(1, 8):
        await revision(page, number)


async def revision(page: Page, number: int) -> None:
    await Revision.create(
        page=page, number=number, kind=RevisionKind.SAVE, page_version=number,
        author_name="Editor",
        content={"page": {"slug": page.slug, "title": page.title, "summary": None}, "sections": []},
    )  # fmt: skip


async def newest_revision() -> None:
    await revision(await discussed(), 100)


async def fill_jobs() -> None:
    page = await discussed()
    for day in range(1, 8):
        await ScheduledJob.create(
            page=page, action=ScheduledAction.PUBLISH, created_by="Editor",
            run_at=datetime(2090, 1, day, tzinfo=UTC),
        )  # fmt: skip


async def soonest_job() -> None:
    await ScheduledJob.create(
        page=await discussed(), action=ScheduledAction.UNPUBLISH, created_by="E", run_at=LONG_AGO
    )


async def fill_queue() -> None:
    page = await discussed()
    for status in [*CommentStatus, *CommentStatus][:7]:
        await comment(page, status=status)


async def newest_in_queue() -> None:
    await comment(await discussed(), status=CommentStatus.PENDING)


async def webhook(id: int) -> Webhook:
    return await Webhook.create(
        id=id, url="http://127.0.0.1:9/hook", events=["page.published"], secret="s", created_by="E"
    )


async def fill_webhooks() -> None:
    for number in range(7):
        await webhook(100 + number)


async def oldest_webhook() -> None:
    await webhook(1)


async def delivery() -> None:
    hook = await Webhook.first() or await webhook(100)
    await WebhookDelivery.create(webhook=hook, event="page.published", payload={})


async def fill_deliveries() -> None:
    for _ in range(7):
        await delivery()


EDITOR_LISTINGS = [
    Listing(
        "revisions",
        f"query({PAGING_VARIABLES}) {{ {ON_PAGE} {{ revisions({PAGING}) {{ {CONNECTION} }} }} }}",
        ("page", "revisions"),
        fill_revisions,
        newest_revision,
    ),
    Listing(
        "scheduled-jobs",
        f"query({PAGING_VARIABLES}) {{ {ON_PAGE} {{"
        f" scheduledJobs({PAGING}) {{ {CONNECTION} }} }} }}",
        ("page", "scheduledJobs"),
        fill_jobs,
        soonest_job,
    ),
    Listing(
        "moderation-queue",
        f"query({PAGING_VARIABLES}) {{ comments({PAGING}) {{ {CONNECTION} }} }}",
        ("comments",),
        fill_queue,
        newest_in_queue,
    ),
    Listing(
        "webhooks",
        f"query({PAGING_VARIABLES}) {{ webhooks({PAGING}) {{ {CONNECTION} }} }}",
        ("webhooks",),
        fill_webhooks,
        oldest_webhook,
    ),
    Listing(
        "webhook-deliveries",
        f"query({PAGING_VARIABLES}) {{ webhooks(first: 1) {{ edges {{ node {{"
        f" deliveries({PAGING}) {{ {CONNECTION} }} }} }} }} }}",
        ("webhooks", "edges", 0, "node", "deliveries"),
        fill_deliveries,
        delivery,
    ),
]

LISTINGS = PAGE_LISTINGS + COMMENT_LISTINGS + EDITOR_LISTINGS
