"""Pages and the tree of sections they are made of."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from cms.models.asset import Asset


class PageStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class Page(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=200, unique=True)
    title = fields.CharField(max_length=300)
    summary = fields.TextField(null=True)
    status = fields.CharEnumField(
        PageStatus, max_length=16, default=PageStatus.DRAFT, db_index=True
    )
    published_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)
    version = fields.IntField(default=1)
    comments_open = fields.BooleanField(default=True)
    # The revision readers are served. A plain column, not a foreign key: a page and its
    # revisions reference each other, and Tortoise cannot create cyclic foreign keys.
    live_revision_id = fields.IntField(null=True)
    # Copies of the live revision's slug and title, so readers find and sort pages by what
    # they can see, not by an editor's unpublished rename. Null while nothing is live.
    live_slug = fields.CharField(max_length=200, null=True, unique=True)
    live_title = fields.CharField(max_length=300, null=True)
    # When the live revision was recorded: the "last updated" readers see and sort by.
    live_updated_at = fields.DatetimeField(null=True)
    # The working copy's cover image (readers see the one their live revision recorded).
    cover_image: fields.ForeignKeyNullableRelation["Asset"] = fields.ForeignKeyField(
        "cms.Asset", related_name="cover_of", null=True, on_delete=fields.SET_NULL
    )

    sections: fields.ReverseRelation["Section"]
    cover_image_id: int | None

    class Meta:
        table = "page"
        # One per order `pages` offers, the id last for keyset cursors: readers' (status
        # first, they only see PUBLISHED) and editors' (all pages).
        indexes = (
            ("status", "published_at", "id"),
            ("status", "created_at", "id"),
            ("status", "updated_at", "id"),
            ("status", "live_title", "id"),
            ("status", "live_updated_at", "id"),
            ("published_at", "id"),
            ("created_at", "id"),
            ("updated_at", "id"),
            ("title", "id"),
        )


class Section(Model):
    id = fields.IntField(primary_key=True)
    page: fields.ForeignKeyRelation[Page] = fields.ForeignKeyField(
        "cms.Page", related_name="sections", on_delete=fields.CASCADE
    )
    parent: fields.ForeignKeyNullableRelation["Section"] = fields.ForeignKeyField(
        "cms.Section", related_name="children", null=True, on_delete=fields.CASCADE
    )
    position = fields.IntField()
    title = fields.CharField(max_length=300, null=True)
    anchor = fields.CharField(max_length=200)
    body = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    page_id: int
    parent_id: int | None

    class Meta:
        table = "section"
        unique_together = (("page", "anchor"),)
        # The second one finds a section's children when it is deleted (the cascade).
        indexes = (("page_id", "parent_id", "position"), ("parent_id",))
        ordering = ("position", "id")


class PageCount(Model):
    """How many pages are in each status, kept by database triggers (migration 0007) on
    every write to ``page``, so that a list's ``totalCount`` is one lookup."""

    status = fields.CharEnumField(PageStatus, max_length=16, primary_key=True)
    pages = fields.IntField(default=0)

    class Meta:
        table = "page_count"
