"""The studio dashboard's lists, for editors: my drafts, publications due, recent activity."""

import strawberry

from cms.services import dashboard
from cms.services.pagination import paginate_query
from schema.context import Info
from schema.page.scheduling import ScheduledJob
from schema.page.types import Page
from schema.relay import After, Before, Connection, First, Last, page_request, query_connection
from schema.revision.types import Revision

DASHBOARD_PAGE_SIZE = 10


@strawberry.type
class DashboardQueries:
    @strawberry.field(
        description="Draft pages you (the signed-in user, or your token's user) have saved, "
        "last changed first. Editors only."
    )
    async def my_drafts(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Page] | None:
        result = await paginate_query(
            dashboard.my_drafts(info.context.viewer),
            page_request(first, after, last, before),
            info.context.settings.max_page_size,
            DASHBOARD_PAGE_SIZE,
        )
        return Connection.of(result, await Page.load_all(info, result.items))

    @strawberry.field(
        description="Scheduled publishes and unpublishes of every page still to run, "
        "soonest first. Editors only."
    )
    async def due_publications(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ScheduledJob] | None:
        return await query_connection(
            info,
            dashboard.due_publications(info.context.viewer),
            page_request(first, after, last, before),
            DASHBOARD_PAGE_SIZE,
            ScheduledJob.from_model,
        )

    @strawberry.field(
        description="Recent activity: every page's revisions (saves, publishes, restores), "
        "newest first. Editors only."
    )
    async def recent_revisions(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Revision] | None:
        return await query_connection(
            info,
            dashboard.recent_revisions(info.context.viewer),
            page_request(first, after, last, before),
            DASHBOARD_PAGE_SIZE,
            Revision.from_model,
        )
