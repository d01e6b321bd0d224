"""Request ids, JSON logs, Prometheus metrics and the health endpoints."""

import json
import logging

from cms.serving.logging_config import JsonFormatter
from cms.serving.request_context import request_id


async def test_a_client_request_id_is_echoed(client):
    response = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"


async def test_a_request_without_an_id_gets_a_fresh_one(client):
    first, second = await client.get("/healthz"), await client.get("/healthz")
    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_an_unsafe_request_id_is_replaced(client):
    response = await client.get("/healthz", headers={"X-Request-ID": 'a b"<script>'})
    assert response.headers["x-request-id"] != 'a b"<script>'


def test_json_log_lines_carry_the_request_id_and_extra_fields():
    token = request_id.set("req-42")
    try:
        record = logging.LogRecord("cms.access", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
        record.status = 200
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "req-42"
    assert (line["message"], line["status"], line["level"]) == ("GET /x", 200, "info")


async def test_metrics_count_requests_by_route_and_status(client):
    await client.get("/healthz")
    text = (await client.get("/metrics")).text
    assert 'cms_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert "cms_http_request_duration_seconds_bucket" in text


async def test_metrics_count_response_cache_hits_and_misses(client, seeded_page):
    params = {"query": "{ pages(first: 1) { totalCount } }"}
    await client.get("/graphql", params=params)
    await client.get("/graphql", params=params)
    text = (await client.get("/metrics")).text
    assert 'cms_response_cache_lookups_total{result="miss"} 1.0' in text
    assert 'cms_response_cache_lookups_total{result="hit"} 1.0' in text


async def test_metrics_count_client_errors(client):
    await client.post(
        "/graphql", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    text = (await client.get("/metrics")).text
    assert 'cms_http_errors_total{kind="client",route="/graphql"} 1.0' in text


async def test_readyz_answers_ok_while_the_database_answers(client):
    response = await client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
