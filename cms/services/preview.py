"""Preview links: a signed, expiring token that shows one page's working copy, read-only,
to whoever holds it — and nothing else (no other page, no other draft, no writes).

Signed with ``itsdangerous`` (HMAC over the settings' secret key) rather than stored: a
link needs no table, and changing ``CMS_SECRET_KEY`` revokes every link at once.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from itsdangerous import BadSignature, URLSafeSerializer

from cms.config import Settings
from cms.errors import BadRequest, ErrorCode, ValidationFailed
from cms.models import Page
from cms.secret_key import signing_key
from cms.services.auth import Viewer, require_editor

SALT = "cms-preview-link"
# Where the reader site shows a preview (cms/site/preview.py).
PREVIEW_PATH = "/preview/"


@dataclass(frozen=True)
class PreviewLink:
    token: str
    page_id: int
    expires_at: datetime


def preview_url(site_url: str, token: str) -> str:
    """The reader site's page for ``token`` (tokens are URL-safe)."""
    return site_url.rstrip("/") + PREVIEW_PATH + token


def _serializer(settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(signing_key(settings), salt=SALT)


async def create_preview_link(
    viewer: Viewer | None, settings: Settings, page_id: int, expires_in: int
) -> PreviewLink:
    """A token for ``page_id`` valid for ``expires_in`` seconds."""
    require_editor(viewer)
    if not 1 <= expires_in <= settings.preview_max_seconds:
        raise ValidationFailed.single(
            "expiresIn",
            f"Must be between 1 and {settings.preview_max_seconds} seconds.",
            ErrorCode.INVALID,
        )
    if not await Page.exists(id=page_id):
        raise ValidationFailed.single("pageId", "No page with this id.", ErrorCode.NOT_FOUND)
    expires = int(time.time()) + expires_in
    token = _serializer(settings).dumps({"page": page_id, "exp": expires})
    return PreviewLink(token, page_id, datetime.fromtimestamp(expires, UTC))


def page_id_of(settings: Settings, token: str) -> int:
    """The page a preview token shows; an error if it is forged, altered or expired."""
    try:
        data = _serializer(settings).loads(token)
    except BadSignature:
        raise BadRequest("This preview link is not valid.") from None
    if data["exp"] < time.time():
        raise BadRequest("This preview link has expired; ask for a new one.")
    return int(data["page"])
