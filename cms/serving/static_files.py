"""Static files with a cache lifetime to match how they are named: a URL versioned by its
content (``?v=<hash>``, as the templates link assets) or a file whose name carries its
version (the site's fonts) never changes, so browsers and CDNs may keep it for a year."""

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
# Folders whose file names carry their version (a new version is a new name).
VERSIONED_FOLDERS = ("site/fonts/",)


class CachedStaticFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        versioned = b"v=" in scope.get("query_string", b"") or path.startswith(VERSIONED_FOLDERS)
        if response.status_code in (200, 304) and versioned:
            response.headers["cache-control"] = IMMUTABLE
        return response
