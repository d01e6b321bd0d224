"""Persisted GraphQL documents, addressed by their SHA-256 (Apollo APQ and allow-lists)."""

from tortoise import fields
from tortoise.models import Model


class PersistedQuery(Model):
    id = fields.IntField(primary_key=True)
    sha256 = fields.CharField(max_length=64, unique=True)
    document = fields.TextField()
    allow_listed = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "persisted_query"
