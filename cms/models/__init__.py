"""Tortoise ORM models: the content (pages, sections), reader comments and API tokens."""

from cms.models.comment import Comment, CommentStatus
from cms.models.page import Page, PageStatus, Section
from cms.models.token import ApiToken, Role

__all__ = ["ApiToken", "Comment", "CommentStatus", "Page", "PageStatus", "Role", "Section"]
