"""Readers' comments on pages."""

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from cms.models.page import Page
from cms.models.user import User

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TIME_WIDTH = 17
ID_WIDTH = 12
STEP_WIDTH = TIME_WIDTH + ID_WIDTH


def thread_step(created_at: datetime, comment_id: int) -> str:
    """One comment's step of a thread path (see Comment.thread_path): its created_at in
    microseconds since 1970 and its id, each fixed-width."""
    micros = (created_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros:0{TIME_WIDTH}d}{comment_id:0{ID_WIDTH}d}"


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
    # Its place in reading order: the thread_step of each comment from the top of its
    # thread down to it, joined, so that comparing paths as text orders a page's comments
    # depth first (each followed by its replies, oldest first). Parent and creation time
    # never change, so it is set once, when the comment is stored (bulk inserts: see
    # cms/services/thread_paths.py).
    thread_path = fields.TextField(null=True)

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
            ("page_id", "status", "thread_path"),
        )
        ordering = ("created_at", "id")

    async def save(self, *args: Any, **kwargs: Any) -> None:
        await super().save(*args, **kwargs)
        if self.thread_path is None:
            above = ""
            if self.parent_id is not None:
                parent = await Comment.filter(id=self.parent_id).values_list(
                    "thread_path", flat=True
                )
                above = parent[0] or "" if parent else ""
            self.thread_path = above + thread_step(self.created_at, self.id)
            await Comment.filter(id=self.id).update(thread_path=self.thread_path)


class CommentFormTokenUse(Model):
    """A comment form token that has posted its comment: each token posts one. Rows older
    than the token lifetime are deleted (their tokens have expired anyway)."""

    token_id = fields.CharField(max_length=32, primary_key=True)
    used_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "comment_form_token_use"


class CommentCount(Model):
    """How many approved comments readers can reach on a page (replies included) and how
    many of them are top-level, as last counted by a comment service. Any write to a
    page's comments clears ``fresh`` (database triggers, migration 0007), whoever makes it;
    readers then count the thread itself (cms/services/comment_threads.py)."""

    page_id = fields.IntField(primary_key=True)
    shown = fields.IntField(default=0)
    top_level = fields.IntField(default=0)
    fresh = fields.BooleanField(default=False)

    class Meta:
        table = "comment_count"
