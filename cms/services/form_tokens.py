"""Signed comment-form tokens: proof that a form was fetched, for which page and when.

A bot that posts straight to the API has no token; one that fetches a token and submits
at once is faster than any human and is refused until ``comment_form_min_seconds`` pass.
Each token carries a random id and posts one comment: the id is recorded, in the same
transaction as the comment, and a second comment with it is refused.
"""

import secrets
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from tortoise.exceptions import IntegrityError
from tortoise.timezone import now

from cms.config import Settings
from cms.errors import ErrorCode, FieldError, ValidationFailed
from cms.models import CommentFormTokenUse
from cms.secret_key import signing_key

SALT = "cms.comment-form"
FIELD = "formToken"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key(settings), salt=SALT)


def issue_form_token(settings: Settings, page_id: int) -> str:
    """A token for the comment form of one page, stamped with the time it was issued."""
    return _serializer(settings).dumps({"page": page_id, "id": secrets.token_urlsafe(12)})


def check_form_token(settings: Settings, token: str | None, page_id: int) -> FieldError | None:
    """None if the token is valid for this page and old enough; otherwise why not."""
    if not settings.comment_form_token_required:
        return None
    if not token:
        return FieldError(
            FIELD, "Fetch a token with commentFormToken(pageId) first.", ErrorCode.REQUIRED
        )
    try:
        data, issued_at = _serializer(settings).loads(
            token, max_age=settings.comment_form_max_age_seconds, return_timestamp=True
        )
    except SignatureExpired:
        return FieldError(FIELD, "The form has expired; reload it.", ErrorCode.INVALID)
    except BadSignature:
        return FieldError(FIELD, "Not a valid comment form token.", ErrorCode.INVALID)
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return FieldError(FIELD, "Not a valid comment form token.", ErrorCode.INVALID)
    if data.get("page") != page_id:
        return FieldError(FIELD, "This token is for another page's form.", ErrorCode.INVALID)
    age = (datetime.now(UTC) - issued_at).total_seconds()
    wait = settings.comment_form_min_seconds - age
    if wait > 0:
        return FieldError(
            FIELD,
            f"Submitted too quickly; wait {wait:.1f} more seconds and send it again.",
            ErrorCode.TOO_SOON,
        )
    return None


async def spend_form_token(settings: Settings, token: str | None) -> None:
    """Record that a valid token (checked by :func:`check_form_token`) posted its comment;
    raise ValidationFailed if it already had. Call it in the comment's transaction."""
    if not settings.comment_form_token_required or not token:
        return
    token_id = _serializer(settings).loads(token)["id"]
    max_age = timedelta(seconds=settings.comment_form_max_age_seconds)
    await CommentFormTokenUse.filter(used_at__lt=now() - max_age).delete()
    try:
        await CommentFormTokenUse.create(token_id=token_id)
    except IntegrityError:
        raise ValidationFailed.single(
            FIELD,
            "This form has already posted a comment; reload it to write another.",
            ErrorCode.INVALID,
        ) from None
