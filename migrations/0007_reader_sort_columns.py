from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from cms.models.page import PageStatus

# Two things readers read often, kept by the database so that reading them is one index
# lookup whatever the amount of content.
#
# Readers sort pages by what they see: the live title and the time of the live revision.
# Both are plain columns of the page, kept by publishing (cms/services/publishing.py), so
# each order is one index range (status, key, id). A published page without a live revision
# (published before revisions existed, or written straight to the table) shows its own
# title and time: a trigger keeps its live columns equal to them, whoever writes the row.
#
# How many pages each status has (table page_count, for totalCount), on every page write.
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
# How many pages are in each status, on every write to page.
COUNT_PAGES = "INSERT INTO page_count (status, pages) SELECT status, COUNT(*) FROM page GROUP BY status;"
ADD_PAGE = """INSERT INTO page_count (status, pages) VALUES (NEW.status, 1)
    ON CONFLICT (status) DO UPDATE SET pages = page_count.pages + 1;"""
REMOVE_PAGE = "UPDATE page_count SET pages = pages - 1 WHERE status = OLD.status;"
SQLITE_PAGE_COUNT_TRIGGERS = f"""
CREATE TRIGGER page_count_on_insert AFTER INSERT ON page
BEGIN
    {ADD_PAGE}
END;
CREATE TRIGGER page_count_on_delete AFTER DELETE ON page
BEGIN
    {REMOVE_PAGE}
END;
CREATE TRIGGER page_count_on_update AFTER UPDATE OF status ON page
WHEN OLD.status <> NEW.status
BEGIN
    {REMOVE_PAGE}
    {ADD_PAGE}
END;
"""
POSTGRES_PAGE_COUNT_TRIGGERS = f"""
CREATE FUNCTION page_count_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {REMOVE_PAGE}
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {ADD_PAGE}
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER page_count_on_insert_or_delete AFTER INSERT OR DELETE ON page
FOR EACH ROW EXECUTE FUNCTION page_count_change();
CREATE TRIGGER page_count_on_update AFTER UPDATE OF status ON page
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
EXECUTE FUNCTION page_count_change();
"""
DROP_SQLITE_TRIGGERS = """
DROP TRIGGER IF EXISTS page_own_live_columns_on_insert;
DROP TRIGGER IF EXISTS page_own_live_columns_on_update;
DROP TRIGGER IF EXISTS comment_count_stale_on_insert;
DROP TRIGGER IF EXISTS comment_count_stale_on_update;
DROP TRIGGER IF EXISTS comment_count_stale_on_delete;
DROP TRIGGER IF EXISTS comment_count_gone_with_page;
DROP TRIGGER IF EXISTS page_count_on_insert;
DROP TRIGGER IF EXISTS page_count_on_delete;
DROP TRIGGER IF EXISTS page_count_on_update;
"""
DROP_POSTGRES_TRIGGERS = """
DROP TRIGGER IF EXISTS page_own_live_columns ON page;
DROP FUNCTION IF EXISTS page_own_live_columns();
DROP TRIGGER IF EXISTS comment_count_stale ON comment;
DROP FUNCTION IF EXISTS comment_count_stale();
DROP TRIGGER IF EXISTS comment_count_gone_with_page ON page;
DROP FUNCTION IF EXISTS comment_count_gone_with_page();
DROP TRIGGER IF EXISTS page_count_on_insert_or_delete ON page;
DROP TRIGGER IF EXISTS page_count_on_update ON page;
DROP FUNCTION IF EXISTS page_count_change();
"""


async def create_triggers(apps, schema_editor) -> None:
    sqlite = schema_editor.DIALECT == "sqlite"
    await schema_editor.client.execute_script(BACKFILL)
    await schema_editor.client.execute_script(SQLITE_TRIGGERS if sqlite else POSTGRES_TRIGGERS)
    await schema_editor.client.execute_script(
        SQLITE_COUNT_TRIGGERS if sqlite else POSTGRES_COUNT_TRIGGERS
    )
    await schema_editor.client.execute_script(COUNT_PAGES)
    await schema_editor.client.execute_script(
        SQLITE_PAGE_COUNT_TRIGGERS if sqlite else POSTGRES_PAGE_COUNT_TRIGGERS
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
        ops.CreateModel(
            name="PageCount",
            fields=[
                (
                    "status",
                    fields.CharEnumField(
                        enum_type=PageStatus,
                        primary_key=True,
                        unique=True,
                        db_index=True,
                        description="DRAFT: DRAFT\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED",
                        max_length=16,
                    ),
                ),
                ("pages", fields.IntField(default=0)),
            ],
            options={
                "table": "page_count",
                "app": "cms",
                "pk_attr": "status",
                "table_description": "How many pages are in each status, kept by database "
                "triggers (migration 0007) on",
            },
            bases=["Model"],
        ),
        ops.RunPython(create_triggers, drop_triggers),
    ]
