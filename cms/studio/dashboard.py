"""The dashboard: my drafts, scheduled publications, comments waiting, recent activity."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.studio.listing import nodes
from cms.studio.studio import Studio


def dashboard_routes(studio: Studio) -> list[BaseRoute]:
    async def dashboard(request: Request) -> Response:
        result = await studio.execute(request, "dashboard")
        data = result.data
        return await studio.render(
            request,
            "dashboard.html.j2",
            {
                "active_section": "dashboard",
                "drafts": nodes(data.get("myDrafts")),
                "due": nodes(data.get("duePublications")),
                "pending_count": (data.get("commentCounts") or {}).get("pending", 0),
                "waiting": nodes(data.get("comments")),
                "activity": nodes(data.get("recentRevisions")),
                "errors": [error.message for error in result.errors],
            },
        )

    return [Route("/", studio.signed_in(dashboard), name="studio:dashboard")]
