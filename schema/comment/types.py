"""The Comment type. The author's email is for editors' eyes only."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from cms import models
from cms.secret_key import signing_key
from cms.services.auth import require_editor
from cms.services.comment_html import comment_to_html
from cms.services.comment_threads import ThreadLevel
from cms.services.commenters import avatar_url
from cms.services.pagination import PageRequest
from cms.services.thread_paths import reading_order_page
from schema.context import Info
from schema.loaders import ThreadPageKey
from schema.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    Node,
    page_request,
    to_global_id,
)
from schema.user.types import User, load_user

if TYPE_CHECKING:
    from schema.page.types import Page

CommentStatus = strawberry.enum(
    models.CommentStatus,
    name="CommentStatus",
    description="Moderation state: only APPROVED comments are shown to readers.",
)


@strawberry.type(description="A reader's comment on a page, possibly a reply to another.")
class Comment(Node):
    pk: strawberry.Private[int]
    page_pk: strawberry.Private[int]
    parent_pk: strawberry.Private[int | None]
    moderated_by_pk: strawberry.Private[int | None]
    author_user_pk: strawberry.Private[int | None]
    email: strawberry.Private[str]
    ip: strawberry.Private[str | None]
    user_agent: strawberry.Private[str | None]
    author_name: str = strawberry.field(description="The name the commenter gave.")
    author_url: str | None = strawberry.field(description="The commenter's website, if given.")
    body: str = strawberry.field(description="The comment, plain text with blank-line paragraphs.")
    status: CommentStatus = strawberry.field(description="The moderation state.")
    created_at: datetime = strawberry.field(description="When the comment was submitted (UTC).")
    edited_at: datetime | None = strawberry.field(
        description="When an editor last changed the text (UTC); null if never."
    )

    @classmethod
    def from_model(cls, comment: models.Comment) -> "Comment":
        return cls(
            id=to_global_id("Comment", comment.id),
            pk=comment.id,
            page_pk=comment.page_id,
            parent_pk=comment.parent_id,
            moderated_by_pk=comment.moderated_by_id,
            author_user_pk=comment.author_user_id,
            email=comment.author_email,
            ip=comment.author_ip,
            user_agent=comment.author_user_agent,
            author_name=comment.author_name,
            author_url=comment.author_url,
            body=comment.body,
            status=comment.status,
            created_at=comment.created_at,
            edited_at=comment.edited_at,
        )

    @strawberry.field(
        description="The editor who last approved, rejected, trashed or edited it; null if "
        "nobody has, or for readers."
    )
    async def moderated_by(self, info: Info) -> User | None:
        return await load_user(info, self.moderated_by_pk)

    @strawberry.field(
        description="For a reply an editor wrote in the studio, that editor; null for "
        "readers' comments, and for readers."
    )
    async def author_user(self, info: Info) -> User | None:
        return await load_user(info, self.author_user_pk)

    @strawberry.field(
        description="The body as safe HTML: everything escaped, paragraphs, and web addresses "
        'as rel="nofollow ugc noopener" links.'
    )
    def body_html(self) -> str:
        return comment_to_html(self.body)

    @strawberry.field(
        description="A Gravatar identicon URL made from a hash of the email keyed by the site "
        "secret (never the email, nor a hash anyone else can compute); null once the "
        "commenter's data has been erased."
    )
    def avatar_url(self, info: Info) -> str | None:
        return avatar_url(signing_key(info.context.settings), self.email)

    @strawberry.field(
        description="The global ID of the comment this one replies to; null at the top level."
    )
    def parent_id(self) -> strawberry.ID | None:
        return None if self.parent_pk is None else to_global_id("Comment", self.parent_pk)

    @strawberry.field(description="The IP address the comment was sent from. Editors only.")
    def author_ip(self, info: Info) -> str | None:
        require_editor(info.context.viewer)
        return self.ip

    @strawberry.field(description="The browser (User-Agent) that sent the comment. Editors only.")
    def author_user_agent(self, info: Info) -> str | None:
        require_editor(info.context.viewer)
        return self.user_agent

    @strawberry.field(
        description="The commenter's email address. Editors only: never shown to the public."
    )
    def author_email(self, info: Info) -> str | None:
        require_editor(info.context.viewer)
        return self.email

    @strawberry.field(
        description="Approved replies to this comment, oldest first. Null (with an error) if "
        "the paging arguments are refused."
    )
    async def replies(
        self,
        info: Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection["Comment"] | None:
        request = page_request(first, after, last, before)
        return await thread_connection(info, ThreadLevel.REPLIES, self.pk, request)

    @strawberry.field(description="The page the comment is on.")
    async def page(self, info: Info) -> Annotated["Page", strawberry.lazy("schema.page.types")]:
        from schema.page.types import Page

        page = await info.context.loaders.page.load(self.page_pk)
        assert page is not None, "a comment always belongs to a page"
        return await Page.load(info, page)


COMMENTS_DEFAULT_PAGE_SIZE = 20


async def thread_connection(
    info: Info, level: ThreadLevel, owner_id: int, request: PageRequest
) -> Connection[Comment]:
    """A page of approved comments read in SQL: a page's top-level ones or a comment's
    replies (the pages of many parents' replies are read together by the loader)."""
    key = ThreadPageKey(
        level, owner_id, request, info.context.settings.max_page_size, COMMENTS_DEFAULT_PAGE_SIZE
    )
    page = await info.context.loaders.comment_page.load(key)
    return Connection.of(page, [Comment.from_model(comment) for comment in page.items])


async def reading_order_connection(
    info: Info, page_id: int, request: PageRequest
) -> Connection[Comment]:
    """A page of a whole thread in reading order (depth first), read by keyset on each
    comment's thread path; its total is the page's count of comments readers can reach."""
    loaders = info.context.loaders

    async def count() -> int:
        return (await loaders.shown_comment_counts.load(page_id)).comments

    page = await reading_order_page(
        page_id, request, info.context.settings.max_page_size, COMMENTS_DEFAULT_PAGE_SIZE, count
    )
    return Connection.of(page, [Comment.from_model(comment) for comment in page.items])
