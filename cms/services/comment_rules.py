"""The checks a submitted comment must pass before anything else looks at it: fields,
the page it is on (published, open for comments) and the comment it replies to."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from tortoise.timezone import now

from cms.config import Settings
from cms.errors import ErrorCode, FieldError
from cms.models import Comment, CommentStatus, Page, PageStatus
from cms.services.validation import check_length, check_required, first_error

# WordPress's column sizes, so comments imported from WordPress always fit.
AUTHOR_NAME_MAX = 245
AUTHOR_EMAIL_MAX = 100
AUTHOR_URL_MAX = 200
BODY_MAX = 65_525


@dataclass(frozen=True)
class CommentSubmission:
    """What a reader sent: the comment form's fields."""

    page_id: int
    author_name: str
    author_email: str
    body: str
    author_url: str | None = None
    parent_id: int | None = None


def check_email(field: str, value: str | None) -> FieldError | None:
    if not value or not value.strip():
        return None
    try:
        validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        return FieldError(field, f"Not a valid email address: {error}", ErrorCode.INVALID)
    return None


def check_url(field: str, value: str | None) -> FieldError | None:
    if not value or not value.strip():
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return FieldError(field, "Must be an http:// or https:// address.", ErrorCode.INVALID)
    return None


def check_fields(submission: CommentSubmission) -> list[FieldError]:
    s = submission
    return first_error(
        check_required("authorName", s.author_name),
        check_length("authorName", s.author_name, AUTHOR_NAME_MAX),
        check_required("authorEmail", s.author_email),
        check_length("authorEmail", s.author_email, AUTHOR_EMAIL_MAX),
        check_email("authorEmail", s.author_email),
        check_length("authorUrl", s.author_url, AUTHOR_URL_MAX),
        check_url("authorUrl", s.author_url),
        check_required("body", s.body),
        check_length("body", s.body, BODY_MAX),
    )


def comments_are_open(page: Page, settings: Settings) -> bool:
    """Open unless an editor closed them or the page is older than the auto-close age."""
    if not page.comments_open:
        return False
    days = settings.comment_close_after_days
    if days and page.published_at is not None:
        return now() - page.published_at < timedelta(days=days)
    return True


async def check_page(page_id: int, settings: Settings) -> tuple[Page | None, FieldError | None]:
    page = await Page.get_or_none(id=page_id, status=PageStatus.PUBLISHED)
    if page is None:
        return None, FieldError("pageId", "No page with this id.", ErrorCode.NOT_FOUND)
    if not comments_are_open(page, settings):
        return page, FieldError(
            "pageId", "Comments are closed on this page.", ErrorCode.INVALID_STATE
        )
    return page, None


async def thread_depth(comment: Comment) -> int:
    """1 for a top-level comment, 2 for a reply to it, and so on."""
    depth, parent_id = 1, comment.parent_id
    while parent_id is not None:
        depth += 1
        row = await Comment.filter(id=parent_id).first().values("parent_id")
        parent_id = row["parent_id"] if row else None
    return depth


async def check_parent(
    parent_id: int | None, page: Page | None, settings: Settings
) -> FieldError | None:
    if parent_id is None or page is None:
        return None
    parent = await Comment.get_or_none(id=parent_id, page_id=page.id, status=CommentStatus.APPROVED)
    if parent is None:
        return FieldError(
            "parentId",
            "You can only reply to an approved comment on the same page.",
            ErrorCode.NOT_FOUND,
        )
    if await thread_depth(parent) >= settings.comment_max_depth:
        return FieldError(
            "parentId",
            f"Replies nest at most {settings.comment_max_depth} levels deep.",
            ErrorCode.INVALID,
        )
    return None
