"""GraphQL over HTTP (https://graphql.github.io/graphql-over-http/): GET and POST, media
types, status codes for malformed requests, the request size limit and bad tokens."""

import json

import httpx
from graphql_support import http_client

from cms.app import create_app
from cms.config import Settings
from cms.models import Page

GRAPHQL_RESPONSE = "application/graphql-response+json"
CREATE_PAGE = (
    'mutation { createPage(input: {slug: "via-get", title: "Via GET"}) { errors { code } } }'
)


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


# --- requests that work --------------------------------------------------------------------


async def test_post_with_a_json_body_runs_the_query(client):
    response = await client.post("/graphql", json={"query": "{ viewer { name } }"})

    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": None}}


async def test_post_passes_variables_and_chooses_the_named_operation(client, seeded_page):
    document = """
        query Title($slug: String!) { page(slug: $slug) { title } }
        query Slug($slug: String!) { page(slug: $slug) { slug } }"""

    response = await client.post(
        "/graphql",
        json={"query": document, "variables": {"slug": seeded_page.slug}, "operationName": "Slug"},
    )

    assert response.json() == {"data": {"page": {"slug": seeded_page.slug}}}


async def test_get_with_the_query_in_the_url_runs_the_query(client, seeded_page):
    response = await client.get(
        "/graphql",
        params={
            "query": "query($slug: String!) { page(slug: $slug) { slug } }",
            "variables": json.dumps({"slug": seeded_page.slug}),
        },
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"page": {"slug": seeded_page.slug}}}


async def test_a_mutation_over_get_is_refused_and_changes_nothing(client, editor_token):
    response = await client.get(
        "/graphql",
        params={"query": CREATE_PAGE},
        headers={"Authorization": f"Bearer {editor_token}"},
    )

    # The spec asks for 405; Strawberry answers 400. Either way it is refused before running.
    assert response.status_code in (400, 405)
    assert "mutations are not allowed when using GET" in response.text
    assert await Page.exists() is False


async def test_the_same_mutation_over_post_is_allowed(client, editor_token):
    response = await client.post(
        "/graphql",
        json={"query": CREATE_PAGE},
        headers={"Authorization": f"Bearer {editor_token}"},
    )

    assert response.json() == {"data": {"createPage": {"errors": []}}}
    assert await Page.filter(slug="via-get").exists()


async def test_methods_other_than_get_and_post_are_not_allowed(client):
    response = await client.put("/graphql", json={"query": "{ viewer { name } }"})

    assert response.status_code == 405


# --- media types -----------------------------------------------------------------------------


async def test_graphql_response_json_is_answered_when_asked_for(client):
    response = await client.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers={"Accept": GRAPHQL_RESPONSE}
    )

    assert media_type(response) == GRAPHQL_RESPONSE


async def test_graphql_response_json_is_the_default_without_an_accept_header(client):
    request = client.build_request("POST", "/graphql", json={"query": "{ viewer { name } }"})
    del request.headers["accept"]

    response = await client.send(request)

    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE


async def test_graphql_response_json_is_preferred_when_both_are_accepted(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { name } }"},
        headers={"Accept": f"application/json;q=0.9, {GRAPHQL_RESPONSE}"},
    )

    assert media_type(response) == GRAPHQL_RESPONSE


async def test_legacy_clients_accepting_only_json_get_application_json(client):
    response = await client.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert response.json() == {"data": {"viewer": None}}


async def test_get_answers_with_the_negotiated_media_type_too(client):
    response = await client.get(
        "/graphql", params={"query": "{ viewer { name } }"}, headers={"Accept": "application/json"}
    )

    assert media_type(response) == "application/json"


# --- documents that cannot run: 400 without data ------------------------------------------


async def test_a_syntax_error_is_a_400_with_errors_and_no_data(client):
    response = await client.post("/graphql", json={"query": "{ viewer { name }"})

    assert response.status_code == 400
    assert media_type(response) == GRAPHQL_RESPONSE
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"].startswith("Syntax Error")


async def test_an_unknown_field_is_a_400_with_errors_and_no_data(client):
    response = await client.post("/graphql", json={"query": "{ viewer { name shoeSize } }"})

    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert "Cannot query field 'shoeSize' on type 'Viewer'" in body["errors"][0]["message"]


async def test_a_missing_required_variable_is_a_400(client):
    response = await client.post(
        "/graphql", json={"query": "query($slug: String!) { page(slug: $slug) { id } }"}
    )

    assert response.status_code == 400
    assert "data" not in response.json()
    assert "$slug" in response.json()["errors"][0]["message"]


async def test_legacy_json_clients_get_request_errors_with_status_200(client):
    # The spec keeps 200 for application/json, which older clients expect.
    response = await client.post(
        "/graphql", json={"query": "{ viewer { name }"}, headers={"Accept": "application/json"}
    )

    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert "data" not in response.json()
    assert response.json()["errors"][0]["message"].startswith("Syntax Error")


# --- malformed requests: 400 --------------------------------------------------------------


async def test_a_malformed_json_body_is_a_400(client):
    response = await client.post(
        "/graphql", content=b'{"query": "{ viewer', headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert "Unable to parse request body as JSON" in response.text


async def test_an_unsupported_content_type_is_refused(client):
    response = await client.post(
        "/graphql", content=b"{ viewer { name } }", headers={"Content-Type": "text/plain"}
    )

    assert response.status_code in (400, 415)
    assert "Unsupported content type" in response.text


async def test_a_request_without_a_query_is_a_400(client):
    response = await client.post("/graphql", json={"variables": {}})

    assert response.status_code == 400
    assert "No GraphQL query found in the request" in response.text


async def test_a_query_that_is_not_a_string_is_a_400(client):
    response = await client.post("/graphql", json={"query": ["{ viewer { name } }"]})

    assert response.status_code == 400


async def test_a_batch_of_operations_is_a_400(client):
    response = await client.post("/graphql", json=[{"query": "{ viewer { name } }"}])

    assert response.status_code == 400


async def test_get_without_a_query_is_a_400(client):
    response = await client.get("/graphql", headers={"Accept": "application/json"})

    assert response.status_code == 400


# --- field errors: 200 with data ---------------------------------------------------------------


async def test_a_field_error_is_a_200_with_data_and_errors(client):
    response = await client.post(
        "/graphql", json={"query": "{ viewer { name } pages(first: 1000) { totalCount } }"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"viewer": None, "pages": None}  # the refused field nulls itself only
    assert body["errors"][0]["path"] == ["pages"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_field_error_in_a_nullable_field_keeps_the_rest_of_the_data(client, seeded_page):
    response = await client.post(
        "/graphql",
        json={
            "query": "query($slug: String!) { page(slug: $slug) { slug "
            "comments(first: 1000) { totalCount } } }",
            "variables": {"slug": seeded_page.slug},
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"page": {"slug": seeded_page.slug, "comments": None}}
    assert body["errors"][0]["path"] == ["page", "comments"]


async def test_a_refused_root_field_keeps_the_other_root_fields(gql, seeded_page):
    body = await gql('{ page(slug: "harvard-medical-school") { title } comments { totalCount } }')

    assert body["data"] == {"page": {"title": seeded_page.title}, "comments": None}
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["comments"], "UNAUTHENTICATED")
    ]


# --- request size limit -------------------------------------------------------------------


def small_body_app(database_url: str) -> httpx.AsyncClient:
    app = create_app(
        Settings(database_url=database_url, max_body_bytes=2048), manage_database=False
    )
    return http_client(app)


async def test_a_body_over_the_size_limit_is_a_413(database):
    padded = {"query": "{ viewer { name } }", "variables": {"padding": "x" * 3000}}

    async with small_body_app(database.url) as http:
        response = await http.post("/graphql", json=padded)

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_streamed_body_over_the_size_limit_is_a_413(database):
    async def chunks():
        yield b'{"query": "{ viewer { name } }", "variables": {"padding": "'
        for _ in range(10):
            yield b"x" * 500
        yield b'"}}'

    async with small_body_app(database.url) as http:
        response = await http.post(
            "/graphql", content=chunks(), headers={"Content-Type": "application/json"}
        )

    assert "content-length" not in response.request.headers
    assert response.status_code == 413


async def test_a_body_under_the_size_limit_is_served(database):
    async with small_body_app(database.url) as http:
        response = await http.post("/graphql", json={"query": "{ viewer { name } }"})

    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": None}}


# --- authentication ------------------------------------------------------------------------


async def test_an_unknown_token_is_a_401_with_code_unauthenticated(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { name } }"},
        headers={"Authorization": "Bearer cms_not-a-real-token"},
    )

    assert response.status_code == 401
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_an_authorization_header_that_is_not_bearer_is_a_401(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { name } }"},
        headers={"Authorization": "Basic dXNlcjpwYXNz"},
    )

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_bad_token_is_refused_over_get_too(client):
    response = await client.get(
        "/graphql",
        params={"query": "{ viewer { name } }"},
        headers={"Authorization": "Bearer nope"},
    )

    assert response.status_code == 401
