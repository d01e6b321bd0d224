from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# Readers sort pages by what they see: the live title and the time of the live revision.
# Both are plain columns of the page, kept by publishing (cms/services/publishing.py), so
# each order is one index range (status, key, id). A published page without a live revision
# (published before revisions existed, or written straight to the table) shows its own
# title and time: a trigger keeps its live columns equal to them, whoever writes the row.
BACKFILL = """
UPDATE page SET
    live_title = COALESCE(live_title, title),
    live_updated_at = COALESCE(
        (SELECT revision.created_at FROM revision WHERE revision.id = page.live_revision_id),
        page.updated_at
    )
WHERE status = 'PUBLISHED';
"""
SQLITE_TRIGGERS = """
CREATE TRIGGER page_own_live_columns_on_insert AFTER INSERT ON page
WHEN NEW.status = 'PUBLISHED' AND NEW.live_revision_id IS NULL
BEGIN
    UPDATE page SET live_title = NEW.title, live_updated_at = NEW.updated_at WHERE id = NEW.id;
END;
CREATE TRIGGER page_own_live_columns_on_update
AFTER UPDATE OF status, title, updated_at, live_revision_id ON page
WHEN NEW.status = 'PUBLISHED' AND NEW.live_revision_id IS NULL
BEGIN
    UPDATE page SET live_title = NEW.title, live_updated_at = NEW.updated_at WHERE id = NEW.id;
END;
"""
POSTGRES_TRIGGERS = """
CREATE FUNCTION page_own_live_columns() RETURNS trigger AS $$
BEGIN
    IF NEW.status = 'PUBLISHED' AND NEW.live_revision_id IS NULL THEN
        NEW.live_title := NEW.title;
        NEW.live_updated_at := NEW.updated_at;
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER page_own_live_columns BEFORE INSERT OR UPDATE ON page
FOR EACH ROW EXECUTE FUNCTION page_own_live_columns();
"""
DROP_SQLITE_TRIGGERS = """
DROP TRIGGER IF EXISTS page_own_live_columns_on_insert;
DROP TRIGGER IF EXISTS page_own_live_columns_on_update;
"""
DROP_POSTGRES_TRIGGERS = """
DROP TRIGGER IF EXISTS page_own_live_columns ON page;
DROP FUNCTION IF EXISTS page_own_live_columns();
"""


async def fill_live_columns(apps, schema_editor) -> None:
    sqlite = schema_editor.DIALECT == "sqlite"
    await schema_editor.client.execute_script(BACKFILL)
    await schema_editor.client.execute_script(SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS)


async def drop_triggers(apps, schema_editor) -> None:
    sqlite = schema_editor.DIALECT == "sqlite"
    await schema_editor.client.execute_script(
        DROP_SQLITE_TRIGGERS if sqlite else DROP_POSTGRES_TRIGGERS
    )


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
        ops.RunPython(fill_live_columns, drop_triggers),
    ]
