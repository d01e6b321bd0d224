"""Production runs several processes: two real uvicorn servers sharing one database and one
media directory — and one Redis, or only the directory's file locks — asked at the same
moment for the same new rendition make it once between them. Each server logs every render
it makes (``rendered <key>``) to its own output file; the test counts those lines."""

import asyncio
import os
import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
import pyvips
from live_server import ServerProcess, free_port, server_process, uvicorn_command

from cms.media.storage import rendition_key
from media.media_support import rendition_url, upload

REQUESTS_PER_SERVER = 8


def noisy_photo() -> bytes:
    """A 2400x1600 JPEG of noise, new each time: a render long enough for the requests at
    both servers to overlap, under a content hash no earlier run has seen."""
    noise = pyvips.Image.gaussnoise(2400, 1600, sigma=40, mean=random.randint(60, 190))
    return noise.bandjoin([noise, noise]).cast("uchar").jpegsave_buffer(Q=90)


@contextmanager
def two_servers(env: dict[str, str], logs: Path) -> Iterator[list[ServerProcess]]:
    with ExitStack() as stack:
        servers = []
        for name in ("first", "second"):
            port = free_port()
            servers.append(
                stack.enter_context(
                    server_process(
                        uvicorn_command(port),
                        port=port,
                        env=env,
                        ready_path="/healthz",
                        output=logs / f"{name}.log",
                    )
                )
            )
        yield servers


@pytest.mark.parametrize("shared", ["redis", "file lock"])
async def test_two_processes_asked_at_once_render_a_new_rendition_once(
    http, media_settings, editor_token, tmp_path, shared, request
):
    asset = (await upload(http, noisy_photo(), "noise.jpg", editor_token))["asset"]
    url = await rendition_url(http, editor_token, asset["id"], width=1600, format="WEBP")
    key = rendition_key(asset["contentHash"], url.split("/")[3], "webp")
    env = {name: value for name, value in os.environ.items() if not name.startswith("CMS_")}
    env |= {
        "CMS_DATABASE_URL": media_settings.database_url,
        "CMS_MEDIA_ROOT": str(media_settings.media_root),
        "CMS_SECRET_KEY_FILE": os.environ["CMS_SECRET_KEY_FILE"],  # signs the same URLs
        "CMS_LOG_LEVEL": "info",
    }
    if shared == "redis":
        env["CMS_REDIS_URL"] = request.getfixturevalue("own_redis").url

    with two_servers(env, tmp_path) as servers:
        async with httpx.AsyncClient(timeout=60) as client:
            responses = await asyncio.gather(
                *(
                    client.get(server.base_url + url)
                    for _ in range(REQUESTS_PER_SERVER)
                    for server in servers
                )
            )
        outputs = [server.output() for server in servers]

    assert {response.status_code for response in responses} == {200}
    assert len({response.content for response in responses}) == 1
    renders = [output.count(f"rendered {key}") for output in outputs]
    assert sum(renders) == 1, renders
