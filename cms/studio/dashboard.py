"""The dashboard: my drafts, scheduled publications, comments waiting, recent activity."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.studio.studio import Studio


def dashboard_routes(studio: Studio) -> list[BaseRoute]:
    async def dashboard(request: Request) -> Response:
        return await studio.render(request, "dashboard.html.j2")

    return [Route("/", studio.signed_in(dashboard), name="studio:dashboard")]
