"""The media library: a grid of thumbnails (search, type filter, keyset paging) with an upload
zone, and the page editor's image picker. Uploads do not pass through here: the page's script
(js/uploads.js) sends them straight to /graphql as GraphQL multipart requests."""

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from cms.graphiql import script_safe_json
from cms.media.file_types import FILE_TYPES
from cms.studio.api import document
from cms.studio.listing import keyset_paging, nodes
from cms.studio.media_detail import media_detail_routes
from cms.studio.studio import Studio
from cms.studio.templating import is_htmx

LIBRARY_PAGE_SIZE = 24
PICKER_PAGE_SIZE = 12
LIBRARY_PATH = "/studio/media"
PICKER_PATH = "/studio/media/picker"
DONE_MESSAGES = {"deleted": "The file was deleted."}
# Names for media types in the type filter (files' names come from their detector's table);
# a type missing from both shows as itself.
TYPE_NAMES = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WebP",
    "image/avif": "AVIF",
    "image/gif": "GIF",
    **{media_type: file_type.label for media_type, file_type in FILE_TYPES.items()},
}


@dataclass(frozen=True)
class UploadRules:
    """What the upload zone says and checks before sending: the server's limits."""

    max_bytes: int
    media_types: tuple[str, ...]

    def type_names(self) -> list[tuple[str, str]]:
        return [(kind, TYPE_NAMES.get(kind, kind)) for kind in self.media_types]

    def type_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The type filter's choices: images, then files (a group only if it has any)."""
        names = self.type_names()
        groups = [
            ("Images", [n for n in names if n[0].startswith("image/")]),
            ("Files", [n for n in names if not n[0].startswith("image/")]),
        ]
        return [(label, types) for label, types in groups if types]

    def config(self) -> str:
        """The upload script's configuration (JSON for a ``<script type=application/json>``)."""
        return script_safe_json(
            {
                "endpoint": "/graphql",
                "document": document("upload_asset"),
                "maxBytes": self.max_bytes,
                "accept": list(self.media_types),
                "libraryPath": LIBRARY_PATH,
            }
        )


@dataclass
class AssetQuery:
    """The library's state, as it appears in the URL."""

    search: str = ""
    media_type: str = ""
    after: str = ""
    before: str = ""
    # IMAGE for the editor's picker, which inserts figures; the library shows every kind.
    kind: str | None = None

    @classmethod
    def from_request(cls, request: Request, rules: UploadRules) -> "AssetQuery":
        params = request.query_params
        media_type = params.get("type", "")
        return cls(
            search=params.get("q", "").strip()[:200],
            media_type=media_type if media_type in rules.media_types else "",
            after=params.get("after", ""),
            before=params.get("before", "") if not params.get("after") else "",
        )

    def variables(self, page_size: int) -> dict[str, Any]:
        paging = keyset_paging(self.after, self.before, page_size)
        return {
            **paging,
            "search": self.search or None,
            "type": self.media_type or None,
            "kind": self.kind,
        }

    def url(self, path: str = LIBRARY_PATH, **cursor: str) -> str:
        """This list (same search and type) from another cursor."""
        params = {"q": self.search, "type": self.media_type, **cursor}
        query = urlencode({k: v for k, v in params.items() if v})
        return f"{path}?{query}" if query else path


def media_routes(studio: Studio, rules: UploadRules) -> list[BaseRoute]:
    async def listing(
        request: Request, query: AssetQuery, page_size: int, path: str
    ) -> dict[str, Any]:
        result = await studio.execute(request, "studio_assets", query.variables(page_size))
        connection = result.data.get("assets") or {"edges": [], "pageInfo": {}}
        info = connection["pageInfo"]
        return {
            "query": query,
            "assets": nodes(connection),
            "next_url": query.url(path, after=info["endCursor"])
            if info.get("hasNextPage")
            else None,
            "previous_url": query.url(path, before=info["startCursor"])
            if info.get("hasPreviousPage")
            else None,
            "errors": [error.message for error in result.errors],
        }

    async def library(request: Request) -> Response:
        """The library page; to htmx (after uploads), only its grid."""
        query = AssetQuery.from_request(request, rules)
        context = {
            "active_section": "media",
            "done": DONE_MESSAGES.get(request.query_params.get("done", "")),
            **await listing(request, query, LIBRARY_PAGE_SIZE, LIBRARY_PATH),
        }
        template = "media/_grid.html.j2" if is_htmx(request) else "media/library.html.j2"
        return await studio.render(request, template, context)

    async def picker(request: Request) -> Response:
        """The editor's picker: a page of the library as buttons that insert an image."""
        query = replace(AssetQuery.from_request(request, rules), kind="IMAGE")
        context = await listing(request, query, PICKER_PAGE_SIZE, PICKER_PATH)
        return await studio.render(request, "media/_picker_results.html.j2", context)

    guard = studio.signed_in
    return [
        Route("/media", guard(library), name="studio:media"),
        Route("/media/picker", guard(picker), name="studio:media-picker"),
        *media_detail_routes(studio),
    ]
