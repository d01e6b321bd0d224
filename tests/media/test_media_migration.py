"""Migration 0011 (files in the library) on a database that already has images: they
become IMAGE assets, and pages keep them as covers (on SQLite the column changes copy the
table, which would otherwise clear the covers)."""

import json
import os
import subprocess
import sys
import textwrap

from cli_support import REPO

UPGRADE = textwrap.dedent(
    """
    import asyncio, json, sys
    from tortoise import Tortoise
    from tortoise.connection import connections
    from tortoise.migrations.api.migrate import migrate
    from cms.config import Settings
    from cms.db import tortoise_config

    async def main(url):
        config = tortoise_config(Settings(database_url=url))
        await migrate(config=config, target="cms.0010_comment_thread_path")
        await Tortoise.init(config=config)
        db = connections.get("default")
        await db.execute_script(
            "INSERT INTO asset (content_hash, original_name, media_type, size, width, height, "
            "alt, caption, credit, decorative, placeholder, uploader, created_at, updated_at) "
            "VALUES ('abc', 'sky.png', 'image/png', 3, 40, 30, 'Sky', '', '', false, '', 'ed', "
            "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00');"
            "INSERT INTO page (slug, title, status, created_at, updated_at, version, "
            "comments_open, cover_image_id) VALUES ('p', 'P', 'DRAFT', "
            "'2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00', 1, true, "
            "(SELECT id FROM asset));"
        )
        await Tortoise.close_connections()
        await migrate(config=config)
        await Tortoise.init(config=config)
        db = connections.get("default")
        _, pages = await db.execute_query("SELECT cover_image_id FROM page")
        _, assets = await db.execute_query("SELECT id, kind, width, height FROM asset")
        print(json.dumps({"pages": [dict(r) for r in pages], "assets": [dict(r) for r in assets]}))
        await Tortoise.close_connections()

    asyncio.run(main(sys.argv[1]))
    """
)


async def test_images_of_before_files_stay_images_and_covers(database, tmp_path):
    url = await database.new_database_url(tmp_path)
    try:
        result = subprocess.run(
            [sys.executable, "-c", UPGRADE, url],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            env={
                **{k: v for k, v in os.environ.items() if not k.startswith("CMS_")},
                "PYTHONPATH": str(REPO),
            },
        )
    finally:
        await database.drop(url)

    assert result.returncode == 0, result.stderr
    upgraded = json.loads(result.stdout)
    [asset] = upgraded["assets"]
    assert asset | {"id": 0} == {"id": 0, "kind": "image", "width": 40, "height": 30}
    assert upgraded["pages"] == [{"cover_image_id": asset["id"]}]
