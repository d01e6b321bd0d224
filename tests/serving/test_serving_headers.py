"""Security headers on every response (CSP on HTML pages) and CORS for front ends on
configured origins only."""

from graphql_support import app_client

from cms.config import Settings

FRONT_END = "https://www.example.com"


async def test_graphiql_gets_a_content_security_policy_that_lets_it_run(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


async def test_html_pages_may_not_be_framed(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.headers["x-frame-options"] == "DENY"


async def test_every_response_forbids_content_sniffing_and_limits_the_referrer(client):
    response = await client.post("/graphql", json={"query": "{ viewer { name } }"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "content-security-policy" not in response.headers


async def test_by_default_no_origin_is_allowed_cross_origin(client):
    response = await client.post(
        "/graphql", json={"query": "{ viewer { name } }"}, headers={"Origin": FRONT_END}
    )
    assert "access-control-allow-origin" not in response.headers


async def test_a_configured_origin_may_call_the_api(database):
    async with app_client(Settings(database_url=database.url, cors_origins=[FRONT_END])) as client:
        response = await client.post(
            "/graphql", json={"query": "{ viewer { name } }"}, headers={"Origin": FRONT_END}
        )
    assert response.headers["access-control-allow-origin"] == FRONT_END
    assert "access-control-allow-credentials" not in response.headers


async def test_a_preflight_from_a_configured_origin_allows_the_authorization_header(database):
    async with app_client(Settings(database_url=database.url, cors_origins=[FRONT_END])) as client:
        response = await client.options(
            "/graphql",
            headers={
                "Origin": FRONT_END,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
    assert response.status_code == 200
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


async def test_a_preflight_from_another_origin_is_refused(database):
    async with app_client(Settings(database_url=database.url, cors_origins=[FRONT_END])) as client:
        response = await client.options(
            "/graphql",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
    assert response.status_code == 400
