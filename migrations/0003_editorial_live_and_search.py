from tortoise import fields, migrations
from tortoise.migrations import operations as ops

# The full-text index is not a model: each database has its own kind (an FTS5 virtual table
# on SQLite, a table with a generated tsvector column and a GIN index on PostgreSQL).
# cms/services/search.py keeps it in sync; `scope` is 'live' (what readers see) or 'draft'.
SQLITE_SEARCH = """
CREATE VIRTUAL TABLE search_index USING fts5(
    scope UNINDEXED, page_id UNINDEXED, section_id UNINDEXED, title, body,
    tokenize = 'porter unicode61'
);
"""
POSTGRES_SEARCH = """
CREATE TABLE search_index (
    id SERIAL PRIMARY KEY,
    scope VARCHAR(8) NOT NULL,
    page_id INT NOT NULL,
    section_id INT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    document TSVECTOR GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
    ) STORED
);
CREATE INDEX search_index_document ON search_index USING GIN (document);
CREATE INDEX search_index_scope_page ON search_index (scope, page_id);
"""


async def create_search_index(apps, schema_editor) -> None:
    sql = SQLITE_SEARCH if schema_editor.DIALECT == "sqlite" else POSTGRES_SEARCH
    await schema_editor.client.execute_script(sql)


async def drop_search_index(apps, schema_editor) -> None:
    await schema_editor.client.execute_script("DROP TABLE IF EXISTS search_index;")


class Migration(migrations.Migration):
    dependencies = [("cms", "0002_content_workflow_delivery")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Page",
            name="live_slug",
            field=fields.CharField(null=True, unique=True, max_length=200),
        ),
        ops.AddField(
            model_name="Page",
            name="live_title",
            field=fields.CharField(null=True, max_length=300),
        ),
        ops.RunPython(create_search_index, drop_search_index),
    ]
