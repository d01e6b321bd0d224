"""Readers' comments on pages."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from cms.models.page import Page
from cms.models.user import User


class CommentStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    SPAM = "SPAM"
    TRASH = "TRASH"


class Comment(Model):
    id = fields.IntField(primary_key=True)
    page: fields.ForeignKeyRelation[Page] = fields.ForeignKeyField(
        "cms.Page", related_name="comments", on_delete=fields.CASCADE
    )
    parent: fields.ForeignKeyNullableRelation["Comment"] = fields.ForeignKeyField(
        "cms.Comment", related_name="replies", null=True, on_delete=fields.CASCADE
    )
    author_name = fields.CharField(max_length=245)
    author_email = fields.CharField(max_length=100)
    author_url = fields.CharField(max_length=200, null=True)
    body = fields.TextField()
    status = fields.CharEnumField(
        CommentStatus, max_length=16, default=CommentStatus.PENDING, db_index=True
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    edited_at = fields.DatetimeField(null=True)
    # The editor who last moderated it (approve, spam, trash, edit), and when; and for a
    # reply written in the studio, the editor who wrote it.
    moderated_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "cms.User", related_name="moderated_comments", null=True, on_delete=fields.SET_NULL
    )
    moderated_at = fields.DatetimeField(null=True)
    author_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "cms.User", related_name="comments", null=True, on_delete=fields.SET_NULL
    )
    # Kept for moderation (spam, abuse); editors only, like the email.
    author_ip = fields.CharField(max_length=45, null=True)
    author_user_agent = fields.CharField(max_length=500, null=True)
    # A digest of page, canonical email and text (comment_spam.duplicate_key), unique so two
    # identical comments sent at once cannot both be stored; cleared when trashed or erased.
    duplicate_key = fields.CharField(max_length=64, null=True, unique=True)

    page_id: int
    parent_id: int | None
    moderated_by_id: int | None
    author_user_id: int | None

    class Meta:
        table = "comment"
        # A page's top-level comments, a comment's replies and the moderation queue, each in
        # keyset order (see cms/services/comment_threads.py).
        indexes = (
            ("page_id", "status", "parent_id", "created_at", "id"),
            ("parent_id", "status", "created_at", "id"),
            ("status", "created_at", "id"),
            ("created_at", "id"),
            ("author_email", "status"),
        )
        ordering = ("created_at", "id")


class CommentFormTokenUse(Model):
    """A comment form token that has posted its comment: each token posts one. Rows older
    than the token lifetime are deleted (their tokens have expired anyway)."""

    token_id = fields.CharField(max_length=32, primary_key=True)
    used_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "comment_form_token_use"
