"""API tokens for editors and admins; only a hash of each token is stored."""

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from cms.models.user import User


class Role(StrEnum):
    EDITOR = "EDITOR"
    ADMIN = "ADMIN"


class ApiToken(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    role = fields.CharEnumField(Role, max_length=16)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked = fields.BooleanField(default=False)
    # Whose token it is; null for tokens made before there were users (`cms token create`).
    user: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "cms.User", related_name="api_tokens", null=True, on_delete=fields.SET_NULL
    )

    user_id: int | None

    class Meta:
        table = "api_token"
