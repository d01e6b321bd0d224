"""The Page type and its enums."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from cms import models
from cms.services.comment_rules import comments_are_open
from cms.services.pagination import paginate_list
from schema.context import Info
from schema.relay import After, Before, Connection, First, Last, Node, page_request, to_global_id

if TYPE_CHECKING:
    from schema.comment.types import Comment
    from schema.section.types import Section

PageStatus = strawberry.enum(
    models.PageStatus,
    name="PageStatus",
    description="Where a page is in its life: only PUBLISHED pages are visible to readers.",
)

COMMENTS_DEFAULT_PAGE_SIZE = 20


@strawberry.type(description="A page of content: a title and a tree of sections.")
class Page(Node):
    pk: strawberry.Private[int]
    slug: str = strawberry.field(description="Unique, lowercase, URL-safe name of the page.")
    title: str = strawberry.field(description="The page's title.")
    summary: str | None = strawberry.field(description="A short plain-text summary, if any.")
    status: PageStatus = strawberry.field(description="DRAFT, PUBLISHED or ARCHIVED.")
    published_at: datetime | None = strawberry.field(
        description="When the page was last published (UTC), if ever."
    )
    created_at: datetime = strawberry.field(description="When the page was created (UTC).")
    updated_at: datetime = strawberry.field(description="When the page last changed (UTC).")
    version: int = strawberry.field(
        description="Goes up by one on every change to the page or its sections."
    )

    @classmethod
    def from_model(cls, page: models.Page) -> "Page":
        return cls(
            id=to_global_id("Page", page.id),
            pk=page.id,
            slug=page.slug,
            title=page.title,
            summary=page.summary,
            status=page.status,
            published_at=page.published_at,
            created_at=page.created_at,
            updated_at=page.updated_at,
            version=page.version,
        )

    @strawberry.field(description="The top-level sections, in order; each has its `children`.")
    async def sections(
        self, info: Info
    ) -> list[Annotated["Section", strawberry.lazy("schema.section.types")]]:
        from schema.section.types import Section

        tree = await info.context.loaders.section_tree.load(self.pk)
        return [Section.from_model(section) for section in tree.children[None]]

    @strawberry.field(
        description="Whether the page takes new comments: editors can close them, and the "
        "site may close them a set number of days after publishing."
    )
    async def comments_open(self, info: Info) -> bool:
        page = await info.context.loaders.page.load(self.pk)
        return page is not None and comments_are_open(page, info.context.settings)

    @strawberry.field(description="How many approved comments the page has, replies included.")
    async def comment_count(self, info: Info) -> int:
        return (await info.context.loaders.comment_thread.load(self.pk)).count

    @strawberry.field(
        description="Approved top-level comments, oldest first; replies are under `replies`."
    )
    async def comments(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated["Comment", strawberry.lazy("schema.comment.types")]]:
        from schema.comment.types import Comment

        thread = await info.context.loaders.comment_thread.load(self.pk)
        page = paginate_list(
            thread.replies[None],
            page_request(first, after, last, before),
            info.context.settings.max_page_size,
            COMMENTS_DEFAULT_PAGE_SIZE,
        )
        return Connection.of(page, [Comment.from_model(comment) for comment in page.items])
