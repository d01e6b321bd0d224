"""Prometheus metrics: request counts, latencies, errors and response-cache hits.

Each app gets its own registry (tests build many apps). Under several worker processes,
set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory before starting them: prometheus
client's multiprocess mode then adds up every worker's figures in ``/metrics``; without it,
each scrape sees only the worker that answered.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response

MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# Metric labels name routes, never raw paths (which would grow without bound).
KNOWN_ROUTES = frozenset(("/graphql", "/healthz", "/readyz", "/metrics"))


def route_label(path: str) -> str:
    if path in KNOWN_ROUTES:
        return path
    if path.startswith("/static/"):
        return "/static"
    return "other"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "cms_http_requests",
            "HTTP requests answered, by method, route and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "cms_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.errors = Counter(
            "cms_http_errors",
            "HTTP responses with a 4xx (client) or 5xx (server) status, by route.",
            ["route", "kind"],
            registry=self.registry,
        )
        self.cache_lookups = Counter(
            "cms_response_cache_lookups",
            "Response-cache lookups of anonymous GraphQL queries, by result (hit or miss).",
            ["result"],
            registry=self.registry,
        )
        self._cache_hits = self.cache_lookups.labels("hit")
        self._cache_misses = self.cache_lookups.labels("miss")
        self._children: dict[tuple[str, str, int], tuple] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        # labels() costs a lookup under a lock; the few children are kept at hand instead.
        children = self._children.get((method, route, status))
        if children is None:
            children = self._children[(method, route, status)] = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
                self.errors.labels(route, "server" if status >= 500 else "client")
                if status >= 400
                else None,
            )
        count, latency, errors = children
        count.inc()
        latency.observe(seconds)
        if errors is not None:
            errors.inc()

    def cache_lookup(self, hit: bool) -> None:
        (self._cache_hits if hit else self._cache_misses).inc()

    async def endpoint(self, request: Request) -> Response:
        """``GET /metrics`` in Prometheus' text format."""
        registry = self.registry
        if os.environ.get(MULTIPROCESS_DIR_VARIABLE):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
