"""Commenters' personal data: avatars that do not reveal the email, and GDPR requests
(export everything stored about an email address, or erase it)."""

import hashlib

from cms.models import Comment
from cms.services.auth import Viewer, require_admin

AVATAR_BASE_URL = "https://www.gravatar.com/avatar/"
ANONYMOUS_NAME = "Anonymous"


def email_hash(email: str) -> str:
    """SHA-256 of the trimmed, lowercased address: what Gravatar looks avatars up by."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def avatar_url(email: str, size: int = 80) -> str | None:
    """A Gravatar URL (identicon fallback) that reveals only a hash of the email."""
    if not email.strip():
        return None
    return f"{AVATAR_BASE_URL}{email_hash(email)}?s={size}&d=identicon"


async def export_commenter_data(viewer: Viewer | None, email: str) -> list[Comment]:
    """Every comment left with this email, in any status (a GDPR access request)."""
    require_admin(viewer)
    return await Comment.filter(author_email__iexact=email.strip()).order_by("created_at", "id")


async def erase_commenter_data(viewer: Viewer | None, email: str) -> int:
    """Anonymise every comment left with this email (a GDPR erasure request): the name,
    email, website, IP and user agent go; the text stays, as in WordPress. Returns how many."""
    require_admin(viewer)
    if not email.strip():
        return 0
    return await Comment.filter(author_email__iexact=email.strip()).update(
        author_name=ANONYMOUS_NAME,
        author_email="",
        author_url=None,
        author_ip=None,
        author_user_agent=None,
    )
