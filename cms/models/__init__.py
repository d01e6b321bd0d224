"""Tortoise ORM models: content (pages, sections, revisions), comments, tokens, users, delivery."""

from cms.models.asset import Asset, AssetKind
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
from cms.models.user import PasswordLink, User, UserSession
from cms.models.webhook import DeliveryStatus, Webhook, WebhookDelivery

__all__ = [
    "ApiToken",
    "Asset",
    "AssetKind",
    "Comment",
    "CommentCount",
    "CommentFormTokenUse",
    "CommentStatus",
    "DeliveryStatus",
    "Page",
    "PageCount",
    "PageStatus",
    "PasswordLink",
    "PersistedQuery",
    "Revision",
    "RevisionKind",
    "Role",
    "ScheduleState",
    "ScheduledAction",
    "ScheduledJob",
    "Section",
    "User",
    "UserSession",
    "Webhook",
    "WebhookDelivery",
]
