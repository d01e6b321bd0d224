"""API tokens for editors and admins; only a hash of each token is stored."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


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

    class Meta:
        table = "api_token"
