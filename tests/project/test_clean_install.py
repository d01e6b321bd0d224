"""The Docker image, checked without Docker: the build context (the checkout minus
.dockerignore) is installed into a fresh virtual environment by the Dockerfile's own
`pip install` command — no dev extras, versions from constraints.txt — and the image's CMD
then migrates, seeds and serves the article on a loopback port with a SQLite file in a
temporary working directory. Nothing from this checkout or the test venv is importable there.

Slow (a venv and a pip install from the pip cache or PyPI, about 20 s): CI runs it once."""

import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from live_server import free_port, server_process

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT = 600
START_TIMEOUT = 60
SLUG = "harvard-medical-school"
TITLE = "Harvard Medical School: Pioneering Excellence in Medical Education"
# Imports every module of the installed distribution's top-level packages and prints where
# the first one came from, so a dev-only import anywhere in the package fails here.
IMPORT_EVERYTHING = """
import importlib, importlib.metadata, pkgutil
packages = importlib.metadata.distribution("cms").read_text("top_level.txt").split()
for name in packages:
    package = importlib.import_module(name)
    for module in pkgutil.walk_packages(package.__path__, f"{name}."):
        importlib.import_module(module.name)
print(importlib.import_module(packages[0]).__file__)
"""


@dataclass
class Dockerfile:
    """The instructions of the repository's Dockerfile that this test replays."""

    install: list[str]
    command: list[str]

    @classmethod
    def read(cls) -> "Dockerfile":
        text = (REPO / "Dockerfile").read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        instructions = re.split(r"\n(?=[A-Z]+ )", "\n".join(lines).replace("\\\n", " "))
        runs = [step.removeprefix("RUN ") for step in instructions if step.startswith("RUN ")]
        [install] = [
            part.strip()
            for run in runs
            for part in run.split("&&")
            if part.strip().startswith("pip install")
        ]
        [cmd] = [step.removeprefix("CMD ") for step in instructions if step.startswith("CMD ")]
        return cls(install=shlex.split(install), command=json.loads(cmd))


def dockerignore_patterns() -> list[re.Pattern[str]]:
    """.dockerignore's patterns as regular expressions over paths relative to the context
    (`**` spans directories, `*` and `?` stay within one; a directory takes its contents)."""
    patterns = []
    for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines():
        glob = line.strip()
        if not glob or glob.startswith("#"):
            continue
        assert not glob.startswith("!"), "exceptions (!) are not replayed by this test"
        regex = "".join(
            {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(part, re.escape(part))
            for part in re.split(r"(\*\*/?|\*|\?)", glob.strip("/"))
        )
        patterns.append(re.compile(f"{regex}(?:/.*)?"))
    return patterns


def copy_build_context(destination: Path) -> Path:
    """What `COPY . .` puts in the image: the checkout without what .dockerignore names."""
    patterns = dockerignore_patterns()

    def ignored(directory: str, names: list[str]) -> set[str]:
        relative = Path(directory).relative_to(REPO)
        return {
            name
            for name in names
            if any(p.fullmatch((relative / name).as_posix()) for p in patterns)
        }

    shutil.copytree(REPO, destination, ignore=ignored)
    return destination


def clean_environment(venv: Path) -> dict[str, str]:
    """The caller's environment with the fresh venv first on PATH and nothing pointing back
    at this checkout or its settings (no PYTHONPATH, no CMS_*)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CMS_") and key not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return env


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT
    )
    assert result.returncode == 0, f"{shlex.join(command)}:\n{result.stdout}{result.stderr}"
    return result.stdout


@dataclass
class CleanInstall:
    venv: Path
    env: dict[str, str]
    workdir: Path

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")


@pytest.fixture(scope="module")
def clean_install(tmp_path_factory: pytest.TempPathFactory) -> CleanInstall:
    """A fresh venv with the project installed the way the Dockerfile installs it."""
    root = tmp_path_factory.mktemp("clean-install")
    context = copy_build_context(root / "src")
    venv = root / "venv"
    env = clean_environment(venv)
    run([sys.executable, "-m", "venv", str(venv)], root, env)
    program, *arguments = Dockerfile.read().install
    assert program == "pip"
    run([str(venv / "bin" / "python"), "-m", "pip", *arguments], context, env)
    workdir = root / "data"
    workdir.mkdir()
    return CleanInstall(venv, env, workdir)


@pytest.fixture(scope="module")
def served(clean_install: CleanInstall) -> Iterator[str]:
    """The image's CMD, on a free loopback port instead of 0.0.0.0:8000."""
    port = free_port()
    env = {**clean_install.env, "CMS_HOST": "127.0.0.1", "CMS_PORT": str(port)}
    env["CMS_SECRET_KEY"] = secrets.token_urlsafe(32)  # as an operator passes one to the image
    with server_process(
        Dockerfile.read().command,
        port=port,
        env=env,
        cwd=clean_install.workdir,
        ready_path="/healthz",
        timeout=START_TIMEOUT,
        output=clean_install.workdir.parent / "serve.log",
        process_group=True,  # the shell and the server it execs
    ) as server:
        yield server.base_url


def test_the_image_installs_with_the_locked_constraints():
    assert Dockerfile.read().install == ["pip", "install", "-c", "constraints.txt", "."]


def test_a_clean_install_gets_exactly_the_locked_versions(clean_install):
    frozen = run(
        [clean_install.python, "-m", "pip", "freeze", "--exclude", "cms"],
        clean_install.workdir,
        clean_install.env,
    )

    locked = (REPO / "constraints.txt").read_text(encoding="utf-8")
    pins = [line for line in locked.splitlines() if line and not line.startswith("#")]
    assert frozen.splitlines() == pins, (
        "constraints.txt no longer matches a clean install: run `make lock` (with Python 3.11, "
        "the image's)"
    )


def test_every_module_imports_without_dev_extras(clean_install):
    origin = run(
        [clean_install.python, "-c", IMPORT_EVERYTHING], clean_install.workdir, clean_install.env
    )

    assert Path(origin.strip()).is_relative_to(clean_install.venv)


def test_the_image_command_serves_the_seeded_article_from_sqlite(served, clean_install):
    query = f'{{ page(slug: "{SLUG}") {{ title }} }}'
    body = httpx.post(f"{served}/graphql", json={"query": query}, timeout=10).json()
    page = httpx.get(f"{served}/pages/{SLUG}", timeout=10)

    assert body == {"data": {"page": {"title": TITLE}}}
    assert page.status_code == 200
    assert re.search(f"<h1[^>]*>{re.escape(TITLE)}</h1>", page.text)
    assert (clean_install.workdir / "cms.sqlite3").exists()
