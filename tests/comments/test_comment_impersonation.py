"""An earlier approved comment vouches for its author's next one only when it carries no
link: an author's name and email are public or guessable, so they prove nothing."""

from comment_support import api_for, defences_off, published_page, stored_comment


def trusting(database_url: str):
    return defences_off(database_url, comment_previously_approved=True)


async def test_a_link_from_a_known_name_and_email_waits_for_moderation(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.")
    async with api_for(trusting(database.url)) as api:
        payload = await api.add(page, body="Cheap pills at https://spam.example/ today.")
    assert payload["comment"]["status"] == "PENDING"


async def test_a_new_website_under_a_known_name_and_email_waits_for_moderation(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.", author_url="https://ada.example/")
    async with api_for(trusting(database.url)) as api:
        payload = await api.add(page, authorUrl="https://spam.example/")
    assert payload["comment"]["status"] == "PENDING"


async def test_a_known_author_with_their_own_website_is_approved_at_once(database):
    page = await published_page()
    await stored_comment(page, body="Earlier.", author_url="https://ada.example/")
    async with api_for(trusting(database.url)) as api:
        payload = await api.add(
            page, authorUrl="https://ada.example/", authorEmail="ADA@example.com"
        )
    assert payload["comment"]["status"] == "APPROVED"
