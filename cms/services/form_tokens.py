"""Signed comment-form tokens: proof that a form was fetched, for which page and when.

A bot that posts straight to the API has no token; one that fetches a token and submits
at once is faster than any human and is refused until ``comment_form_min_seconds`` pass.
"""

from datetime import UTC, datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cms.config import Settings
from cms.errors import ErrorCode, FieldError
from cms.secret_key import signing_key

SALT = "cms.comment-form"
FIELD = "formToken"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_key(settings), salt=SALT)


def issue_form_token(settings: Settings, page_id: int) -> str:
    """A token for the comment form of one page, stamped with the time it was issued."""
    return _serializer(settings).dumps({"page": page_id})


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
    if not isinstance(data, dict) or data.get("page") != page_id:
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
