"""A real uvicorn server in a subprocess, for tests that need a browser or an external
client talking HTTP and WebSocket to the app."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

STARTUP_TIMEOUT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_server(database_url: str, **settings: str) -> Iterator[str]:
    """Serve the app on a free port against ``database_url`` and yield its base URL.
    ``settings`` become CMS_* environment variables (``comment_rate_limits=""``)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
    env["CMS_DATABASE_URL"] = database_url
    env["CMS_LOG_LEVEL"] = "warning"
    env.update({f"CMS_{name.upper()}": value for name, value in settings.items()})
    command = [sys.executable, "-m", "uvicorn", "cms.asgi:app", "--host", "127.0.0.1"]
    # A file, not a pipe: a chatty server never blocks on a full pipe.
    with tempfile.TemporaryFile() as log:
        yield from _serve(command, port, env, log)


def _serve(command: list[str], port: int, env: dict[str, str], log: Any) -> Iterator[str]:
    process = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                log.seek(0)
                output = log.read().decode(errors="replace")
                raise RuntimeError(f"uvicorn exited with {process.returncode}:\n{output}")
            try:
                if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not answer on {base_url}")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
