"""Reading pages: by slug, as a filtered and ordered connection."""

from enum import Enum
from typing import Annotated

import strawberry

from cms.services import draft_state, pages, preview
from cms.services.pagination import paginate_query
from schema.context import Info, keep_private
from schema.page.preview import PagePreview
from schema.page.types import Page, PageStatus
from schema.relay import After, Before, Connection, First, Last, page_request

PAGES_DEFAULT_PAGE_SIZE = 20

PageOrderField = strawberry.enum(
    pages.PageOrderField,
    name="PageOrderField",
    description="What pages can be ordered by.",
)


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Narrow down the pages listed.")
class PageFilter:
    status: PageStatus | None = strawberry.field(
        default=None, description="Only pages in this status (readers only see PUBLISHED)."
    )
    search: str | None = strawberry.field(
        default=None, description="Only pages whose title contains this text (any case)."
    )


@strawberry.input(description="How to order the pages listed.")
class PageOrder:
    field: PageOrderField = strawberry.field(description="The field to order by.")
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.DESC, description="ASC or DESC (the default)."
    )


@strawberry.type
class PageQueries:
    @strawberry.field(
        description="The page with this slug, or null if there is none to see. Readers get "
        "what is published; editors get the working copy (its live content is "
        "`liveRevision`, older states are `revisions`)."
    )
    async def page(
        self,
        info: Info,
        slug: Annotated[str, strawberry.argument(description="The page's slug.")],
    ) -> Page | None:
        found = await draft_state.page_by_slug(info.context.viewer, slug)
        if found is None:
            return None
        page, live_revision = found
        if live_revision is not None:  # read with the page: the revision loader needn't
            info.context.loaders.revision.prime(live_revision.id, live_revision)
        return await Page.load(info, page)

    @strawberry.field(
        description="The working copy of the page a preview link was made for, read-only, "
        "for anyone holding the token (from `createPreviewLink`). An error if the token is "
        "forged or expired."
    )
    async def preview(
        self,
        info: Info,
        preview_token: Annotated[
            str, strawberry.argument(description="The token from `createPreviewLink`.")
        ],
    ) -> PagePreview | None:
        keep_private(info)
        page_id = preview.page_id_of(info.context.settings, preview_token)
        page = await info.context.loaders.page.load(page_id)
        return await PagePreview.load(info, page) if page else None

    @strawberry.field(
        description="Pages, newest published first unless ordered otherwise; null (with an "
        "error) if the paging arguments are refused."
    )
    async def pages(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
        filter: Annotated[
            PageFilter | None, strawberry.argument(description="Which pages to list.")
        ] = None,
        order_by: Annotated[
            PageOrder | None, strawberry.argument(description="The order of the list.")
        ] = None,
    ) -> Connection[Page] | None:
        page_filter = filter or PageFilter()
        order = order_by or PageOrder(field=pages.PageOrderField.PUBLISHED_AT)
        listed = pages.filtered_pages(
            info.context.viewer,
            pages.PageFilter(status=page_filter.status, search=page_filter.search),
            order_by=order.field,
            descending=order.direction is OrderDirection.DESC,
        )
        result = await paginate_query(
            listed,
            page_request(first, after, last, before),
            info.context.settings.max_page_size,
            PAGES_DEFAULT_PAGE_SIZE,
        )
        return Connection.of(result, await Page.load_all(info, result.items))
