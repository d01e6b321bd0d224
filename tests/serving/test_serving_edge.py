"""The edge every HTTP request passes through: CORS headers merged into the app's own, the
request id in responses and log lines, the access log, metrics of every outcome, and 413s
that carry the same headers as any other response."""

import io
import json
import logging
import os
import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from graphql_support import app_client

from cms.app import create_app
from cms.config import Settings
from cms.serving.logging_config import JsonFormatter
from cms.serving.request_context import chosen_request_id

FRONT_END = "https://www.example.com"
HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
async def cross_origin(database) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(database_url=database.url, cors_origins=[FRONT_END], max_body_bytes=2048)
    async with app_client(settings) as http:
        yield http


# --- CORS ----------------------------------------------------------------------------------


async def test_every_response_varies_by_origin(client):
    response = await client.get("/healthz")
    assert response.headers.get_list("vary") == ["Origin"]


async def test_origin_joins_the_apps_own_vary_header(client):
    response = await client.post("/graphql", json={"query": "{ viewer { name } }"})
    assert response.headers.get_list("vary") == ["Accept, Authorization, Origin"]


async def test_an_allowed_origin_may_read_the_response_and_its_etag(cross_origin):
    response = await cross_origin.get("/healthz", headers={"Origin": FRONT_END})
    assert response.headers.get_list("access-control-allow-origin") == [FRONT_END]
    assert response.headers["access-control-expose-headers"] == "ETag, X-Request-ID"
    assert "access-control-allow-credentials" not in response.headers


async def test_another_origin_is_not_allowed_to_read_the_response(cross_origin):
    response = await cross_origin.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    assert response.headers.get_list("vary") == ["Origin"]


async def test_a_preflight_answer_carries_its_own_cors_headers_once(cross_origin):
    response = await cross_origin.options(
        "/graphql",
        headers={
            "Origin": FRONT_END,
            "Access-Control-Request-Method": "GET",
            "X-Request-ID": "preflight-1",
        },
    )
    assert response.status_code == 200
    assert response.headers.get_list("access-control-allow-origin") == [FRONT_END]
    [vary] = response.headers.get_list("vary")
    assert vary.startswith("Origin, Access-Control-Request-Method")
    assert response.headers["access-control-allow-methods"] == "GET, POST"
    assert response.headers["access-control-max-age"] == "600"
    assert response.headers["x-request-id"] == "preflight-1"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_an_options_request_that_is_not_a_preflight_reaches_the_app(cross_origin):
    response = await cross_origin.options("/graphql", headers={"Origin": FRONT_END})
    assert response.status_code == 405
    assert response.headers["access-control-allow-origin"] == FRONT_END


# --- body size limit -----------------------------------------------------------------------


async def test_a_413_carries_the_request_id_cors_and_security_headers(cross_origin):
    response = await cross_origin.post(
        "/graphql",
        json={"query": "{ viewer { name } }", "variables": {"padding": "x" * 3000}},
        headers={"Origin": FRONT_END, "X-Request-ID": "too-big-1"},
    )
    assert response.status_code == 413
    assert response.headers["x-request-id"] == "too-big-1"
    assert response.headers["access-control-allow-origin"] == FRONT_END
    assert response.headers["x-content-type-options"] == "nosniff"
    text = (await cross_origin.get("/metrics")).text
    assert 'cms_http_requests_total{method="POST",route="/graphql",status="413"} 1.0' in text


# --- request ids and the access log ----------------------------------------------------------


async def test_fresh_request_ids_are_32_hex_digits(client):
    ids = {(await client.get("/healthz")).headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3
    assert all(HEX_ID.fullmatch(rid) for rid in ids)


async def test_an_overlong_request_id_is_replaced(client):
    response = await client.get("/healthz", headers={"X-Request-ID": "a" * 129})
    assert HEX_ID.fullmatch(response.headers["x-request-id"])


def test_a_forked_worker_makes_ids_of_its_own():
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(write_end, chosen_request_id(None).encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    childs_id = os.read(read_end, 64).decode()
    os.close(read_end)
    parents_id = chosen_request_id(None)
    assert HEX_ID.fullmatch(childs_id)
    assert childs_id[:16] != parents_id[:16]


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    """The access log as `cms serve` writes it: JSON lines."""
    logger, lines = logging.getLogger("cms.access"), io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.setFormatter(JsonFormatter())
    previous_level = logger.level
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(previous_level)


async def test_each_request_writes_one_access_log_line_with_its_id(client, access_log):
    logging.getLogger("cms.access").setLevel(logging.INFO)
    response = await client.get("/healthz", headers={"X-Request-ID": "logged-1"})
    [line] = [json.loads(text) for text in access_log.getvalue().splitlines()]
    assert (line["request_id"], line["method"], line["path"], line["status"]) == (
        "logged-1",
        "GET",
        "/healthz",
        200,
    )
    assert line["duration_ms"] >= 0
    assert response.status_code == 200


async def test_no_access_log_below_info(client, access_log):
    logging.getLogger("cms.access").setLevel(logging.WARNING)
    await client.get("/healthz")
    assert access_log.getvalue() == ""


# --- failures ------------------------------------------------------------------------------


async def test_an_unhandled_exception_is_counted_as_a_server_error(settings):
    app = create_app(settings, manage_database=False)
    router = app.router

    async def failing_router(scope, receive, send):
        if scope["path"] == "/boom":
            raise RuntimeError("boom")
        await router(scope, receive, send)

    app.router = failing_router
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://cms.test") as http:
        assert (await http.get("/boom")).status_code == 500
        text = (await http.get("/metrics")).text
    assert 'cms_http_requests_total{method="GET",route="other",status="500"} 1.0' in text
    assert 'cms_http_errors_total{kind="server",route="other"} 1.0' in text
