"""The example clients in examples/ print the seeded article's outline from a live server."""

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import live_server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NPM_CI_TIMEOUT_SECONDS = 180

EXPECTED_OUTLINE = """\
Harvard Medical School: Pioneering Excellence in Medical Education
  - Academic Programs (#academic-programs)
    1. Medical Doctor (MD) Program (#medical-doctor-md-program)
    2. Doctor of Philosophy (PhD) Programs (#doctor-of-philosophy-phd-programs)
    3. Master\u2019s Programs (#masters-programs)
  - Research and Innovation (#research-and-innovation)
  - Clinical Care (#clinical-care)
  - Diversity and Inclusion (#diversity-and-inclusion)
  - Global Impact (#global-impact)
  - Leadership and Impact (#leadership-and-impact)
  - Community Engagement (#community-engagement)
  - Student Life (#student-life)
  - Alumni Network (#alumni-network)
  - Future Directions (#future-directions)
"""


@pytest.fixture(scope="module")
def server(database) -> Iterator[str]:
    with live_server(database.url) as base_url:
        yield base_url


def run(command: list[str], cwd: Path, timeout: float = 60) -> str:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_python_example_prints_the_outline(server, seeded_page):
    output = run([sys.executable, "outline.py", server], EXAMPLES / "python")

    assert output == EXPECTED_OUTLINE


@pytest.mark.slow  # npm ci and a Node client: CI runs it once, on SQLite
def test_node_example_prints_the_outline(server, seeded_page):
    node_dir = EXAMPLES / "node"
    assert shutil.which("node") and shutil.which("npm"), "Node.js and npm are needed"
    if not (node_dir / "node_modules").exists():
        run(["npm", "ci", "--no-audit", "--no-fund"], node_dir, timeout=NPM_CI_TIMEOUT_SECONDS)

    output = run(["node", "outline.mjs", server], node_dir)

    assert output == EXPECTED_OUTLINE
