"""The media tests' fixtures: an app whose media storage is a temporary directory or a
bucket on a real S3-compatible server (moto_server, a process started here), and a Redis
of the test's own (render locks)."""

import os
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import boto3
import httpx
import pytest
from live_server import free_port, server_process
from redis_server import RedisServer, redis_server
from starlette.applications import Starlette

from cms.app import create_app
from cms.config import Settings
from cms.media.storage import MediaStorage, open_storage

S3_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "media-tests",
    "AWS_SECRET_ACCESS_KEY": "media-tests-secret",
    "AWS_REGION": "us-east-1",
}


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real S3-compatible server on loopback (moto in server mode, its own process), and
    the AWS_* credentials the app's S3 client reads from the environment."""
    port = free_port()
    command = [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1"]
    saved = {name: os.environ.get(name) for name in S3_CREDENTIALS}
    os.environ.update(S3_CREDENTIALS)
    output = tmp_path_factory.mktemp("moto") / "moto.log"
    with server_process(
        [*command, "-p", str(port)],
        port=port,
        env=dict(os.environ),
        ready_path="/moto-api/",
        output=output,
    ) as server:
        yield server.base_url
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def storage_kind() -> str:
    """Where media go: "local" unless a module parametrises it with "s3" too."""
    return "local"


@pytest.fixture
def media_settings(
    settings: Settings, storage_kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Settings:
    if storage_kind == "local":
        return settings.model_copy(update={"media_root": tmp_path / "media"})
    endpoint = request.getfixturevalue("moto_endpoint")
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    return settings.model_copy(
        update={"media_url": f"s3://{bucket}/cms", "media_s3_endpoint": endpoint}
    )


@pytest.fixture
def media_app(media_settings: Settings) -> Starlette:
    return create_app(media_settings, manage_database=False)


@pytest.fixture
async def http(media_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=media_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as client:
        yield client


@pytest.fixture
def storage(media_settings: Settings) -> MediaStorage:
    """The app's storage, opened again: what is really stored."""
    return open_storage(media_settings)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis server of this test's own: no other test's flush reaches its locks."""
    directory = tmp_path / "redis"
    directory.mkdir()
    with redis_server(directory) as server:
        yield server
