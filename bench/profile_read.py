"""Where the time of scenario (a) goes: the seeded page posted N times to the app in this
process (no HTTP server, no load generator), executed every time (Cache-Control: no-cache),
profiled with pyinstrument.

    CMS_DATABASE_URL=sqlite://bench.sqlite3 python -m bench.profile_read [N]

The database must be migrated and seeded (``cms migrate && cms seed``).
"""

import asyncio
import sys
import time

import httpx
from pyinstrument import Profiler
from tortoise import Tortoise

from bench.documents import ARTICLE, SLUG
from cms.app import create_app
from cms.config import Settings
from cms.db import tortoise_config


async def profile(requests: int) -> None:
    settings = Settings(log_level="warning")
    await Tortoise.init(config=tortoise_config(settings), _enable_global_fallback=True)
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    body = {"query": ARTICLE, "variables": SLUG}
    headers = {"Cache-Control": "no-cache"}
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://cms") as client:
            for _ in range(20):  # warm-up: parser and validation caches, pool, imports
                await client.post("/graphql", json=body, headers=headers)
            started = time.perf_counter()
            profiler = Profiler(interval=0.0002, async_mode="enabled")
            profiler.start()
            for _ in range(requests):
                await client.post("/graphql", json=body, headers=headers)
            profiler.stop()
            elapsed = time.perf_counter() - started
    finally:
        await Tortoise.close_connections()
    print(f"{requests} requests, {elapsed / requests * 1000:.2f} ms each (with the profiler)")
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    asyncio.run(profile(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
