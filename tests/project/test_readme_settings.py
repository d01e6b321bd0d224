"""The README's Configuration table names every setting, and nothing that is not one."""

import re
from pathlib import Path

from cms.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def configuration_table_variables() -> list[str]:
    """The variables in the first column of the first table under "## Configuration"."""
    section = README.read_text(encoding="utf-8").split("\n## Configuration\n", 1)[1]
    table = section.split("\n| Variable |", 1)[1].split("\n\n", 1)[0]
    rows = table.splitlines()[2:]  # after the header's rest and the --- line
    return [re.match(r"\| `(CMS_\w+)` \|", row).group(1) for row in rows]


def test_the_configuration_table_lists_every_setting_once():
    listed = configuration_table_variables()
    settings = [f"CMS_{name.upper()}" for name in Settings.model_fields]

    assert sorted(listed) == sorted(set(listed)), "a variable is listed twice"
    assert set(settings) - set(listed) == set(), "settings missing from the README"
    assert set(listed) - set(settings) == set(), "README rows that are not settings"
