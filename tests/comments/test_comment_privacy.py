"""A commenter's email, IP and user agent reach editors only; avatars reveal only a hash
keyed by the site secret; admins answer GDPR export and erasure requests."""

import hashlib
import hmac

from comment_support import api_for, defences_off, gid, published_page, stored_comment

from cms.models import Comment
from cms.secret_key import signing_key

PRIVATE = "query ($id: ID!) { node(id: $id) { ... on Comment { %s } } }"

EXPORT = """
query ($email: String!) {
  exportCommenterData(email: $email) { email comments { body authorEmail authorIp } }
}"""

ERASE = """
mutation ($email: String!) {
  eraseCommenterData(input: {email: $email}) { anonymizedCount errors { field code } }
}"""


async def a_comment():
    page = await published_page()
    return await stored_comment(
        page, author_ip="198.51.100.4", author_user_agent="SecretBrowser/1.0"
    )


async def test_readers_get_an_error_not_the_email_ip_or_user_agent(gql):
    comment = await a_comment()
    for field in ("authorEmail", "authorIp", "authorUserAgent"):
        response = await gql.http.post(
            "/graphql", json={"query": PRIVATE % field, "variables": {"id": gid(comment)}}
        )
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        for secret in ("ada@example.com", "198.51.100.4", "SecretBrowser"):
            assert secret not in response.text


async def test_editors_read_the_email_ip_and_user_agent(gql, editor_token):
    comment = await a_comment()
    data = await gql.data(
        PRIVATE % "authorEmail authorIp authorUserAgent", {"id": gid(comment)}, editor_token
    )
    assert data["node"] == {
        "authorEmail": "ada@example.com",
        "authorIp": "198.51.100.4",
        "authorUserAgent": "SecretBrowser/1.0",
    }


async def test_the_avatar_url_holds_a_hash_keyed_by_the_site_secret(gql, settings):
    page = await published_page()
    comment = await stored_comment(page, author_email=" Ada@Example.com ")
    data = await gql.data(PRIVATE % "avatarUrl", {"id": gid(comment)})
    key = b"cms.avatar:" + signing_key(settings).encode()
    digest = hmac.new(key, b"ada@example.com", hashlib.sha256).hexdigest()
    assert data["node"]["avatarUrl"] == (
        f"https://www.gravatar.com/avatar/{digest}?s=80&d=identicon&f=y"
    )
    assert hashlib.sha256(b"ada@example.com").hexdigest() not in data["node"]["avatarUrl"]
    assert "example.com" not in data["node"]["avatarUrl"]


async def test_another_site_secret_gives_another_avatar_hash(database):
    page = await published_page()
    comment = await stored_comment(page)
    urls = set()
    for secret_key in ("first-site-secret-key", "second-site-secret-key"):
        async with api_for(defences_off(database.url, secret_key=secret_key)) as api:
            urls.add(
                (await api.data(PRIVATE % "avatarUrl", {"id": gid(comment)}))["node"]["avatarUrl"]
            )
    assert len(urls) == 2


async def test_admins_export_every_comment_left_with_an_email(gql, admin_token):
    await a_comment()
    other = await published_page("other")
    await stored_comment(other, body="Second", author_email="ADA@example.com")
    await stored_comment(other, body="Not hers", author_email="bob@example.com")
    data = await gql.data(EXPORT, {"email": "ada@example.com"}, admin_token)
    exported = data["exportCommenterData"]["comments"]
    assert [c["body"] for c in exported] == ["Stored directly.", "Second"]
    assert exported[0]["authorIp"] == "198.51.100.4"


async def test_editors_cannot_export_commenter_data(gql, editor_token):
    await a_comment()
    body = await gql(EXPORT, {"email": "ada@example.com"}, editor_token)
    assert body["data"] == {"exportCommenterData": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "198.51.100.4" not in str(body)


async def test_erasing_anonymises_every_comment_by_that_email_and_keeps_the_text(gql, admin_token):
    comment = await a_comment()
    other = await stored_comment(await published_page("other"), author_email="bob@example.com")
    data = await gql.data(ERASE, {"email": "Ada@Example.com"}, admin_token)
    assert data["eraseCommenterData"] == {"anonymizedCount": 1, "errors": []}
    erased = await Comment.get(id=comment.id)
    assert (erased.author_name, erased.author_email, erased.author_ip) == ("Anonymous", "", None)
    assert erased.author_user_agent is None
    assert erased.body == "Stored directly."
    assert (await Comment.get(id=other.id)).author_email == "bob@example.com"


async def test_an_erased_comment_has_no_avatar(gql, admin_token):
    comment = await a_comment()
    await gql.data(ERASE, {"email": "ada@example.com"}, admin_token)
    data = await gql.data(PRIVATE % "avatarUrl", {"id": gid(comment)})
    assert data["node"]["avatarUrl"] is None


async def test_editors_cannot_erase_commenter_data(gql, editor_token):
    await a_comment()
    body = await gql(ERASE, {"email": "ada@example.com"}, editor_token)
    assert body["data"] == {"eraseCommenterData": None}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await Comment.filter(author_email="ada@example.com").count() == 1
