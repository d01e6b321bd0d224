"""Every `cms` command answers bad input — a missing or invalid file, an unknown option value,
a database URL we cannot use, a database that is down or was never migrated, a bad setting —
with one line on stderr ("error: …"), nothing on stdout and a non-zero exit: never a
traceback, and nothing half-done."""

import json
import time
from pathlib import Path

import httpx
import pytest
from cli_support import CMS, Cms, fresh_cms
from live_server import free_port, server_process

NOT_MIGRATED = "the database has no tables; run `cms migrate` first"
UNSUPPORTED = "is not a database URL we support: use sqlite://PATH or postgres://"
EMPTY_EXPORT = {"format": "cms-export", "version": 1}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """Paths of input files, good and bad, by what they hold."""
    contents = {
        "export": json.dumps(EMPTY_EXPORT),
        "manifest": "{}",
        "invalid": '{"format": ',
        "list": "[]",
    }
    for name, text in contents.items():
        (tmp_path / f"{name}.json").write_text(text, encoding="utf-8")
    return {name: str(tmp_path / f"{name}.json") for name in [*contents, "missing"]}


def unreachable_postgres(password: str = "") -> str:
    """A PostgreSQL URL on a loopback port where nothing listens."""
    secret = f":{password}" if password else ""
    return f"postgres://cms{secret}@127.0.0.1:{free_port()}/cms"


@pytest.mark.parametrize(
    "args",
    [
        ["seed"],
        ["export"],
        ["import", "{export}"],
        ["publish-scheduled"],
        ["token", "create", "--name", "ada"],
        ["token", "revoke", "--name", "ada"],
        ["persisted", "import", "{manifest}"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_commands_on_a_database_never_migrated_say_to_run_migrate_first(cms, files, args):
    line = cms.fail(*(arg.format(**files) for arg in args))

    assert line == NOT_MIGRATED


async def test_commands_on_a_database_missing_a_migration_say_to_run_migrate_first(cms):
    cms.run("migrate")
    await cms.rows(
        "DELETE FROM tortoise_migrations WHERE name = (SELECT max(name) FROM tortoise_migrations)"
    )

    assert cms.fail("seed") == "the database lacks 1 migration(s); run `cms migrate` first"


@pytest.mark.parametrize("command", [["import"], ["persisted", "import"]], ids=" ".join)
@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("missing", "cannot read {missing}: No such file or directory"),
        ("invalid", "{invalid} is not valid JSON: Expecting value: line 1 column 12 (char 11)"),
    ],
)
def test_commands_reading_a_file_name_a_missing_or_invalid_one(cms, files, command, file, message):
    line = cms.fail(*command, files[file])

    assert line == message.format(**files)


def test_import_refuses_json_that_is_not_an_export(cms, files):
    cms.run("migrate")

    assert cms.fail("import", files["list"]) == "Not a cms-export version 1 file."


async def test_an_import_that_fails_halfway_leaves_the_database_empty(cms, database, tmp_path):
    source_dir = tmp_path / "source"
    source_dir.mkdir()
    async with fresh_cms(database, source_dir) as source:
        source.run("migrate")
        source.run("seed")
        data = json.loads(source.run("export").stdout)
    # Pages load first; a section whose parent is not in the file stops the import after them.
    data["sections"][-1]["parent_id"] = 999_999
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    cms.run("migrate")

    line = cms.fail("import", str(broken))

    assert line.startswith("The file's 'sections' cannot be loaded: ")
    assert "999999 is not in it" in line
    assert await cms.rows("SELECT count(*) FROM page") == [(0,)]


def test_token_create_refuses_an_unknown_role(cms):
    line = cms.fail("token", "create", "--name", "ada", "--role", "owner")

    assert line == (
        "argument --role: invalid choice: 'owner' (choose from 'editor', 'admin') "
        "(see `cms token create --help`)"
    )


def test_token_create_refuses_a_blank_name(cms):
    cms.run("migrate")

    assert cms.fail("token", "create", "--name", "  ") == "name: A token needs a name."


def test_token_revoke_of_an_unknown_name_says_so(cms):
    cms.run("migrate")

    assert cms.fail("token", "revoke", "--name", "nobody") == "no active token is named 'nobody'"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense", f"CMS_DATABASE_URL 'nonsense' {UNSUPPORTED}"),
        (
            "mysql://cms@127.0.0.1/cms",
            f"CMS_DATABASE_URL 'mysql://cms@127.0.0.1/cms' {UNSUPPORTED}",
        ),
        ("postgres://cms@127.0.0.1:five/cms", "is not valid: Port is not an integer"),
        ("sqlite://{tmp}/missing/cms.sqlite3", "the directory {tmp}/missing does not exist"),
    ],
    ids=["no scheme", "mysql", "bad port", "sqlite in a missing directory"],
)
@pytest.mark.parametrize("command", ["migrate", "seed"])
def test_a_database_url_we_cannot_use_is_named(tmp_path, url, message, command):
    line = Cms(url.format(tmp=tmp_path), tmp_path).fail(command)

    assert message.format(tmp=tmp_path) in line


@pytest.mark.parametrize("command", ["migrate", "seed"])
def test_an_unreachable_database_is_named_without_its_password(tmp_path, command):
    url = unreachable_postgres(password="s3cret")

    line = Cms(url, tmp_path).fail(command)

    assert line.startswith(f"cannot connect to the database {url.replace('s3cret', '***')}: ")
    assert "s3cret" not in line


def test_wait_db_gives_up_on_an_unreachable_database_after_its_timeout(tmp_path):
    line = Cms(unreachable_postgres(), tmp_path).fail("wait-db", "--timeout", "1")

    assert line.startswith("cannot connect to the database ")
    assert line.endswith("(waited 1 s)")


def test_wait_db_does_not_wait_for_a_url_that_can_never_work(tmp_path):
    started = time.monotonic()

    line = Cms("nonsense", tmp_path).fail("wait-db", "--timeout", "30")

    assert UNSUPPORTED in line
    assert time.monotonic() - started < 10


def test_serve_on_a_database_never_migrated_says_to_run_migrate_first(cms):
    assert cms.fail("serve", "--port", str(free_port())) == NOT_MIGRATED


def test_serve_starts_while_the_database_is_down_and_says_so(tmp_path):
    port, url = free_port(), unreachable_postgres()
    command = [str(CMS), "serve", "--port", str(port)]

    with server_process(
        command, port=port, env=Cms(url, tmp_path).env, ready_path="/healthz"
    ) as app:
        ready = httpx.get(f"{app.base_url}/readyz", timeout=10)
        output = app.output()

    assert ready.status_code == 503
    assert f"Warning: cannot connect to the database {url}: " in output


def test_serve_refuses_a_database_url_we_cannot_use(tmp_path):
    line = Cms("nonsense", tmp_path).fail("serve", "--port", str(free_port()))

    assert UNSUPPORTED in line


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--port", "99999"], "argument --port: '99999' is not a port number (1-65535)"),
        (["--workers", "0"], "argument --workers: '0' is not a positive whole number"),
    ],
    ids=["port", "workers"],
)
def test_serve_refuses_a_port_or_worker_count_that_cannot_be(cms, option, message):
    assert cms.fail("serve", *option) == f"{message} (see `cms serve --help`)"


def test_a_bad_setting_is_named(cms):
    cms.settings["CMS_PORT"] = "eighty"

    line = cms.fail("migrate")

    assert line == "CMS_PORT: Input should be a valid integer, unable to parse string as an integer"


@pytest.mark.parametrize(
    "args", [["export", "--output"], ["schema", "export", "--output"]], ids=" ".join
)
def test_writing_into_a_missing_directory_is_refused(cms, tmp_path, args):
    cms.run("migrate")
    target = tmp_path / "missing" / "out.txt"

    assert cms.fail(*args, str(target)) == f"cannot write {target}: No such file or directory"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "the following arguments are required: command (see `cms --help`)"),
        (["publish"], "argument command: invalid choice: 'publish' (choose from "),
        (["token"], "the following arguments are required: COMMAND (see `cms token --help`)"),
    ],
    ids=["no command", "unknown command", "no token command"],
)
def test_a_missing_or_unknown_command_is_one_line(cms, args, message):
    assert cms.fail(*args).startswith(message)
