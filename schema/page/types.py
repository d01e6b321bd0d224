"""The Page type and its enums."""

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from cms import models
from cms.services import draft_state, revisions, scheduling
from cms.services.auth import require_editor
from cms.services.comment_rules import comments_are_open
from cms.services.comment_threads import ThreadLevel
from cms.services.draft_state import AUTO, ContentView
from schema.context import Info
from schema.page.content import PageContent, page_content, section_tree
from schema.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    Node,
    page_request,
    query_connection,
    to_global_id,
)

if TYPE_CHECKING:
    from schema.asset.types import Image
    from schema.comment.types import Comment
    from schema.page.scheduling import ScheduledJob
    from schema.revision.types import Revision
    from schema.section.types import Section

PageStatus = strawberry.enum(
    models.PageStatus,
    name="PageStatus",
    description="Where a page is in its life: only PUBLISHED pages are visible to readers.",
)

REVISIONS_DEFAULT_PAGE_SIZE = 20
SCHEDULED_JOBS_DEFAULT_PAGE_SIZE = 20


@strawberry.type(
    description="A page of content: a title and a tree of sections. Readers see the page "
    "as last published (its live revision); editors see the working copy unless they ask "
    "for `live` or a `revision`."
)
class Page(Node):
    pk: strawberry.Private[int]
    row: strawberry.Private[models.Page]
    # What this object shows (working copy or a revision), resolved when it was made.
    content: strawberry.Private[PageContent]
    status: PageStatus = strawberry.field(description="DRAFT, PUBLISHED or ARCHIVED.")
    published_at: datetime | None = strawberry.field(
        description="When the page was last published (UTC), if ever."
    )
    created_at: datetime = strawberry.field(description="When the page was created (UTC).")
    slug: str = strawberry.field(description="Unique, lowercase, URL-safe name of the page.")
    title: str = strawberry.field(description="The page's title.")
    summary: str | None = strawberry.field(description="A short plain-text summary, if any.")
    version: int = strawberry.field(
        description="Goes up by one on every change to the page or its sections. Pass it "
        "back as `version` when changing the page: if someone changed it meanwhile, the "
        "change fails with a CONFLICT error instead of overwriting theirs."
    )
    updated_at: datetime = strawberry.field(
        description="When the content shown last changed (UTC)."
    )

    @classmethod
    async def load(cls, info: Info, page: models.Page, view: ContentView = AUTO) -> "Page":
        """The page as ``view`` shows it to this viewer (its live revision for readers)."""
        content = await page_content(info, page, view)
        return cls(
            id=to_global_id("Page", page.id),
            pk=page.id,
            row=page,
            content=content,
            status=page.status,
            published_at=page.published_at,
            created_at=page.created_at,
            slug=content.slug,
            title=content.title,
            summary=content.summary,
            version=content.version,
            updated_at=content.updated_at,
        )

    @classmethod
    async def load_all(cls, info: Info, pages: list[models.Page]) -> list["Page"]:
        """Several pages; their revisions are read in one batch."""
        return list(await asyncio.gather(*(cls.load(info, page) for page in pages)))

    @strawberry.field(
        description="The page's cover image, as this view of the page shows it; null if "
        "it has none (or its asset was deleted)."
    )
    async def cover_image(
        self, info: Info
    ) -> Annotated["Image", strawberry.lazy("schema.asset.types")] | None:
        from schema.asset.types import Image

        if self.content.cover_image_id is None:
            return None
        asset = await info.context.loaders.asset.load(self.content.cover_image_id)
        if asset is None or asset.kind is not models.AssetKind.IMAGE:
            return None
        return Image.of(asset)

    @strawberry.field(
        description="Whether the working copy differs from what readers see (always true "
        "for a page that is not published). Null for readers."
    )
    async def has_unpublished_changes(self, info: Info) -> bool | None:
        return await draft_state.has_unpublished_changes(
            info.context.viewer, self.row, info.context.loaders.revision.load
        )

    @strawberry.field(description="The top-level sections, in order; each has its `children`.")
    async def sections(
        self, info: Info
    ) -> list[Annotated["Section", strawberry.lazy("schema.section.types")]]:
        from schema.section.types import Section

        view = self.content.view
        tree = await section_tree(info, self.pk, view)
        return [Section.in_tree(section, view, tree) for section in tree.children[None]]

    @strawberry.field(
        description="The revision readers are served — the live page, with its own ID — or "
        "null if none. Editors only."
    )
    async def live_revision(
        self, info: Info
    ) -> Annotated["Revision", strawberry.lazy("schema.revision.types")] | None:
        from schema.revision.types import Revision

        require_editor(info.context.viewer)
        if self.row.live_revision_id is None:
            return None
        revision = await info.context.loaders.revision.load(self.row.live_revision_id)
        return Revision.from_model(revision) if revision else None

    @strawberry.field(
        description="Every saved, published and restored revision, newest first. Editors "
        "only: null (with an error) for readers."
    )
    async def revisions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated["Revision", strawberry.lazy("schema.revision.types")]] | None:
        from schema.revision.types import Revision

        return await query_connection(
            info,
            revisions.page_revisions(info.context.viewer, self.pk),
            page_request(first, after, last, before),
            REVISIONS_DEFAULT_PAGE_SIZE,
            Revision.from_model,
        )

    @strawberry.field(
        description="Scheduled publishes and unpublishes, soonest first. Editors only: null, "
        "with an error, for readers."
    )
    async def scheduled_jobs(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Annotated["ScheduledJob", strawberry.lazy("schema.page.scheduling")]] | None:
        from schema.page.scheduling import ScheduledJob

        return await query_connection(
            info,
            scheduling.page_jobs(info.context.viewer, self.pk),
            page_request(first, after, last, before),
            SCHEDULED_JOBS_DEFAULT_PAGE_SIZE,
            ScheduledJob.from_model,
        )

    @strawberry.field(
        description="Whether the page takes new comments: editors can close them, and the "
        "site may close them a set number of days after publishing."
    )
    async def comments_open(self, info: Info) -> bool:
        page = await info.context.loaders.page.load(self.pk)
        return page is not None and comments_are_open(page, info.context.settings)

    @strawberry.field(description="How many approved comments the page has, replies included.")
    async def comment_count(self, info: Info) -> int:
        return (await info.context.loaders.shown_comment_counts.load(self.pk)).comments

    @strawberry.field(
        description="Approved top-level comments, oldest first, each with its `replies`; or, "
        "with `withReplies`, the whole thread in reading order. Null (with an error) if the "
        "paging arguments are refused."
    )
    async def comments(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        with_replies: Annotated[
            bool,
            strawberry.argument(
                description="List replies too, each right after the comment it answers "
                "(depth first), so a thread of any depth is one flat, paged list: nest them "
                "by `parentId`."
            ),
        ] = False,
    ) -> Connection[Annotated["Comment", strawberry.lazy("schema.comment.types")]] | None:
        from schema.comment.types import reading_order_connection, thread_connection

        request = page_request(first, after, last, before)
        if with_replies:
            return await reading_order_connection(info, self.pk, request)
        return await thread_connection(info, ThreadLevel.TOP, self.pk, request)
