"""The site's own addresses come from its routes: a new route is reserved and handled by itself.

app/addresses.py derives the organisers' addresses, the file addresses and the reserved
first segments from the URL map; the page cache, the mirror, the security headers,
robots.txt, the page slug check and docs/deploy.md's nginx block all follow it.
"""

import re

import pytest
from flask import Blueprint
from flask_admin import BaseView, expose
from sqlalchemy import func, select

from app.addresses import RESERVED_FOR_LATER, first_segment, site_addresses
from app.extensions import db
from app.mirror import build_mirror
from app.models import Page, Role
from tests import builders
from tests.accounts import AuthActions
from tests.apps import COMPILE_BUILDER, create_database, drop_database, make_app
from tests.nginx import snippet
from tests.pages import csrf_token_from


def test_the_sites_own_addresses_come_from_its_routes(app):
    addresses = site_addresses(app)

    assert addresses.organisers == {"admin", "login", "logout"}
    assert addresses.organisers_paths == ("/admin/", "/login", "/logout")
    assert addresses.files == {"static", "media"}
    assert addresses.page_endpoints == {"public.page"}
    used = {"feeds", "media", "needs", "needs.txt", "news", "robots.txt", "routes"}
    used |= {"sitemap.xml", "static", "admin", "login", "logout"}
    used |= {"fr"}  # the French pages, /fr/…: no page may be called "fr"
    used |= {"embed", "share"}  # the partners' embed and the share page (sharing.py)
    used |= {"api", "needs.csv"}  # the open data: /api/v1/…, the list for spreadsheets
    assert addresses.reserved == used | RESERVED_FOR_LATER.keys()
    assert site_addresses(app) is addresses  # derived once


@pytest.mark.parametrize(
    ("path", "segment"),
    [
        ("/", ""),
        ("/admin", "admin"),
        ("/admin/pages/", "admin"),
        ("/administrator-notes", "administrator-notes"),
    ],
)
def test_addresses_are_matched_by_whole_path_segments(app, path, segment):
    addresses = site_addresses(app)

    assert first_segment(path) == segment
    assert addresses.is_organisers(path) == (segment in {"admin", "login", "logout"})
    assert not addresses.is_organisers("/login-help")
    assert not addresses.passes_the_cache("/statically") and addresses.passes_the_cache("/static/x")


def sample_path(adapter, rule) -> tuple[str, str]:
    """An address of `rule` (every variable "1"), and a method it answers."""
    method = sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
    values = dict.fromkeys(rule.arguments, "1")
    return adapter.build(rule.endpoint, values, method=method), method


def routes_a_page_could_shadow(app) -> list[str]:
    """Routes whose addresses a page's /<slug> could take: one that starts with a variable (as
    the page route does), one whose first segment a page could still be given, or one that the
    page route would answer instead."""
    addresses = site_addresses(app)
    adapter = app.url_map.bind("localhost")
    shadowed = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in addresses.page_endpoints:
            if rule.rule != "/<slug>":
                shadowed.append(rule.rule)
            continue
        segment = first_segment(rule.rule)
        path, method = sample_path(adapter, rule)
        reserved = segment in addresses.reserved or segment == ""
        if not reserved or adapter.match(path, method=method)[0] != rule.endpoint:
            shadowed.append(rule.rule)
    return shadowed


def test_no_page_slug_can_shadow_a_route(app):
    """Fails when a route is added that a page slug could shadow."""
    assert routes_a_page_could_shadow(app) == []


def test_a_route_starting_with_a_variable_is_one_a_page_could_shadow(database_config):
    app = make_app(database_config)
    app.add_url_rule("/<city>/needs", "city_needs", lambda city: city)

    assert routes_a_page_could_shadow(app) == ["/<city>/needs"]


def new_page(client, slug: str):
    url = "/admin/pages/new/"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    data = {"title": "A page", "slug": slug, "is_published": "y", "csrf_token": token}
    return client.post(url, data=data)


def page_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Page))


class HelpView(BaseView):
    """An organisers' page outside /admin, as a future admin view might be."""

    @expose("/")
    def index(self):
        return '<p>Help for organisers. <a href="/needs">The list</a></p>' * 40


@pytest.fixture
def grown_app(database_config, tmp_path):
    """The app with routes added after it was built: a public page, a blueprint, an admin view."""
    app = make_app(database_config, MEDIA_DIR=str(tmp_path / "media"))
    app.add_url_rule("/donate", "donate", lambda: "Give")
    campaigns = Blueprint("campaigns", __name__)
    campaigns.add_url_rule("/campaigns/<name>", "campaign", lambda name: name)
    app.register_blueprint(campaigns)
    app.extensions["admin"][0].add_view(HelpView(name="Help", endpoint="help", url="/help"))
    create_database(app)
    yield app
    drop_database(app)


@pytest.mark.parametrize("slug", ["donate", "campaigns", "help"])
def test_a_new_route_is_reserved_and_no_page_may_take_it(grown_app, slug):
    client = grown_app.test_client()
    AuthActions(grown_app, client).login_as(Role.organiser)

    response = new_page(client, slug)

    assert slug in site_addresses(grown_app).reserved
    assert "is an address the site itself uses" in response.get_data(as_text=True)
    assert page_count(grown_app) == 0


@pytest.mark.parametrize("slug", ["administrator-notes", "admin-notes", "login-help", "apis"])
def test_a_slug_that_only_begins_like_a_route_is_a_page(app, auth, client, slug):
    auth.login_as(Role.organiser)

    assert new_page(client, slug).status_code == 302
    assert page_count(app) == 1


def test_a_new_organisers_address_is_handled_like_the_admin(grown_app, tmp_path):
    builders.page(
        grown_app, "about", "About", nav_position=1, body="[Help](/help/) and [giving](/donate)"
    )
    client = grown_app.test_client()

    help_page = client.get("/help/", headers={"Accept-Encoding": "gzip"})
    robots = client.get("/robots.txt").get_data(as_text=True)
    with grown_app.app_context():
        build_mirror(tmp_path / "site")
    about = (tmp_path / "site" / "about" / "index.html").read_text()

    assert site_addresses(grown_app).organisers == {"admin", "login", "logout", "help"}
    # Organisers' headers, compressed, and never kept by the page cache.
    assert help_page.headers["Cache-Control"] == "no-store"
    assert help_page.headers["Content-Encoding"] == "gzip"
    assert "ETag" not in help_page.headers
    assert "Disallow: /help/" in robots.splitlines()
    # The mirror leaves it to the live site, and links to it there.
    assert 'href="http://localhost/help/"' in about
    assert not (tmp_path / "site" / "help").exists()


def test_a_page_that_only_begins_like_the_admin_is_a_public_page(app, client, tmp_path):
    builders.page(app, "administrator-notes", "Notes", body="[Notes](/administrator-notes)")
    builders.page(app, "about", "About", nav_position=1, body="[Notes](/administrator-notes)")

    response = client.get("/administrator-notes")
    with app.app_context():
        build_mirror(tmp_path / "site")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=5"  # the page cache's
    assert "ETag" in response.headers
    assert (tmp_path / "site" / "administrator-notes" / "index.html").is_file()
    about = (tmp_path / "site" / "about" / "index.html").read_text()
    assert 'href="../administrator-notes/index.html"' in about


def test_robots_disallows_exactly_the_organisers_addresses(app, client):
    lines = client.get("/robots.txt").get_data(as_text=True).splitlines()

    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")]
    assert disallowed == list(site_addresses(app).organisers_paths)


def nginx_locations_to_the_app() -> set[str]:
    return set(
        re.findall(r"location (= \S+|\^~ \S+) \{ try_files /\.app @app; \}", snippet("nginx"))
    )


def test_nginx_sends_every_organisers_address_to_the_app(app):
    """docs/deploy.md's nginx block is written by hand: this fails until it names a new
    organisers' address (and the file addresses its cache lifetimes name)."""
    addresses = site_addresses(app)
    expected = {f"= /{segment}" for segment in addresses.organisers}
    expected |= {f"^~ {path}" for path in addresses.organisers_paths if path.endswith("/")}

    assert nginx_locations_to_the_app() == expected
    files = re.search(r"~\^/\(([^)]*)\)/\s+\"public, max-age=31536000", snippet("nginx"))
    assert files and set(files.group(1).split("|")) == addresses.files


def test_reused_url_builders_build_what_werkzeug_would(app):
    """tests/apps.py's reuse_url_builders, which every test runs with, changes no address."""
    for rule in app.url_map.iter_rules():
        values = {name: "1" for name in rule.arguments} | {"extra": "a b"}
        for append_unknown, reused in ((False, rule._build), (True, rule._build_unknown)):
            compiled = COMPILE_BUILDER(rule, append_unknown).__get__(rule, None)
            assert reused(**values) == compiled(**values), rule.rule
