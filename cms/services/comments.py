"""Readers' comments: submitting them and moderating them."""

from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from tortoise.queryset import QuerySet

from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.models import Comment, CommentStatus, Page, PageStatus
from cms.services.auth import Viewer, require_editor
from cms.services.validation import check_length, check_required, first_error

# WordPress's column sizes, so comments imported from WordPress always fit.
AUTHOR_NAME_MAX = 245
AUTHOR_EMAIL_MAX = 100
AUTHOR_URL_MAX = 200
BODY_MAX = 65_525


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


def visible_comments(viewer: Viewer | None) -> QuerySet[Comment]:
    """Readers see approved comments only; editors see every status."""
    query = Comment.all()
    if viewer is None or not viewer.is_editor:
        query = query.filter(status=CommentStatus.APPROVED)
    return query


async def add_comment(
    *,
    page_id: int,
    author_name: str,
    author_email: str,
    body: str,
    author_url: str | None = None,
    parent_id: int | None = None,
) -> Comment:
    """Store a reader's comment as PENDING, after checking every field."""
    errors = first_error(
        check_required("authorName", author_name),
        check_length("authorName", author_name, AUTHOR_NAME_MAX),
        check_required("authorEmail", author_email),
        check_length("authorEmail", author_email, AUTHOR_EMAIL_MAX),
        check_email("authorEmail", author_email),
        check_length("authorUrl", author_url, AUTHOR_URL_MAX),
        check_url("authorUrl", author_url),
        check_required("body", body),
        check_length("body", body, BODY_MAX),
    )
    page = await Page.get_or_none(id=page_id, status=PageStatus.PUBLISHED)
    if page is None:
        errors.append(FieldError("pageId", "No page with this id.", ErrorCode.NOT_FOUND))
    if parent_id is not None and page is not None:
        parent = await Comment.get_or_none(
            id=parent_id, page_id=page.id, status=CommentStatus.APPROVED
        )
        if parent is None:
            errors.append(
                FieldError(
                    "parentId",
                    "You can only reply to an approved comment on the same page.",
                    ErrorCode.NOT_FOUND,
                )
            )
    if errors:
        raise ValidationFailed(errors)
    url = author_url.strip() if author_url and author_url.strip() else None
    return await Comment.create(
        page_id=page_id,
        parent_id=parent_id,
        author_name=author_name.strip(),
        author_email=author_email.strip(),
        author_url=url,
        body=body.strip(),
    )


async def moderate_comment(
    viewer: Viewer | None, comment_id: int, status: CommentStatus
) -> Comment:
    """Set a comment's status (approve, mark as spam, trash, or back to pending)."""
    require_editor(viewer)
    comment = await Comment.get_or_none(id=comment_id)
    if comment is None:
        raise ValidationFailed.single("id", "No comment with this id.", ErrorCode.NOT_FOUND)
    comment.status = status
    await comment.save(update_fields=["status"])
    return comment
