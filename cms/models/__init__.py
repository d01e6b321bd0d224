"""Tortoise ORM models: content (pages, sections, revisions), comments, tokens, delivery."""

from cms.models.comment import Comment, CommentCount, CommentFormTokenUse, CommentStatus
from cms.models.page import Page, PageCount, PageStatus, Section
from cms.models.persisted_query import PersistedQuery
from cms.models.revision import (
    Revision,
    RevisionKind,
    ScheduledAction,
    ScheduledJob,
    ScheduleState,
)
from cms.models.token import ApiToken, Role
from cms.models.webhook import DeliveryStatus, Webhook, WebhookDelivery

__all__ = [
    "ApiToken",
    "Comment",
    "CommentCount",
    "CommentFormTokenUse",
    "CommentStatus",
    "DeliveryStatus",
    "Page",
    "PageCount",
    "PageStatus",
    "PersistedQuery",
    "Revision",
    "RevisionKind",
    "Role",
    "ScheduleState",
    "ScheduledAction",
    "ScheduledJob",
    "Section",
    "Webhook",
    "WebhookDelivery",
]
