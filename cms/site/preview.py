"""The preview page: a page's working copy, shown with the reader templates to whoever
holds a preview link (``createPreviewLink``), marked as not published, never indexed and
never kept by any cache. A link that expired, was revoked or was never valid gets a
friendly page saying so — never content."""

from starlette.requests import Request
from starlette.responses import Response

from cms.site.pages import ReaderSite

NOT_INDEXED = "noindex, nofollow"
INVALID_LINK = "This preview link is not valid."


class PreviewPage:
    def __init__(self, site: ReaderSite) -> None:
        self.site = site

    async def show(self, request: Request) -> Response:
        token = request.path_params["token"]
        result = await self.site.api.execute(request, "preview", {"token": token})
        preview = result.data.get("preview")
        if preview is None:
            message = result.errors[0].message if result.errors else INVALID_LINK
            rendered = self.site.render(
                request, "preview_invalid.html.j2", {"message": message}, status=404
            )
        else:
            rendered = self.site.render(request, "preview.html.j2", {"page": preview})
        # Whatever the API says, a preview (or its refusal) is for the link's holder alone.
        rendered.private = True
        rendered.headers["x-robots-tag"] = NOT_INDEXED
        # The token is in the URL: no Referer may carry it anywhere.
        rendered.headers["referrer-policy"] = "no-referrer"
        return self.site.cache.uncached(rendered)
