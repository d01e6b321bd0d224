"""GraphiQL at /graphql works with no internet: the page and every asset come from the app."""

from html.parser import HTMLParser


class AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.assets.append(value)


async def test_browser_gets_graphiql_page_at_graphql(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()
    assert "harvard-medical-school" in response.text  # the seeded page query is preloaded


async def test_every_graphiql_asset_is_served_by_the_app_itself(client):
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    collector = AssetCollector()
    collector.feed(page.text)

    assert len(collector.assets) >= 8
    for asset in collector.assets:
        assert asset.startswith("/static/"), f"{asset} is not served by the app"
        response = await client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 0, asset
