from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from cms.models.asset import AssetKind

# Files besides images (issue 15): a kind (existing assets are images: the column's
# database default), no pixel size for files, and room for the long Office media types.
#
# On SQLite, Tortoise alters a column by copying the table into a new one and dropping the
# old: the copy loses the table's other indexes, and the drop sets pages' cover_image_id to
# NULL (the foreign key's ON DELETE SET NULL). The covers are kept aside first, and the
# indexes and covers put back after. PostgreSQL alters columns in place.
COVERS = "asset_files_kept_covers"
KEPT_INDEXES = (("created_at", "id"), ("media_type", "created_at", "id"))


async def keep_covers(apps, schema_editor) -> None:
    if schema_editor.DIALECT == "sqlite":
        await schema_editor.client.execute_script(
            f"CREATE TABLE {COVERS} AS SELECT id, cover_image_id FROM page "
            "WHERE cover_image_id IS NOT NULL"
        )


async def restore_indexes_and_covers(apps, schema_editor) -> None:
    if schema_editor.DIALECT != "sqlite":
        return
    asset = apps.get_model("cms.Asset")
    for index_fields in KEPT_INDEXES:
        await schema_editor.add_index(asset, Index(fields=index_fields))
    await schema_editor.client.execute_script(
        f"UPDATE page SET cover_image_id = (SELECT k.cover_image_id FROM {COVERS} k "
        f"WHERE k.id = page.id) WHERE id IN (SELECT id FROM {COVERS}); DROP TABLE {COVERS}"
    )


async def nothing(apps, schema_editor) -> None:
    return None


class Migration(migrations.Migration):
    dependencies = [("cms", "0010_comment_thread_path")]

    initial = False

    operations = [
        ops.RunPython(keep_covers, nothing),
        ops.AlterField(
            model_name="Asset",
            name="height",
            field=fields.IntField(null=True),
        ),
        ops.AlterField(
            model_name="Asset",
            name="media_type",
            field=fields.CharField(max_length=255),
        ),
        ops.AlterField(
            model_name="Asset",
            name="width",
            field=fields.IntField(null=True),
        ),
        ops.RunPython(restore_indexes_and_covers, nothing),
        ops.AddField(
            model_name="Asset",
            name="kind",
            field=fields.CharEnumField(
                default=AssetKind.IMAGE,
                description="IMAGE: image\nFILE: file",
                db_default=AssetKind.IMAGE,
                enum_type=AssetKind,
                max_length=8,
            ),
        ),
        ops.AddIndex(
            model_name="Asset",
            index=Index(fields=["kind", "created_at", "id"]),
        ),
    ]
