"""Real servers in subprocesses, for tests that need a browser or an external client talking
HTTP and WebSocket to the app: started on a free port, polled until a path answers 200 (within
a bounded time), and always stopped (SIGTERM, then SIGKILL) on the way out."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx
import pytest

STARTUP_TIMEOUT_SECONDS = 20
STOP_TIMEOUT_SECONDS = 10
POLL_INTERVAL_SECONDS = 0.1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    port: int
    log: IO[bytes]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


def uvicorn_command(port: int) -> list[str]:
    """`python -m uvicorn cms.asgi:app` on ``port``: the app configured by environment."""
    return [
        *(sys.executable, "-m", "uvicorn", "cms.asgi:app", "--host", "127.0.0.1"),
        *("--port", str(port), "--log-level", "warning"),
    ]


@contextmanager
def _started(
    command: list[str],
    port: int,
    env: dict[str, str],
    cwd: Path | None,
    output: Path | None,
    process_group: bool,
) -> Iterator[ServerProcess]:
    # A file, not a pipe: a chatty server never blocks on a full pipe.
    with output.open("w+b") if output else tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=process_group,
        )
        try:
            yield ServerProcess(process, port, log)
        finally:
            _stop(process, process_group)


def _stop(process: subprocess.Popen[bytes], process_group: bool) -> None:
    """Stop the server (with ``process_group``, everything it started, too)."""

    def send(sig: int) -> None:
        if process_group:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)

    if process.poll() is None:
        send(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            send(signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
    if process_group:
        with suppress(ProcessLookupError):  # children a shell left behind
            os.killpg(process.pid, signal.SIGKILL)


def _attempts(server: ServerProcess, url: str, timeout: float) -> Iterator[None]:
    """One turn per poll of ``url``; fails the test once the server exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            code = server.process.returncode
            pytest.fail(f"The server exited with {code}:\n{server.output()}")
        yield
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer within {timeout}s:\n{server.output()}")


@contextmanager
def server_process(
    command: list[str],
    *,
    port: int,
    env: dict[str, str],
    cwd: Path | None = None,
    ready_path: str = "/readyz",
    timeout: float = STARTUP_TIMEOUT_SECONDS,
    output: Path | None = None,
    process_group: bool = False,
) -> Iterator[ServerProcess]:
    """Run ``command`` (which serves on ``port``) until ``ready_path`` answers 200; its
    output goes to ``output`` (a temporary file when None)."""
    with _started(command, port, env, cwd, output, process_group) as server:
        url = f"{server.base_url}{ready_path}"
        for _ in _attempts(server, url, timeout):
            with suppress(httpx.TransportError):
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            time.sleep(POLL_INTERVAL_SECONDS)
        yield server


@asynccontextmanager
async def async_server_process(
    command: list[str],
    *,
    port: int,
    env: dict[str, str],
    ready_path: str = "/readyz",
    timeout: float = STARTUP_TIMEOUT_SECONDS,
) -> AsyncIterator[ServerProcess]:
    """``server_process`` for async tests: it polls without blocking the event loop."""
    with _started(command, port, env, None, None, False) as server:
        url = f"{server.base_url}{ready_path}"
        async with httpx.AsyncClient(timeout=1) as http:
            for _ in _attempts(server, url, timeout):
                with suppress(httpx.TransportError):
                    if (await http.get(url)).status_code == 200:
                        break
                await asyncio.sleep(POLL_INTERVAL_SECONDS)
        yield server


@asynccontextmanager
async def uvicorn_process(env: dict[str, str], ready_path: str) -> AsyncIterator[ServerProcess]:
    """`python -m uvicorn cms.asgi:app` on a free port, configured by ``env`` alone."""
    port = free_port()
    command = uvicorn_command(port)
    async with async_server_process(command, port=port, env=env, ready_path=ready_path) as server:
        yield server


@contextmanager
def live_server(database_url: str, **settings: str) -> Iterator[str]:
    """Serve the app on a free port against ``database_url`` and yield its base URL.
    ``settings`` become CMS_* environment variables (``comment_rate_limits=""``)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    env["CMS_DATABASE_URL"] = database_url
    if "CMS_SECRET_KEY_FILE" in os.environ:  # the suite's generated secret (conftest.py)
        env["CMS_SECRET_KEY_FILE"] = os.environ["CMS_SECRET_KEY_FILE"]
    env["CMS_LOG_LEVEL"] = "warning"
    env.update({f"CMS_{name.upper()}": value for name, value in settings.items()})
    with server_process(uvicorn_command(port), port=port, env=env) as server:
        yield server.base_url
