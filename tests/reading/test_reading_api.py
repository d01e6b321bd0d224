"""Reading content through the GraphQL API: a page with its section tree, listing pages,
fetching any object by its global ID, the viewer, and a page's approved comments."""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest

from cms.models import Comment, CommentStatus, Page, PageStatus, Revision, Role
from cms.services.auth import Viewer
from cms.services.pages import create_page, set_page_status
from cms.services.sections import create_section
from schema.relay import to_global_id

EDITOR = Viewer(token_id=0, name="fixture editor", role=Role.EDITOR)


async def draft_page(slug: str, title: str | None = None) -> Page:
    return await create_page(EDITOR, slug=slug, title=title or slug.replace("-", " ").title())


async def publish(page: Page) -> Page:
    """Publish the page as it is now: readers see what was there when it was published."""
    return await set_page_status(EDITOR, page.id, PageStatus.PUBLISHED)


async def published_page(slug: str, title: str | None = None) -> Page:
    return await publish(await draft_page(slug, title))


async def comment(page: Page, body: str, status: CommentStatus, parent: Comment | None = None):
    return await Comment.create(
        page=page,
        parent=parent,
        author_name=f"author of {body}",
        author_email="reader@example.org",
        body=body,
        status=status,
    )


# --- page(slug:) and its sections --------------------------------------------------------


async def test_page_by_slug_returns_its_fields(gql):
    page = await create_page(EDITOR, slug="about-us", title="About us", summary="Who we are")
    await set_page_status(EDITOR, page.id, PageStatus.PUBLISHED)

    data = await gql.data(
        '{ page(slug: "about-us") { slug title summary status publishedAt version } }'
    )

    assert data["page"]["slug"] == "about-us"
    assert data["page"]["title"] == "About us"
    assert data["page"]["summary"] == "Who we are"
    assert data["page"]["status"] == "PUBLISHED"
    assert data["page"]["publishedAt"] is not None
    assert data["page"]["version"] == 2  # created, then published


async def test_unknown_slug_returns_null(gql):
    assert await gql.data('{ page(slug: "no-such-page") { id } }') == {"page": None}


async def test_page_sections_are_top_level_sections_in_position_order(gql):
    page = await draft_page("guide")
    await create_section(EDITOR, page.id, title="Second")
    await create_section(EDITOR, page.id, title="Third")
    await create_section(EDITOR, page.id, title="First", position=0)
    await publish(page)

    data = await gql.data('{ page(slug: "guide") { sections { title position } } }')

    assert data["page"]["sections"] == [
        {"title": "First", "position": 0},
        {"title": "Second", "position": 1},
        {"title": "Third", "position": 2},
    ]


async def test_sections_nest_children_with_parent_page_and_depth(gql):
    page = await draft_page("guide")
    programs = await create_section(EDITOR, page.id, title="Programs")
    md = await create_section(EDITOR, page.id, title="MD", parent_id=programs.id)
    await create_section(EDITOR, page.id, title="PhD", parent_id=programs.id)
    await create_section(EDITOR, page.id, title="Year one", parent_id=md.id)
    await publish(page)

    data = await gql.data(
        """{ page(slug: "guide") { sections {
             title depth parent { title } page { slug }
             children { title position depth parent { title }
               children { title depth parent { title } page { slug } } }
        } } }"""
    )

    [top] = data["page"]["sections"]
    assert (top["title"], top["depth"], top["parent"], top["page"]) == (
        "Programs",
        0,
        None,
        {"slug": "guide"},
    )
    assert [(c["title"], c["position"], c["depth"]) for c in top["children"]] == [
        ("MD", 0, 1),
        ("PhD", 1, 1),
    ]
    assert top["children"][0]["parent"] == {"title": "Programs"}
    assert top["children"][0]["children"] == [
        {"title": "Year one", "depth": 2, "parent": {"title": "MD"}, "page": {"slug": "guide"}}
    ]
    assert top["children"][1]["children"] == []


async def test_section_anchor_is_a_slug_of_its_title_and_unique_on_the_page(gql):
    page = await draft_page("guide")
    await create_section(EDITOR, page.id, title="Admissions & Fees")
    await create_section(EDITOR, page.id, title="Admissions & Fees")
    await publish(page)

    data = await gql.data('{ page(slug: "guide") { sections { anchor } } }')

    assert [s["anchor"] for s in data["page"]["sections"]] == [
        "admissions-fees",
        "admissions-fees-2",
    ]


async def test_untitled_section_has_null_title_and_keeps_its_markdown_body(gql):
    page = await draft_page("guide")
    await create_section(EDITOR, page.id, body="Just a *paragraph* on its own.")
    await publish(page)

    data = await gql.data('{ page(slug: "guide") { sections { title body } } }')

    assert data["page"]["sections"] == [{"title": None, "body": "Just a *paragraph* on its own."}]


async def test_body_html_renders_markdown(gql):
    page = await draft_page("guide")
    body = "Some *emphasis*, **strong** and [a link](https://example.org).\n\n- one\n- two"
    await create_section(EDITOR, page.id, title="Rendered", body=body)
    await publish(page)

    data = await gql.data('{ page(slug: "guide") { sections { bodyHtml } } }')

    html = data["page"]["sections"][0]["bodyHtml"]
    assert "<em>emphasis</em>" in html
    assert "<strong>strong</strong>" in html
    assert '<a href="https://example.org"' in html
    assert "<li>one</li>" in html


class HtmlElements(HTMLParser):
    """The elements of an HTML fragment, as (tag, attributes) pairs."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def unsafe_parts(html: str) -> list[str]:
    """Scripts, event-handler attributes and javascript: URLs found in ``html``."""
    found = []
    for tag, attributes in HtmlElements(html).elements:
        if tag in {"script", "iframe", "object", "embed", "style"}:
            found.append(tag)
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name in {"href", "src"} and value.strip().lower().startswith("javascript:"):
                found.append(f"{tag}[{name}={value}]")
    return found


HOSTILE_MARKDOWN = [
    "Hello <script>alert(1)</script>",
    '<img src="x.png" onerror="alert(1)">',
    '<p onclick="alert(1)">hi</p>',
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(1)">raw link</a>',
    "![pic](javascript:alert(1))",
    "[entity](java&#x73;cript:alert(1))",
    "[spaced]( JaVaScRiPt:alert(1))",
    "<javascript:alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
]


async def test_body_html_is_sanitised(gql):
    page = await draft_page("guide")
    for markdown in HOSTILE_MARKDOWN:
        await create_section(EDITOR, page.id, body=markdown)
    await publish(page)

    data = await gql.data('{ page(slug: "guide") { sections { body bodyHtml } } }')

    sections = data["page"]["sections"]
    assert [s["body"] for s in sections] == HOSTILE_MARKDOWN  # the source is kept as written
    assert {s["body"]: unsafe_parts(s["bodyHtml"]) for s in sections} == {
        markdown: [] for markdown in HOSTILE_MARKDOWN
    }


async def test_raw_html_in_markdown_is_shown_as_text_not_markup(gql):
    page = await draft_page("guide")
    await create_section(EDITOR, page.id, body="Use <b>bold</b> sparingly.")
    await publish(page)

    data = await gql.data('{ page(slug: "guide") { sections { bodyHtml } } }')

    assert data["page"]["sections"][0]["bodyHtml"] == (
        "<p>Use &lt;b&gt;bold&lt;/b&gt; sparingly.</p>\n"
    )


# --- pages(...) ----------------------------------------------------------------------------


async def test_pages_search_matches_title_case_insensitively(gql):
    await published_page("medicine", "Harvard Medical School")
    await published_page("law", "School of Law")
    await published_page("garden", "Gardening")

    for term in ("school", "SCHOOL", "  School "):
        data = await gql.data(
            "query($s: String) { pages(filter: {search: $s}, orderBy: {field: TITLE, "
            "direction: ASC}) { totalCount edges { node { title } } } }",
            {"s": term},
        )
        titles = [edge["node"]["title"] for edge in data["pages"]["edges"]]
        assert titles == ["Harvard Medical School", "School of Law"], term
        assert data["pages"]["totalCount"] == 2


async def test_pages_search_treats_like_wildcards_literally(gql):
    await published_page("discount", "50% off")
    await published_page("half", "500 reasons")
    await published_page("snake", "snake_case names")
    await published_page("camel", "snakeXcase names")

    percent = await gql.data('{ pages(filter: {search: "0%"}) { edges { node { slug } } } }')
    underscore = await gql.data('{ pages(filter: {search: "e_c"}) { edges { node { slug } } } }')

    assert [e["node"]["slug"] for e in percent["pages"]["edges"]] == ["discount"]
    assert [e["node"]["slug"] for e in underscore["pages"]["edges"]] == ["snake"]


async def test_editor_can_filter_pages_by_status(gql, editor_token):
    await published_page("live")
    await create_page(EDITOR, slug="draft-one", title="Draft one")
    archived = await published_page("old")
    await set_page_status(EDITOR, archived.id, PageStatus.ARCHIVED)

    query = "query($s: PageStatus) { pages(filter: {status: $s}) { edges { node { slug } } } }"
    by_status = {
        status: [
            e["node"]["slug"]
            for e in (await gql.data(query, {"s": status}, editor_token))["pages"]["edges"]
        ]
        for status in ("DRAFT", "PUBLISHED", "ARCHIVED")
    }

    assert by_status == {"DRAFT": ["draft-one"], "PUBLISHED": ["live"], "ARCHIVED": ["old"]}


async def pages_with_distinct_orders() -> None:
    """Three pages whose order differs for each field, so a wrong field is noticed:
    title A<B<C, created B<C<A, updated C<A<B, published A<C<B."""
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for slug, title, created, updated, published in (
        ("a", "Alpha", 3, 2, 1),
        ("b", "Bravo", 1, 3, 3),
        ("c", "Charlie", 2, 1, 2),
    ):
        page = await published_page(slug, title)
        await Page.filter(id=page.id).update(
            created_at=base + timedelta(days=created),
            updated_at=base + timedelta(days=updated),
            published_at=base + timedelta(days=published),
            # Readers' "updated" is when the content they see changed: the live revision's
            # time, which publishing copies to the page (live_updated_at).
            live_updated_at=base + timedelta(days=updated),
        )
        await Revision.filter(id=page.live_revision_id).update(
            created_at=base + timedelta(days=updated)
        )


@pytest.mark.parametrize(
    ("field", "ascending"),
    [
        ("TITLE", ["a", "b", "c"]),
        ("CREATED_AT", ["b", "c", "a"]),
        ("UPDATED_AT", ["c", "a", "b"]),
        ("PUBLISHED_AT", ["a", "c", "b"]),
    ],
)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_pages_can_be_ordered_by_each_field_in_both_directions(
    gql, field, ascending, direction
):
    await pages_with_distinct_orders()

    data = await gql.data(
        "query($f: PageOrderField!, $d: OrderDirection!) {"
        " pages(orderBy: {field: $f, direction: $d}) { edges { node { slug } } } }",
        {"f": field, "d": direction},
    )

    expected = ascending if direction == "ASC" else ascending[::-1]
    assert [edge["node"]["slug"] for edge in data["pages"]["edges"]] == expected


async def test_pages_are_newest_published_first_by_default(gql):
    await pages_with_distinct_orders()

    data = await gql.data("{ pages { edges { node { slug } } } }")

    assert [edge["node"]["slug"] for edge in data["pages"]["edges"]] == ["b", "c", "a"]


# --- node(id:) -----------------------------------------------------------------------------


NODE_QUERY = """query($id: ID!) { node(id: $id) { __typename id
  ... on Page { slug }
  ... on Section { title page { slug } }
  ... on Comment { body page { slug } }
} }"""


async def test_node_fetches_a_page_by_its_global_id(gql):
    await published_page("guide")
    page_id = (await gql.data('{ page(slug: "guide") { id } }'))["page"]["id"]

    data = await gql.data(NODE_QUERY, {"id": page_id})

    assert data["node"] == {"__typename": "Page", "id": page_id, "slug": "guide"}


async def test_node_fetches_a_section_by_its_global_id(gql):
    page = await draft_page("guide")
    await create_section(EDITOR, page.id, title="Intro")
    await publish(page)
    section_id = (await gql.data('{ page(slug: "guide") { sections { id } } }'))["page"][
        "sections"
    ][0]["id"]

    data = await gql.data(NODE_QUERY, {"id": section_id})

    assert data["node"] == {
        "__typename": "Section",
        "id": section_id,
        "title": "Intro",
        "page": {"slug": "guide"},
    }


async def test_node_fetches_an_approved_comment_by_its_global_id(gql):
    page = await published_page("guide")
    await comment(page, "Nice read", CommentStatus.APPROVED)
    comment_id = (await gql.data('{ page(slug: "guide") { comments { edges { node { id } } } } }'))[
        "page"
    ]["comments"]["edges"][0]["node"]["id"]

    data = await gql.data(NODE_QUERY, {"id": comment_id})

    assert data["node"] == {
        "__typename": "Comment",
        "id": comment_id,
        "body": "Nice read",
        "page": {"slug": "guide"},
    }


@pytest.mark.parametrize(
    "global_id",
    [
        "not base64 at all!",
        "UGFnZTo=",  # "Page:" without a key
        "VW5rbm93bjox",  # "Unknown:1"
        "UGFnZTo5OTk5OTk5OTk5OTk5OTk5OTk5",  # "Page:9999999999999999999", beyond any key
        "UGFnZTotMQ==",  # "Page:-1"
    ],
)
async def test_node_with_an_id_that_is_not_ours_returns_null(gql, global_id):
    assert await gql(NODE_QUERY, {"id": global_id}) == {"data": {"node": None}}


# --- viewer --------------------------------------------------------------------------------


async def test_viewer_is_null_without_a_token(gql):
    assert await gql.data("{ viewer { name role } }") == {"viewer": None}


async def test_viewer_names_the_editor_behind_the_token(gql, editor_token):
    data = await gql.data("{ viewer { name role } }", token=editor_token)

    assert data == {"viewer": {"name": "test editor", "role": "EDITOR"}}


async def test_viewer_names_the_admin_behind_the_token(gql, admin_token):
    data = await gql.data("{ viewer { name role } }", token=admin_token)

    assert data == {"viewer": {"name": "test admin", "role": "ADMIN"}}


# --- comments ------------------------------------------------------------------------------

COMMENTS_QUERY = """{ page(slug: "guide") { commentCount comments { totalCount edges { node {
  body authorName status
  replies(first: 10) { edges { node { body replies(first: 10) { edges { node { body } } } } } }
} } } } }"""
THREAD_QUERY = """query ($first: Int, $after: String) { page(slug: "guide") {
  comments(withReplies: true, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { body parentId } } } } }"""


async def test_page_comments_are_approved_top_level_comments_oldest_first(gql):
    page = await published_page("guide")
    await comment(page, "first", CommentStatus.APPROVED)
    await comment(page, "held for moderation", CommentStatus.PENDING)
    await comment(page, "second", CommentStatus.APPROVED)

    data = await gql.data(COMMENTS_QUERY)

    nodes = [edge["node"] for edge in data["page"]["comments"]["edges"]]
    assert [(n["body"], n["authorName"], n["status"]) for n in nodes] == [
        ("first", "author of first", "APPROVED"),
        ("second", "author of second", "APPROVED"),
    ]
    assert data["page"]["comments"]["totalCount"] == 2


async def test_replies_are_threaded_under_the_comment_they_answer(gql):
    page = await published_page("guide")
    question = await comment(page, "question", CommentStatus.APPROVED)
    answer = await comment(page, "answer", CommentStatus.APPROVED, parent=question)
    await comment(page, "thanks", CommentStatus.APPROVED, parent=answer)
    await comment(page, "spam reply", CommentStatus.SPAM, parent=question)

    data = await gql.data(COMMENTS_QUERY)

    [thread] = [edge["node"] for edge in data["page"]["comments"]["edges"]]
    assert thread["body"] == "question"
    answer = {"body": "answer", "replies": {"edges": [{"node": {"body": "thanks"}}]}}
    assert thread["replies"] == {"edges": [{"node": answer}]}


async def test_with_replies_lists_the_whole_thread_depth_first_in_pages(gql):
    page = await published_page("guide")
    first = await comment(page, "first", CommentStatus.APPROVED)
    second = await comment(page, "second", CommentStatus.APPROVED)
    reply = await comment(page, "reply to first", CommentStatus.APPROVED, parent=first)
    await comment(page, "reply to second", CommentStatus.APPROVED, parent=second)
    await comment(page, "answer to the reply", CommentStatus.APPROVED, parent=reply)
    await comment(page, "later reply to first", CommentStatus.APPROVED, parent=first)
    await comment(page, "held reply", CommentStatus.PENDING, parent=first)

    head = (await gql.data(THREAD_QUERY, {"first": 4}))["page"]["comments"]
    after = head["pageInfo"]["endCursor"]
    tail = (await gql.data(THREAD_QUERY, {"first": 4, "after": after}))["page"]["comments"]

    def gid(parent: Comment | None) -> str | None:
        return None if parent is None else to_global_id("Comment", parent.id)

    assert [(e["node"]["body"], e["node"]["parentId"]) for e in head["edges"] + tail["edges"]] == [
        ("first", None),
        ("reply to first", gid(first)),
        ("answer to the reply", gid(reply)),
        ("later reply to first", gid(first)),
        ("second", None),
        ("reply to second", gid(second)),
    ]
    assert (head["totalCount"], head["pageInfo"]["hasNextPage"]) == (6, True)
    assert tail["pageInfo"]["hasNextPage"] is False


async def test_comment_count_counts_approved_comments_and_replies_only(gql):
    page = await published_page("guide")
    top = await comment(page, "top", CommentStatus.APPROVED)
    await comment(page, "reply", CommentStatus.APPROVED, parent=top)
    await comment(page, "other", CommentStatus.APPROVED)
    for status in (CommentStatus.PENDING, CommentStatus.SPAM, CommentStatus.TRASH):
        await comment(page, f"{status} comment", status)
        await comment(page, f"{status} reply", status, parent=top)

    data = await gql.data(COMMENTS_QUERY)

    assert data["page"]["commentCount"] == 3


async def test_page_without_comments_has_an_empty_connection(gql):
    await published_page("guide")

    data = await gql.data(COMMENTS_QUERY)

    assert data["page"]["commentCount"] == 0
    assert data["page"]["comments"] == {"totalCount": 0, "edges": []}
