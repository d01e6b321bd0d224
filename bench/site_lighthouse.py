"""Lighthouse on the reader site: `make lighthouse`.

Serves the app as `cms serve` does (migrated, seeded SQLite database in a temporary
folder) on a free loopback port, then runs the npm package ``lighthouse`` (pinned in
bench/lighthouse/package-lock.json) with Debian's Chromium, headless, on the home page and
the seeded article (each fetched once first, as the caches would have it), with its mobile
(default) and desktop settings, and prints the four category scores of each run. The
JSON reports are kept in the folder it names.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
PATHS = ("/", "/pages/harvard-medical-school")
PRESETS = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
STARTUP_SECONDS = 30
CMS = Path(sys.executable).with_name("cms")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_ready(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server exited with {server.returncode}.")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit(f"{url} did not answer within {STARTUP_SECONDS}s.")


def lighthouse(url: str, preset: str, report: Path) -> dict[str, int]:
    command = [
        "npx",
        "--no-install",
        "lighthouse",
        url,
        "--chrome-flags=--headless=new --no-sandbox",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        *(["--preset=desktop"] if preset == "desktop" else []),
    ]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    subprocess.run(command, cwd=LIGHTHOUSE_DIR, env=env, check=True)
    categories = json.loads(report.read_text())["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, help="Where to keep the JSON reports.")
    args = parser.parse_args()
    reports = args.reports or Path(tempfile.mkdtemp(prefix="lighthouse-"))
    reports.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cms-lighthouse-") as workdir:
        port = free_port()
        env = {key: value for key, value in os.environ.items() if not key.startswith("CMS_")}
        env |= {
            "CMS_DATABASE_URL": f"sqlite://{workdir}/cms.sqlite3",
            "CMS_SECRET_KEY_FILE": f"{workdir}/secret-key",
            "CMS_HOST": "127.0.0.1",
            "CMS_PORT": str(port),
            "CMS_LOG_LEVEL": "warning",
        }
        for step in ("migrate", "seed"):
            subprocess.run([str(CMS), step], env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen([str(CMS), "serve"], env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(base + "/readyz", server)
            # Readers get pages from the caches (response cache, Varnish): measure that,
            # not the first render after a start.
            for path in PATHS:
                httpx.get(base + path, timeout=10).raise_for_status()
            print(f"{'page':<32} {'preset':<8} " + " ".join(f"{c:>14}" for c in CATEGORIES))
            for path in PATHS:
                for preset in PRESETS:
                    name = (path.strip("/").replace("/", "-") or "home") + f"-{preset}.json"
                    scores = lighthouse(base + path, preset, reports / name)
                    row = " ".join(f"{scores[c]:>14}" for c in CATEGORIES)
                    print(f"{path:<32} {preset:<8} {row}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Reports: {reports}")


if __name__ == "__main__":
    main()
