"""Readers' comments: submitting them, with every rule a comment must pass.

The field checks are in :mod:`comment_rules`, the content-based spam rules in
:mod:`comment_spam`, flood control in :mod:`rate_limit`, form tokens in :mod:`form_tokens`;
moderation is in :mod:`comment_moderation` and GDPR requests in :mod:`commenters`.
"""

from dataclasses import dataclass, field
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from cms.config import Settings
from cms.errors import ValidationFailed
from cms.events import EventBus
from cms.models import Comment, CommentStatus
from cms.services import comment_rules, comment_spam
from cms.services.auth import Viewer
from cms.services.comment_events import publish_moderation
from cms.services.comment_moderation import moderate_comment
from cms.services.comment_rules import CommentSubmission
from cms.services.comment_threads import store_counts
from cms.services.form_tokens import check_form_token, issue_form_token, spend_form_token
from cms.services.rate_limit import CommentRateLimiter
from cms.services.validation import first_error

__all__ = [
    "Client",
    "CommentSubmission",
    "SpamDefences",
    "add_comment",
    "comment_form_token",
    "moderate_comment",
    "visible_comments",
]


@dataclass(frozen=True)
class Client:
    """Where a submission came from; kept with the comment for moderators."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class SpamDefences:
    """The rules that guard public submissions, as configured. Without them (imports,
    trusted callers) only the field, page and reply rules apply."""

    rate_limiter: CommentRateLimiter | None = None
    honeypot: str | None = None
    form_token: str | None = None


@dataclass(frozen=True)
class _Context:
    settings: Settings
    defences: SpamDefences | None
    client: Client = field(default_factory=Client)


def visible_comments(viewer: Viewer | None) -> QuerySet[Comment]:
    """Readers see approved comments only; editors see every status."""
    query = Comment.all()
    if viewer is None or not viewer.is_editor:
        query = query.filter(status=CommentStatus.APPROVED)
    return query


async def _check(submission: CommentSubmission, ctx: _Context) -> None:
    errors = comment_rules.check_fields(submission)
    page, page_error = await comment_rules.check_page(submission.page_id, ctx.settings)
    parent_error = await comment_rules.check_parent(submission.parent_id, page, ctx.settings)
    errors = first_error(*errors, page_error, parent_error)
    if not errors and ctx.defences is not None:
        d, settings = ctx.defences, ctx.settings
        errors = first_error(
            comment_spam.check_honeypot(settings, d.honeypot),
            check_form_token(settings, d.form_token, submission.page_id),
            await comment_spam.check_duplicate(settings, submission),
        )
    if errors:
        raise ValidationFailed(errors)


async def _initial_status(
    submission: CommentSubmission, viewer: Viewer | None, ctx: _Context
) -> CommentStatus:
    verdict = comment_spam.screen(ctx.settings, submission, ctx.client.ip, ctx.client.user_agent)
    if verdict is not None:
        return verdict
    if viewer is not None and viewer.is_editor:
        return CommentStatus.APPROVED
    if ctx.settings.comment_previously_approved and await _vouched_for(submission):
        return CommentStatus.APPROVED
    return CommentStatus.PENDING


async def _vouched_for(submission: CommentSubmission) -> bool:
    """An earlier approved comment under the same name and email vouches for a new one only
    when it carries no link: a name and an email are public or guessable, so anyone can
    send them, and links are what an impersonator is after. A website is allowed when the
    author's approved comments already show that same one."""
    if comment_spam.count_links(submission.body):
        return False
    url = (submission.author_url or "").strip()
    same_site = {"author_url": url} if url else {"author_url__isnull": True}
    return await Comment.filter(
        author_name=submission.author_name.strip(),
        author_email__iexact=submission.author_email.strip(),
        status=CommentStatus.APPROVED,
        **same_site,
    ).exists()


async def add_comment(
    submission: CommentSubmission,
    *,
    settings: Settings,
    viewer: Viewer | None = None,
    client: Client | None = None,
    defences: SpamDefences | None = None,
    events: EventBus | None = None,
) -> Comment:
    """Check a reader's comment against every rule and store it, PENDING unless its author
    is trusted (an editor, or known by an earlier approved comment and sending no link) or
    it looks like spam.

    Raises ValidationFailed for bad input and RateLimited when the client or email is
    commenting too fast; nothing is stored then.
    """
    ctx = _Context(settings=settings, defences=defences, client=client or Client())
    await _check(submission, ctx)
    limiter = defences.rate_limiter if defences is not None else None
    if limiter is not None:
        await limiter.check(client_ip=ctx.client.ip, email=submission.author_email)
    s = submission
    status = await _initial_status(s, viewer, ctx)
    duplicate_key = comment_spam.duplicate_key(settings, s) if defences is not None else None
    async with in_transaction():
        if defences is not None:
            await spend_form_token(settings, defences.form_token)
        comment = await _store(
            duplicate_key,
            page_id=s.page_id,
            parent_id=s.parent_id,
            author_name=s.author_name.strip(),
            author_email=s.author_email.strip(),
            author_url=s.author_url.strip() if s.author_url and s.author_url.strip() else None,
            body=s.body.strip(),
            status=status,
            author_ip=ctx.client.ip,
            author_user_agent=(ctx.client.user_agent or "")[:500] or None,
        )
        if status is CommentStatus.APPROVED:  # readers see it at once: count it
            await store_counts([comment.page_id])
    if limiter is not None:  # only accepted comments count towards the limits
        await limiter.hit(client_ip=ctx.client.ip, email=submission.author_email)
    await publish_moderation(events, comment, previous=None)
    return comment


async def _store(duplicate_key: str | None, **values: Any) -> Comment:
    """Insert the comment; another one with the same duplicate key (stored meanwhile, by a
    submission sent at the same time) makes this one a duplicate."""
    try:
        return await Comment.create(duplicate_key=duplicate_key, **values)
    except IntegrityError:
        if duplicate_key is None:
            raise
        raise ValidationFailed([comment_spam.DUPLICATE_ERROR]) from None


async def comment_form_token(settings: Settings, page_id: int) -> str:
    """A signed token for the comment form of a page that takes comments."""
    _, error = await comment_rules.check_page(page_id, settings)
    if error is not None:
        raise ValidationFailed([error])
    return issue_form_token(settings, page_id)
