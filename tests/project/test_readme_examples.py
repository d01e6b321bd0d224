"""Every GraphQL example in the README is valid against the current schema, so a reader who
pastes one into GraphiQL never meets a renamed field or a missing argument."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
import pyvips
from graphql import OperationDefinitionNode, parse, print_ast, validate

from cms.config import Settings
from schema import build_schema

README = Path(__file__).resolve().parents[2] / "README.md"
GRAPHQL_BLOCK = re.compile(r"```graphql\n(.*?)```", re.DOTALL)
EXAMPLES = GRAPHQL_BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_graphql_examples():
    assert len(EXAMPLES) >= 5


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"block{n}" for n in range(len(EXAMPLES))])
def test_readme_graphql_example_is_valid_against_the_schema(example):
    graphql_schema = build_schema(Settings())._schema
    errors = validate(graphql_schema, parse(example))
    assert not errors, [error.message for error in errors]


def operations() -> dict[str, str]:
    """Every named operation in the README's GraphQL blocks, by name, as its own document."""
    found: dict[str, str] = {}
    for example in EXAMPLES:
        for definition in parse(example).definitions:
            assert isinstance(definition, OperationDefinitionNode) and definition.name, example
            name = definition.name.value
            assert name not in found, f"two README operations are called {name}"
            found[name] = print_ast(definition)
    return found


OPERATIONS = operations()
# Validated above but not run here: subscriptions need a WebSocket
# (tests/comments/test_comment_subscriptions.py runs them), and registering a webhook
# resolves its host name, while tests never send a DNS query
# (tests/webhooks/test_webhook_addresses.py covers it).
NOT_RUN_HERE = {"CommentAdded", "CommentModerated", "CreateWebhook"}


def assert_not_empty(name: str, value: Any) -> None:
    """No payload errors and no empty connection anywhere in a result."""
    if isinstance(value, list):
        for item in value:
            assert_not_empty(name, item)
    elif isinstance(value, dict):
        assert value.get("errors", []) == [], (name, value["errors"])
        assert value.get("edges", [None]) != [], (name, "an empty connection", value)
        for item in value.values():
            assert_not_empty(name, item)


class ReadmeSession:
    """Runs README operations as a reader would paste them, with the placeholders filled from
    what earlier operations returned."""

    def __init__(self, gql: Any, token: str) -> None:
        self.gql, self.token = gql, token
        self.values: dict[str, str] = {}
        self.ran: set[str] = set()

    async def run(self, name: str, *, as_editor: bool = True, **placeholders: str) -> dict:
        document = OPERATIONS[name]
        for placeholder, value in placeholders.items():
            document = document.replace(f"<{placeholder}>", value)
        assert "<" not in document.replace("<mark>", ""), f"{name}: unfilled {document}"
        body = await self.gql(document, token=self.token if as_editor else None)
        assert "errors" not in body, (name, body["errors"])
        for field, value in body["data"].items():
            assert value not in (None, [], {}), (name, field)
            assert_not_empty(name, value)
        self.ran.add(name)
        return body["data"]


async def uploaded_image(client: Any, token: str) -> str:
    """An image uploaded as the README's curl example does (a multipart request)."""
    image = pyvips.Image.black(120, 80, bands=3).cast("uchar").jpegsave_buffer()
    document = "mutation ($file: Upload!) { uploadAsset(file: $file) { asset { id } } }"
    files = {
        "operations": (None, json.dumps({"query": document, "variables": {"file": None}})),
        "map": (None, json.dumps({"0": ["variables.file"]})),
        "0": ("quad.jpg", image, "image/jpeg"),
    }
    headers = {"Authorization": f"Bearer {token}", "Apollo-Require-Preflight": "true"}
    response = await client.post("/graphql", files=files, headers=headers)
    return response.json()["data"]["uploadAsset"]["asset"]["id"]


async def test_every_readme_operation_runs_against_the_seeded_database_and_returns_data(
    gql, client, admin_token, seeded_page
):
    readme = ReadmeSession(gql, admin_token)
    asset = await uploaded_image(client, admin_token)
    await readme.run("DescribeAsset", **{"asset id": asset})
    await readme.run("AssetImage", **{"asset id": asset})
    await readme.run("RemoveAsset", **{"asset id": asset})
    article = (await readme.run("Article", as_editor=False))["page"]
    await readme.run("Pages", as_editor=False)
    await readme.run("Search", as_editor=False)
    for token_query, add in (
        ("CommentFormToken", "AddComment"),
        ("FetchCommentFormToken", "AddCommentFromForm"),
    ):
        token = await readme.run(token_query, as_editor=False, **{"page id": article["id"]})
        added = await readme.run(
            add, as_editor=False, **{"page id": article["id"], "token": token["commentFormToken"]}
        )
    await readme.run("ModerateComment", **{"comment id": added["addComment"]["comment"]["id"]})

    about = (await readme.run("CreatePage"))["createPage"]["page"]["id"]
    await readme.run("CreateSection", **{"page id": about})
    await readme.run("PublishPage", **{"page id": about})
    await readme.run("UpdatePage", **{"page id": about})
    await readme.run("PublishPageWithMessage", **{"page id": about})
    revisions = (await readme.run("PageRevisions"))["page"]["revisions"]["edges"]
    newer, older = revisions[0]["node"]["id"], revisions[-1]["node"]["id"]
    await readme.run("RevisionDiff", **{"older revision id": older, "newer revision id": newer})
    await readme.run("RestoreRevision", **{"revision id": older})
    await readme.run("SchedulePublish", **{"page id": about})
    link = await readme.run("CreatePreviewLink", **{"page id": about})
    await readme.run("Preview", as_editor=False, token=link["createPreviewLink"]["link"]["token"])
    await readme.run("DeletePage", **{"page id": about})

    assert readme.ran == set(OPERATIONS) - NOT_RUN_HERE
