"""Spam defences that look at what a comment says: the honeypot, duplicates, links and
word lists (WordPress's "Comment Moderation" and "Disallowed Comment Keys")."""

import hashlib
import re

from cms.config import Settings
from cms.errors import ErrorCode, FieldError
from cms.models import Comment, CommentStatus
from cms.services.comment_rules import CommentSubmission
from cms.services.commenters import canonical_email

HONEYPOT_FIELD = "honeypot"
LINK_PATTERN = re.compile(r"https?://|<a\s", re.IGNORECASE)


def check_honeypot(settings: Settings, honeypot: str | None) -> FieldError | None:
    """The form hides this field from people; only bots fill it in."""
    if settings.comment_honeypot and honeypot:
        return FieldError(HONEYPOT_FIELD, "This field must be left empty.", ErrorCode.INVALID)
    return None


def duplicate_key(settings: Settings, submission: CommentSubmission) -> str | None:
    """What two comments saying the same thing by the same author on the same page share:
    a digest of the page, the canonical email and the trimmed text. None when the duplicate
    rule is off."""
    if not settings.comment_duplicate_check:
        return None
    parts = (
        str(submission.page_id),
        canonical_email(submission.author_email),
        submission.body.strip(),
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


DUPLICATE_ERROR = FieldError(
    "body", "Duplicate comment: you have already said that.", ErrorCode.DUPLICATE
)


async def check_duplicate(settings: Settings, submission: CommentSubmission) -> FieldError | None:
    """The same author (email in any case) saying the same thing on the same page twice
    (trash aside). The unique ``duplicate_key`` makes it hold for comments sent at once."""
    if not settings.comment_duplicate_check:
        return None
    exists = (
        await Comment.filter(
            page_id=submission.page_id,
            author_email__iexact=submission.author_email.strip(),
            body=submission.body.strip(),
        )
        .exclude(status=CommentStatus.TRASH)
        .exists()
    )
    return DUPLICATE_ERROR if exists else None


def count_links(text: str) -> int:
    return len(LINK_PATTERN.findall(text))


def _mentions_any(words: list[str], haystack: str) -> bool:
    return any(word.strip() and word.strip().lower() in haystack for word in words)


def screen(
    settings: Settings,
    submission: CommentSubmission,
    client_ip: str | None,
    user_agent: str | None,
) -> CommentStatus | None:
    """SPAM for a blocklisted word, PENDING when a moderation rule holds the comment back,
    None when nothing in the content objects (the author's standing decides)."""
    s = submission
    haystack = " ".join(
        part or ""
        for part in (s.body, s.author_name, s.author_email, s.author_url, client_ip, user_agent)
    ).lower()
    if _mentions_any(settings.comment_blocklist_words, haystack):
        return CommentStatus.SPAM
    if count_links(s.body) > settings.comment_max_links:
        return CommentStatus.PENDING
    if _mentions_any(settings.comment_moderation_words, haystack):
        return CommentStatus.PENDING
    return None
