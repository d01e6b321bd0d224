from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# Two things readers read often, kept by the database so that reading them is one index
# lookup whatever the amount of content.
#
# Readers sort pages by what they see: the live title and the time of the live revision.
# Both are plain columns of the page, kept by publishing (cms/services/publishing.py), so
# each order is one index range (status, key, id). A published page without a live revision
# (published before revisions existed, or written straight to the table) shows its own
# title and time: a trigger keeps its live columns equal to them, whoever writes the row.
#
# A page's comment counts (table comment_count): the comment services store them, counted,
# with ``fresh`` set; triggers clear ``fresh`` on any other write to the page's comments, so
# a stale count is never read (readers count the thread instead).
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
# A page's comment counts go stale on any write to its comments that can change what
# readers see (an approved comment added or deleted, a status or parent changed); they go
# with their page.
SQLITE_COUNT_TRIGGERS = """
CREATE TRIGGER comment_count_stale_on_insert AFTER INSERT ON comment
WHEN NEW.status = 'APPROVED'
BEGIN
    UPDATE comment_count SET fresh = 0 WHERE page_id = NEW.page_id;
END;
CREATE TRIGGER comment_count_stale_on_update AFTER UPDATE OF status, parent_id, page_id ON comment
BEGIN
    UPDATE comment_count SET fresh = 0 WHERE page_id IN (OLD.page_id, NEW.page_id);
END;
CREATE TRIGGER comment_count_stale_on_delete AFTER DELETE ON comment
WHEN OLD.status = 'APPROVED'
BEGIN
    UPDATE comment_count SET fresh = 0 WHERE page_id = OLD.page_id;
END;
CREATE TRIGGER comment_count_gone_with_page AFTER DELETE ON page
BEGIN
    DELETE FROM comment_count WHERE page_id = OLD.id;
END;
"""
POSTGRES_COUNT_TRIGGERS = """
CREATE FUNCTION comment_count_stale() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR (TG_OP = 'DELETE' AND OLD.status = 'APPROVED') THEN
        UPDATE comment_count SET fresh = false WHERE page_id = OLD.page_id;
    END IF;
    IF TG_OP = 'UPDATE' OR (TG_OP = 'INSERT' AND NEW.status = 'APPROVED') THEN
        UPDATE comment_count SET fresh = false WHERE page_id = NEW.page_id;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER comment_count_stale AFTER INSERT OR DELETE OR UPDATE OF status, parent_id, page_id
ON comment FOR EACH ROW EXECUTE FUNCTION comment_count_stale();
CREATE FUNCTION comment_count_gone_with_page() RETURNS trigger AS $$
BEGIN
    DELETE FROM comment_count WHERE page_id = OLD.id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER comment_count_gone_with_page AFTER DELETE ON page
FOR EACH ROW EXECUTE FUNCTION comment_count_gone_with_page();
"""
DROP_SQLITE_TRIGGERS = """
DROP TRIGGER IF EXISTS page_own_live_columns_on_insert;
DROP TRIGGER IF EXISTS page_own_live_columns_on_update;
DROP TRIGGER IF EXISTS comment_count_stale_on_insert;
DROP TRIGGER IF EXISTS comment_count_stale_on_update;
DROP TRIGGER IF EXISTS comment_count_stale_on_delete;
DROP TRIGGER IF EXISTS comment_count_gone_with_page;
"""
DROP_POSTGRES_TRIGGERS = """
DROP TRIGGER IF EXISTS page_own_live_columns ON page;
DROP FUNCTION IF EXISTS page_own_live_columns();
DROP TRIGGER IF EXISTS comment_count_stale ON comment;
DROP FUNCTION IF EXISTS comment_count_stale();
DROP TRIGGER IF EXISTS comment_count_gone_with_page ON page;
DROP FUNCTION IF EXISTS comment_count_gone_with_page();
"""


async def create_triggers(apps, schema_editor) -> None:
    sqlite = schema_editor.DIALECT == "sqlite"
    await schema_editor.client.execute_script(BACKFILL)
    await schema_editor.client.execute_script(SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS)
    await schema_editor.client.execute_script(
        SQLITE_COUNT_TRIGGERS if sqlite else POSTGRES_COUNT_TRIGGERS
    )


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
        ops.AddIndex(
            model_name="Section",
            index=Index(fields=["parent_id"]),
        ),
        ops.CreateModel(
            name="CommentCount",
            fields=[
                ("page_id", fields.IntField(primary_key=True, unique=True, db_index=True)),
                ("shown", fields.IntField(default=0)),
                ("top_level", fields.IntField(default=0)),
                ("fresh", fields.BooleanField(default=False)),
            ],
            options={
                "table": "comment_count",
                "app": "cms",
                "pk_attr": "page_id",
                "table_description": "How many approved comments readers can reach on a page "
                "(replies included) and how",
            },
            bases=["Model"],
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]
