from datetime import UTC, datetime, timedelta

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# Each comment's place in reading order (cms/services/thread_paths.py): the sort key of
# each comment from the top of its thread down to it, created_at in microseconds and id,
# fixed-width, joined. The comment services set it when they store a comment; existing
# comments get theirs here, parents before their replies.
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _step(created_at: datetime | str, comment_id: int) -> str:
    if isinstance(created_at, str):  # SQLite keeps times as text
        created_at = datetime.fromisoformat(created_at)
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    micros = (created_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros:017d}{comment_id:012d}"


async def backfill(apps, schema_editor) -> None:
    client = schema_editor.client
    _, rows = await client.execute_query("SELECT id, parent_id, created_at FROM comment")
    comments = {row["id"]: row for row in rows}
    paths: dict[int, str] = {}
    for comment_id in comments:
        chain = [comments[comment_id]]
        while chain[-1]["parent_id"] is not None and chain[-1]["parent_id"] not in paths:
            chain.append(comments[chain[-1]["parent_id"]])
        for link in reversed(chain):
            above = paths[link["parent_id"]] if link["parent_id"] is not None else ""
            paths[link["id"]] = above + _step(link["created_at"], link["id"])
    placeholders = ("?", "?") if schema_editor.DIALECT == "sqlite" else ("$1", "$2")
    sql = f"UPDATE comment SET thread_path = {placeholders[0]} WHERE id = {placeholders[1]}"
    if paths:
        await client.execute_many(sql, [[path, comment_id] for comment_id, path in paths.items()])


async def nothing(apps, schema_editor) -> None:
    return None


class Migration(migrations.Migration):
    dependencies = [("cms", "0009_assets")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Comment",
            name="thread_path",
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddIndex(
            model_name="Comment",
            index=Index(fields=["page_id", "status", "thread_path"]),
        ),
        ops.RunPython(backfill, nothing),
    ]
