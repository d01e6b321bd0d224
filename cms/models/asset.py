"""Media library assets: uploaded images and files, stored once per content hash."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class AssetKind(StrEnum):
    """Images are shown (renditions, figures); files are offered as downloads."""

    IMAGE = "image"
    FILE = "file"


class Asset(Model):
    id = fields.IntField(primary_key=True)
    # sha256 of the bytes: the same file uploaded twice is one asset, stored once.
    content_hash = fields.CharField(max_length=64, unique=True)
    original_name = fields.CharField(max_length=255)
    # Detected from the bytes, never taken from the name or the upload's header.
    media_type = fields.CharField(max_length=255)
    # A database default too: the rows of before files existed are images.
    kind = fields.CharEnumField(
        AssetKind, max_length=8, default=AssetKind.IMAGE, db_default=AssetKind.IMAGE
    )
    size = fields.IntField()
    # Images only: files have no pixels.
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    alt = fields.TextField(default="")
    caption = fields.TextField(default="")
    credit = fields.CharField(max_length=300, default="")
    # Purely decorative images have no alt text (screen readers skip them).
    decorative = fields.BooleanField(default=False)
    # Where the subject is, 0-1 from the left and from the top; null: let the crop decide.
    focal_x = fields.FloatField(null=True)
    focal_y = fields.FloatField(null=True)
    # A tiny WebP as a data: URI, shown while the image loads; empty for files.
    placeholder = fields.TextField(default="")
    uploader = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "asset"
        # The library's orders, the id last for keyset cursors: newest first, by type, by
        # kind (images or files).
        indexes = (
            ("created_at", "id"),
            ("media_type", "created_at", "id"),
            ("kind", "created_at", "id"),
        )
