"""The comment form without JavaScript, as POST/redirect/GET.

A comment that is saved redirects (303) to the article at the comment, so reloading that
page shows it again instead of posting it twice. A comment awaiting moderation is not in
what the API shows readers, so the redirect carries it in a short-lived signed cookie
(the page is then rendered for this reader alone, with the comment in its place). A form
with errors is answered at once, with the errors next to their fields and what the reader
typed kept. The article is shared by every reader, so its form carries no form token: a
form sent without one comes back once with a fresh token, asking the reader to post it
again (the API's minimum time between the token and the comment is the spam defence).
"""

from typing import Any
from urllib.parse import urlsplit

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from cms.secret_key import signing_key
from cms.site.forms import FORM_LEVEL, CommentForm
from cms.site.pages import ReaderSite

CROSS_SITE_MESSAGE = (
    "This comment was sent from another website, so it was not posted. If you wrote it, "
    "send it again from this page."
)
CONFIRM_MESSAGE = "Almost there: check your comment, then press Post Comment again."
POSTED_COOKIE = "cms-posted-comment"
POSTED_COOKIE_SALT = "cms.site.posted-comment"
# How long the reader who posted a comment sees it awaiting moderation.
POSTED_COOKIE_SECONDS = 600
# A cookie holds ~4 KB: a longer comment is shown as awaiting moderation without its text.
POSTED_BODY_MAX_BYTES = 2500
POSTED_FIELDS = ("id", "authorName", "authorUrl", "createdAt", "status")


class CommentPosting:
    def __init__(self, site: ReaderSite) -> None:
        self.site = site
        self.api = site.api

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(signing_key(self.api.settings), salt=POSTED_COOKIE_SALT)

    def posted_comment(self, request: Request) -> dict[str, Any] | None:
        """The comment this reader posted on this page a moment ago, from its cookie."""
        raw = request.cookies.get(POSTED_COOKIE)
        if not raw:
            return None
        try:
            posted = self._serializer().loads(raw, max_age=POSTED_COOKIE_SECONDS)
        except BadSignature:
            return None
        if not isinstance(posted, dict) or posted.get("slug") != request.path_params["slug"]:
            return None
        return posted

    async def article(self, request: Request) -> Response:
        """The article; with the reader's own pending comment in it, for them alone."""
        posted = self.posted_comment(request)
        if posted is None:
            return await self.site.article(request)
        own = {"comment": posted, "parentId": posted["parentId"]}
        rendered = await self.site.render_article(request, CommentForm(), posted=own, private=True)
        return self.site.cache.uncached(rendered)

    async def post(self, request: Request) -> Response:
        form = CommentForm.from_form_data(await request.form())
        if is_cross_site(request):
            form.values["formToken"] = ""
            form.add_error(FORM_LEVEL, CROSS_SITE_MESSAGE, "FORBIDDEN")
            return await self._form_again(request, form, 403)
        found = await self.api.execute(request, "page", {"slug": request.path_params["slug"]})
        if found.data.get("page") is None:
            return self.site.cache.uncached(self.site.not_found(request))
        # The comment goes on the page of the URL, whatever page id the form carries.
        form.values["pageId"] = found.data["page"]["id"]
        result = await self.api.execute(request, "add_comment", {"input": form.mutation_input()})
        payload = result.data.get("addComment") or {}
        form.add_api_errors(payload.get("errors", []), result.errors)
        if form.only_needs_a_token:
            form.errors = {FORM_LEVEL: [CONFIRM_MESSAGE]}
            return await self._form_again(request, form, 200)
        if form.errors:
            return await self._form_again(request, form, 422)
        return self._redirect_to(request, payload["comment"], form.values["parentId"])

    async def _form_again(self, request: Request, form: CommentForm, status: int) -> Response:
        """The article with the form as the reader sent it, its errors, a fresh token."""
        if not form.values.get("formToken") or form.needs_new_token:
            page_id = form.values.get("pageId", "")
            token = await self.api.execute(request, "comment_form_token", {"pageId": page_id})
            form.values["formToken"] = token.data.get("commentFormToken") or ""
        rendered = await self.site.render_article(request, form, status=status, private=True)
        return self.site.cache.uncached(rendered)

    def _redirect_to(self, request: Request, comment: dict[str, Any], parent_id: str) -> Response:
        slug = request.path_params["slug"]
        url = request.url_for("site:page", slug=slug).include_query_params(comment=comment["id"])
        response = RedirectResponse(f"{url.path}?{url.query}#comment-{comment['id']}", 303)
        if comment["status"] == "PENDING":
            posted = {name: comment[name] for name in POSTED_FIELDS}
            body = comment["bodyHtml"]
            posted["bodyHtml"] = body if len(body.encode()) <= POSTED_BODY_MAX_BYTES else ""
            response.set_cookie(
                POSTED_COOKIE,
                self._serializer().dumps({"slug": slug, "parentId": parent_id, **posted}),
                max_age=POSTED_COOKIE_SECONDS,
                path=url.path,
                secure=request.url.scheme == "https",
                httponly=True,
                samesite="lax",
            )
        response.headers["cache-control"] = "no-store"
        return response


def is_cross_site(request: Request) -> bool:
    """Whether the browser says the form was posted from another site (a forged request:
    CSRF). Sec-Fetch-Site is the browser's own verdict; without it, the Origin header must
    name this host. Clients that send neither (no browser) are not refused."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return urlsplit(origin).hostname != request.url.hostname
