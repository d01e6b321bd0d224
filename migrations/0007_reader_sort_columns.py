from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# Readers sort pages by what they see: the live title and the time of the live revision.
# Both are plain columns of the page, kept by publishing, so each order is one index range
# (status, key, id). Published pages that predate them get them here: their own title, and
# the live revision's time (their own update time when they have no revision).
BACKFILL = """
UPDATE page SET
    live_title = COALESCE(live_title, title),
    live_updated_at = COALESCE(
        (SELECT revision.created_at FROM revision WHERE revision.id = page.live_revision_id),
        page.updated_at
    )
WHERE status = 'PUBLISHED';
"""


async def backfill_live_columns(apps, schema_editor) -> None:
    await schema_editor.client.execute_script(BACKFILL)


async def nothing_to_undo(apps, schema_editor) -> None:
    """The columns go with the field removal."""


class Migration(migrations.Migration):
    dependencies = [("cms", "0006_read_indexes")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Page",
            name="live_updated_at",
            field=fields.DatetimeField(null=True),
        ),
        ops.AddIndex(
            model_name="Page",
            index=Index(fields=["status", "live_updated_at", "id"]),
        ),
        ops.RunPython(backfill_live_columns, nothing_to_undo),
    ]
