"""Commenters' personal data: avatars that do not reveal the email, and GDPR requests
(export everything stored about an email address, or erase it).

Avatars are Gravatar *identicons* of a hash keyed by the site secret (HMAC-SHA256), not
Gravatar's plain SHA-256 of the email: anyone can compute the plain hash of a guessed
address and so confirm a commenter's email offline (and then impersonate them). The price
is that Gravatar cannot match the keyed hash to a profile, so commenters get a generated
pattern, stable on this site, instead of their Gravatar photo.
"""

import hashlib
import hmac

from cms.models import Comment
from cms.services.auth import Viewer, require_admin

AVATAR_BASE_URL = "https://www.gravatar.com/avatar/"
AVATAR_KEY_PURPOSE = b"cms.avatar:"
ANONYMOUS_NAME = "Anonymous"


def canonical_email(email: str) -> str:
    """The form two spellings of one address share: trimmed and lowercased."""
    return email.strip().lower()


def email_hash(secret_key: str, email: str) -> str:
    """HMAC-SHA256 of the canonical address under the site secret: only this site can
    compute it, so it cannot be checked against a guessed email."""
    key = AVATAR_KEY_PURPOSE + secret_key.encode()
    return hmac.new(key, canonical_email(email).encode(), hashlib.sha256).hexdigest()


def avatar_url(secret_key: str, email: str, size: int = 80) -> str | None:
    """A Gravatar identicon (forced: ``f=y``) for the keyed hash of the email."""
    if not email.strip():
        return None
    return f"{AVATAR_BASE_URL}{email_hash(secret_key, email)}?s={size}&d=identicon&f=y"


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
        duplicate_key=None,
    )
