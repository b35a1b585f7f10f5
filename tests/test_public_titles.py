"""Every page's title ends with the group's name, written once by the page's layout."""

from html.parser import HTMLParser

import pytest

from app.extensions import db
from app.models import Role, Settings
from tests import builders

GROUP = "Calais & Co"


class TitleParser(HTMLParser):
    """The page's <title> (the first: a map's SVG has its own) and the og:title a share
    preview shows, as a browser reads them."""

    def __init__(self):
        super().__init__()
        self.title, self.og_title, self._in_title, self._titles = "", None, False, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._titles += 1
        self._in_title = tag == "title" and self._titles == 1
        if tag == "meta" and attrs.get("property") == "og:title":
            self.og_title = attrs["content"]

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def titles(client, url: str, status: int = 200) -> tuple[str, str | None]:
    response = client.get(url)
    assert response.status_code == status
    parser = TitleParser()
    parser.feed(response.get_data(as_text=True))
    return parser.title, parser.og_title


@pytest.fixture
def site(app):
    with app.app_context():
        db.session.get(Settings, 1).group_name = GROUP
        db.session.commit()
    builders.page(app, "about", "About <us>")
    builders.published_post(app, "week", "A week in Calais")
    builders.route(app, "English Channel to the UK", slug="channel")


@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/", 200, GROUP),
        ("/needs", 200, f"What we need now – {GROUP}"),
        ("/news", 200, f"Report-backs – {GROUP}"),
        ("/news/week", 200, f"A week in Calais – {GROUP}"),
        ("/about", 200, f"About <us> – {GROUP}"),
        ("/routes", 200, f"The routes across Fortress Europe – {GROUP}"),
        ("/routes/channel", 200, f"English Channel to the UK – {GROUP}"),
        ("/login", 200, f"Organisers’ log in – {GROUP}"),
        ("/no-such-page", 404, f"Page not found – {GROUP}"),
    ],
)
def test_public_titles_name_the_page_then_the_group(site, client, url, status, title):
    assert titles(client, url, status) == (title, title)


def test_organisers_light_pages_name_the_page_then_the_group(site, auth, client):
    auth.login_as(Role.organiser)

    assert titles(client, "/admin/board/")[0] == f"The needs board – {GROUP} organisers"
    assert titles(client, "/admin/board/new")[0] == f"Add an item – {GROUP} organisers"
