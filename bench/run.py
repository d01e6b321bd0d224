"""`make bench`: the API served as in production (uvicorn, one worker, log level warning),
driven by wrk over loopback for a few seconds per scenario, on SQLite and PostgreSQL, next
to a hand-written ceiling (bench/ceiling.py) and a static response. Prints a table.

    python -m bench.run [--duration 6] [--connections 16] [--databases sqlite,postgres]
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from bench.documents import ADD_COMMENT, ARTICLE, PAGES, SLUG
from bench.floor import execution_floor

POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
STATIC_BEHIND = "static JSON, CMS middleware"
# Production settings, with the comment defences that would refuse a flood of writes off.
SERVER_ENV = {
    "CMS_LOG_LEVEL": "warning",
    "CMS_COMMENT_RATE_LIMITS": "",
    "CMS_COMMENT_FORM_TOKEN_REQUIRED": "false",
    "CMS_COMMENT_DUPLICATE_CHECK": "false",
    "CMS_COMMENT_PREVIOUSLY_APPROVED": "false",
}


@dataclass
class Result:
    database: str
    scenario: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def cms(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-c", "from cms.cli import main; main()", *args],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(app: str, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(
                    f"{base}/healthz" if app.startswith("cms") else f"{base}/static", timeout=1
                )
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{app} did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def lua_post(directory: Path, name: str, body: dict, fresh: bool = False) -> Path:
    """A wrk script posting ``body``; ``fresh`` asks the server not to answer from its
    response cache (Cache-Control: no-cache), so the query is executed every time."""
    script = directory / f"{name}.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(body))}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        + ('wrk.headers["Cache-Control"] = "no-cache"\n' if fresh else "")
    )
    return script


def parse_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    url: str, duration: int, connections: int, script: Path | None = None
) -> tuple[float, float, float, int]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = parse_ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = parse_ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return rps, p50, p99, int(non_2xx.group(1)) if non_2xx else 0


async def create_postgres_database() -> str:
    name = f"cms_bench_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(POSTGRES_SERVER.replace("postgres://", "postgresql://", 1))
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(POSTGRES_SERVER)._replace(path=f"/{name}"))


async def drop_postgres_database(url: str) -> None:
    name = urllib.parse.urlsplit(url).path.lstrip("/")
    connection = await asyncpg.connect(POSTGRES_SERVER.replace("postgres://", "postgresql://", 1))
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.close()


def bench_database(kind: str, url: str, args: argparse.Namespace, scratch: Path) -> list[Result]:
    env = {**os.environ, **SERVER_ENV, "CMS_DATABASE_URL": url}
    cms(env, "migrate")
    cms(env, "seed")
    results: list[Result] = []
    with server("cms.asgi:app", env) as api, server("bench.ceiling:app", env) as ceiling:
        for query in (ARTICLE, PAGES):  # every scenario's document answers without errors
            answer = post_json(f"{api}/graphql", {"query": query, "variables": SLUG})
            assert "errors" not in answer, answer
        page_id = post_json(f"{api}/graphql", {"query": ARTICLE, "variables": SLUG})["data"][
            "page"
        ]["id"]
        comment = {
            "pageId": page_id,
            "authorName": "Bench",
            "authorEmail": "bench@example.com",
            "body": "A benchmark comment.",
        }
        get_url = f"{api}/graphql?" + urllib.parse.urlencode(
            {"query": ARTICLE, "variables": json.dumps(SLUG)}
        )
        scenarios = [
            (
                "(a) page, all sections",
                f"{api}/graphql",
                lua_post(scratch, "a", {"query": ARTICLE, "variables": SLUG}, fresh=True),
            ),
            (
                "(a) same POST, response cache",
                f"{api}/graphql",
                lua_post(scratch, "a-cached", {"query": ARTICLE, "variables": SLUG}),
            ),
            (
                "(b) pages(first: 20)",
                f"{api}/graphql",
                lua_post(scratch, "b", {"query": PAGES}, fresh=True),
            ),
            ("(c) page as cached GET", get_url, None),
            (
                "(d) addComment writes",
                f"{api}/graphql",
                lua_post(scratch, "d", {"query": ADD_COMMENT, "variables": {"input": comment}}),
            ),
            ("ceiling: hand-written SQL", f"{ceiling}/page", None),
            ("static JSON response", f"{ceiling}/static", None),
            (STATIC_BEHIND, f"{ceiling}/production/static", None),
        ]
        for name, url_, script in scenarios:
            wrk(
                url_, 1, args.connections, script
            )  # warm-up: caches, pools, JIT-free but lazy imports
            rps, p50, p99, errors = wrk(url_, args.duration, args.connections, script)
            results.append(Result(kind, name, rps, p50, p99, errors))
            print(
                f"  {kind:8} {name:28} {rps:9.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms",
                flush=True,
            )
    return results


def table(results: list[Result]) -> str:
    lines = [
        "| database | scenario | requests/s | p50 ms | p99 ms | non-2xx "
        "| vs ceiling | vs static | vs static + middleware |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        same = {r.scenario: r.requests_per_second for r in results if r.database == result.database}
        rps = result.requests_per_second
        ratios = [
            rps / same[name]
            for name in ("ceiling: hand-written SQL", "static JSON response", STATIC_BEHIND)
        ]
        lines.append(
            f"| {result.database} | {result.scenario} | {rps:,.0f} | {result.p50_ms:.2f} | "
            f"{result.p99_ms:.2f} | {result.errors} | "
            + " | ".join(f"{ratio:.2f}" for ratio in ratios)
            + " |"
        )
    return "\n".join(lines)


def floor_line(results: list[Result]) -> str:
    """The executor's own floor for (a) (bench/floor.py), against the ceilings just measured."""
    strawberry_us = execution_floor()
    ceilings = ", ".join(
        f"{r.database} {r.requests_per_second / (1e6 / strawberry_us):.2f}"
        for r in results
        if r.scenario == "ceiling: hand-written SQL"
    )
    return (
        f"Floor for (a): Strawberry + graphql-core execute the document over the article in "
        f"memory (no database, no HTTP) in {strawberry_us:.0f} µs, at most "
        f"{1e6 / strawberry_us:,.0f} requests/s on one core; that alone takes this share of a "
        f"ceiling request's time: {ceilings}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=6, help="Seconds per scenario (default 6).")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16).")
    parser.add_argument(
        "--databases", default="sqlite,postgres", help="sqlite,postgres or one of them."
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk (make bench installs it).")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as directory:
        scratch = Path(directory)
        for kind in args.databases.split(","):
            if kind == "sqlite":
                results += bench_database(
                    kind, f"sqlite://{scratch / 'bench.sqlite3'}", args, scratch
                )
            else:
                url = asyncio.run(create_postgres_database())
                try:
                    results += bench_database(kind, url, args, scratch)
                finally:
                    asyncio.run(drop_postgres_database(url))
    print()
    print(table(results))
    print()
    print(floor_line(results))


if __name__ == "__main__":
    main()
