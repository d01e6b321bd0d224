from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from cms.models.comment import CommentStatus
from cms.models.page import PageStatus
from cms.models.token import Role


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=100)),
                (
                    "role",
                    fields.CharEnumField(
                        description="EDITOR: EDITOR\nADMIN: ADMIN", enum_type=Role, max_length=16
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                (
                    "last_used_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("revoked", fields.BooleanField(default=False)),
            ],
            options={"table": "api_token", "app": "cms", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Page",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("slug", fields.CharField(unique=True, max_length=200)),
                ("title", fields.CharField(max_length=300)),
                ("summary", fields.TextField(null=True, unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=PageStatus.DRAFT,
                        db_index=True,
                        description="DRAFT: DRAFT\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED",
                        enum_type=PageStatus,
                        max_length=16,
                    ),
                ),
                (
                    "published_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("version", fields.IntField(default=1)),
            ],
            options={"table": "page", "app": "cms", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Comment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "page",
                    fields.ForeignKeyField(
                        "cms.Page",
                        source_field="page_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="comments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "cms.Comment",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="replies",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("author_name", fields.CharField(max_length=245)),
                ("author_email", fields.CharField(max_length=100)),
                ("author_url", fields.CharField(null=True, max_length=200)),
                ("body", fields.TextField(unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        default=CommentStatus.PENDING,
                        db_index=True,
                        description="PENDING: PENDING\nAPPROVED: APPROVED\nSPAM: SPAM\nTRASH: TRASH",
                        enum_type=CommentStatus,
                        max_length=16,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "comment", "app": "cms", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Section",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "page",
                    fields.ForeignKeyField(
                        "cms.Page",
                        source_field="page_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sections",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "parent",
                    fields.ForeignKeyField(
                        "cms.Section",
                        source_field="parent_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="children",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.IntField()),
                ("title", fields.CharField(null=True, max_length=300)),
                ("anchor", fields.CharField(max_length=200)),
                ("body", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={
                "table": "section",
                "app": "cms",
                "unique_together": (("page", "anchor"),),
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
    ]
