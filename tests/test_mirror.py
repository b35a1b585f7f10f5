"""The static mirror: the whole public site as files, no broken links, rebuilt incrementally.

The incremental builds are checked against full builds after every kind of change
a site sees (needs, sites, report-backs, pages, routes, settings, images, the
clock): the files must be the same, byte for byte.
"""

import functools
import gzip
import http.server
import re
import threading
import urllib.request
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy.orm import Session

from app.content_version import ContentVersion
from app.extensions import db
from app.mirror import MirrorUnavailable, build_mirror
from app.mirror import build as mirror_build
from app.mirror.files import MANIFEST, BuildWriter, MirrorPaths
from app.models import (
    Category,
    Figure,
    Image,
    Need,
    Page,
    Place,
    Post,
    Role,
    Route,
    Settings,
    Site,
    Stage,
    Urgency,
)
from tests import builders
from tests.apps import create_database, drop_database, make_app

LINKS = re.compile(r'\b(?:href|src)="([^"]*)"')


def local_links(html: str) -> list[str]:
    return [link for link in LINKS.findall(html) if not re.match(r"^([a-z][a-z0-9+.-]*:|#)", link)]


def broken_links(mirror: Path) -> list[str]:
    broken = []
    for page in mirror.rglob("*.html"):
        for link in local_links(page.read_text()):
            target = (page.parent / unquote(urlsplit(link).path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(mirror)} → {link}")
    return broken


def mirror_files(link: Path) -> dict[str, bytes]:
    root = link.resolve()
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }


def different_files(one: dict[str, bytes], other: dict[str, bytes]) -> list[str]:
    return sorted(name for name in one.keys() | other.keys() if one.get(name) != other.get(name))


def full_build_files(app, tmp_path: Path) -> dict[str, bytes]:
    target = tmp_path / f"full-{len(list(tmp_path.glob('full-*.builds')))}"
    with app.app_context():
        build_mirror(target, full=True)
    return mirror_files(target)


@pytest.fixture
def demo_app(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    return app


def upload_image(app, client, auth) -> str:
    auth.login_as(Role.organiser)
    builders.uploaded_picture(client)
    with app.app_context():
        return db.session.scalar(db.select(Image)).markdown


# A whole mirror ------------------------------------------------------------------


def test_the_mirror_holds_every_public_page_and_has_no_broken_links(
    demo_app, client, auth, tmp_path
):
    markdown = upload_image(demo_app, client, auth)
    with demo_app.app_context():
        db.session.scalar(db.select(Post)).body += f"\n\n{markdown}"
        db.session.commit()
        build_mirror(tmp_path / "site")
    mirror = tmp_path / "site"

    assert mirror.is_symlink()
    for name in [
        "index.html",
        "needs/index.html",
        "needs.txt",
        "routes/index.html",
        "routes/central-mediterranean/index.html",
        "news/index.html",
        "news/winter-is-coming/index.html",
        "get-involved/index.html",
        "feeds/news.atom",
        "feeds/needs.atom",
        "sitemap.xml",
        "robots.txt",
        "fr/index.html",
        "fr/needs/index.html",
        "fr/needs.txt",
        "fr/routes/index.html",
        "fr/routes/central-mediterranean/index.html",
        "fr/news/index.html",
        "fr/news/winter-is-coming/index.html",
        "fr/get-involved/index.html",
        "fr/feeds/news.atom",
        "fr/feeds/needs.atom",
        "needs/share.png",
        "fr/needs/share.png",
        "needs/poster/index.html",
        "fr/needs/flyer/index.html",
        "needs/text/index.html",
        "share/index.html",
        "embed/needs/index.html",
        "fr/embed/needs/index.html",
        "needs.csv",
        "fr/needs.csv",
        "api/v1/openapi.json",
        "api/v1/needs.json",
        "fr/api/v1/routes.json",
    ]:
        assert (mirror / name).is_file(), name
    for pattern in [
        "static/css/site.*.css",
        "static/maps/basemap.*.svg",
        "media/*.jpg",
    ]:
        assert list(mirror.glob(pattern)), pattern
    assert broken_links(mirror) == []
    assert 'href="http://localhost/login"' in (mirror / "index.html").read_text()
    assert '<html lang="fr"' in (mirror / "fr" / "needs" / "index.html").read_text()
    assert 'href="../../needs/index.html"' in (mirror / "fr" / "needs" / "index.html").read_text()


def test_every_text_file_has_a_gzip_copy_with_the_same_time(demo_app, tmp_path):
    with demo_app.app_context():
        build_mirror(tmp_path / "site")
    mirror = (tmp_path / "site").resolve()

    texts = [
        path
        for path in mirror.rglob("*")
        if path.suffix in (".html", ".txt", ".xml", ".atom", ".css", ".svg", ".json", ".csv")
        and not path.name.startswith(".")  # the manifest is not served
    ]
    assert len(texts) > 20
    for path in texts:
        copy = Path(f"{path}.gz")
        assert gzip.decompress(copy.read_bytes()) == path.read_bytes(), path
        assert copy.stat().st_mtime == path.stat().st_mtime, path
    assert not list(mirror.glob("**/share.png.gz")), "PNG is compressed already"


def test_the_mirror_is_served_by_a_plain_web_server_with_the_app_stopped(demo_app, tmp_path):
    with demo_app.app_context():
        build_mirror(tmp_path / "site")
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site")
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with urllib.request.urlopen(f"{base}/needs/") as response:  # noqa: S310
            html = response.read().decode()
        with urllib.request.urlopen(f"{base}/routes/western-balkans/") as response:  # noqa: S310
            route = response.read().decode()
    finally:
        server.shutdown()
        server.server_close()

    assert "Sleeping bags" in html and "Please do not send" in html
    assert "Western Balkans" in route


# Incremental builds: the same bytes as a full build, after every kind of change ----------


def _need(name: str) -> Need:
    return db.session.scalar(db.select(Need).where(Need.name == name))


def _post() -> Post:
    return db.session.scalar(db.select(Post).order_by(Post.id))


def _page(slug: str) -> Page:
    return db.session.scalar(db.select(Page).where(Page.slug == slug))


def _route(slug: str) -> Route:
    return db.session.scalar(db.select(Route).where(Route.slug == slug))


def _add_stage():
    route = _route("english-channel-to-the-uk")
    dover = Place(name="Dover", country="United Kingdom", latitude=51.13, longitude=1.31)
    db.session.add(
        Stage(
            route=route,
            from_place=route.stages[-1].to_place,
            to_place=dover,
            position=99,
            travel="By lorry",
        )
    )


def _add_figure():
    db.session.add(
        Figure(
            route=_route("central-mediterranean"),
            label="people recorded dead",
            value=1000,
            source_name="IOM Missing Migrants",
            source_url="https://missingmigrants.iom.int/",
        )
    )


CHANGES = {
    "urgency of an item": lambda: setattr(_need("Sleeping bags"), "urgency", Urgency.plenty),
    "new item in a new category": lambda: db.session.add(
        Need(name="Power banks", category=Category(name="Phones", slug="phones"))
    ),
    "category renamed": lambda: setattr(
        db.session.scalar(db.select(Category).order_by(Category.id)), "name", "Clothes"
    ),
    "item deleted": lambda: db.session.delete(_need("Sleeping bags")),
    "drop-off point closed": lambda: setattr(
        db.session.scalar(db.select(Site)), "is_active", False
    ),
    "report-back published": lambda: db.session.add(
        Post(slug="fresh", title="Fresh news", published_at=datetime.now(UTC) - timedelta(1))
    ),
    "report-back text edited": lambda: setattr(_post(), "body", "Rewritten **entirely**."),
    "report-back given a new address": lambda: setattr(_post(), "slug", "moved-here"),
    "report-back back to draft": lambda: setattr(_post(), "published_at", None),
    "report-back deleted": lambda: db.session.delete(_post()),
    "page text edited": lambda: setattr(_page("about"), "body", "We are *new* here."),
    "page renamed in the menu": lambda: setattr(_page("about"), "title", "Who we are"),
    "page unpublished": lambda: setattr(_page("contact"), "is_published", False),
    "group renamed": lambda: setattr(Settings.current(), "group_name", "Calais Aid"),
    "pause banner on": lambda: (
        setattr(Settings.current(), "pause_enabled", True),
        setattr(Settings.current(), "pause_message", "Full until Monday"),
    ),
    "route unpublished": lambda: setattr(_route("western-balkans"), "is_published", False),
    "stage added": _add_stage,
    "place renamed": lambda: setattr(db.session.scalar(db.select(Place)), "name", "Kabul city"),
    "figure added": _add_figure,
    "French name of an item": lambda: _need("Sleeping bags").set_translation(
        "fr", "name", "Duvets bien chauds"
    ),
    "French text of a page": lambda: _page("about").set_translation(
        "fr", "body", "Nous sommes *nouveaux* ici."
    ),
}
# What each change may render again at most in the default language (the demo site has 26
# addresses in each). Every page exists once per language and reads the same records (a
# French page shows the English original where a text has no translation), so a change
# renders the English pages it touches and their French twins as well: those French ones
# are checked to be exactly the twins (french_twins), not counted here. Addresses every
# language shares (the sitemap, static files) have no twin.
# An item's urgency: the pages that show the list (home, /needs, its text, CSV, API, embed,
# poster, flyer, share image and feed), and no more.
AT_MOST_RENDERED = {"urgency of an item": 12, "page text edited": 7, "report-back text edited": 8}
SHARED = ("/sitemap.xml", "/robots.txt", "/static/", "/media/")


@pytest.fixture
def rendered_urls(monkeypatch) -> list[str]:
    """The addresses each build renders, in order."""
    urls = []
    real_render = mirror_build.render

    def recording(client, url, site_url):
        urls.append(url)
        return real_render(client, url, site_url)

    monkeypatch.setattr(mirror_build, "render", recording)
    return urls


def in_default_language(urls) -> set[str]:
    return {url for url in urls if not url.startswith("/fr/")}


def french_twins(urls) -> set[str]:
    """The French addresses of these English pages: /fr/needs for /needs, /fr/ for /."""
    return {f"/fr{url}" for url in in_default_language(urls) if not url.startswith(SHARED)}


@pytest.mark.parametrize("change", CHANGES)
def test_an_incremental_build_equals_a_full_build_after(change, demo_app, tmp_path, rendered_urls):
    target = tmp_path / "site"
    with demo_app.app_context():
        first = build_mirror(target)
        CHANGES[change]()
        db.session.commit()
        rendered_urls.clear()
        result = build_mirror(target)
    rendered = set(rendered_urls)

    assert not result.full and result.changed
    assert different_files(mirror_files(target), full_build_files(demo_app, tmp_path)) == []
    assert result.rendered <= first.files
    if change in AT_MOST_RENDERED:
        assert len(in_default_language(rendered)) <= AT_MOST_RENDERED[change]
        assert rendered == in_default_language(rendered) | french_twins(rendered)
    assert broken_links(target) == []


def test_an_uploaded_image_reaches_the_mirror_incrementally(demo_app, client, auth, tmp_path):
    target = tmp_path / "site"
    with demo_app.app_context():
        build_mirror(target)
    markdown = upload_image(demo_app, client, auth)
    with demo_app.app_context():
        _post().body += f"\n\n{markdown}"
        db.session.commit()
        build_mirror(target)

    assert list(target.glob("media/*.jpg"))
    assert different_files(mirror_files(target), full_build_files(demo_app, tmp_path)) == []


def test_a_scheduled_report_back_appears_when_its_time_comes(demo_app, tmp_path):
    target = tmp_path / "site"
    start = datetime.now(UTC).replace(microsecond=0)
    with time_machine.travel(start, tick=False), demo_app.app_context():
        builders.post(demo_app, "later", "Later news", published_at=start + timedelta(hours=2))
        build_mirror(target)
        assert "Later news" not in (target / "news" / "index.html").read_text()
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        with demo_app.app_context():
            result = build_mirror(target)
        assert result.changed and not result.full
        assert "Later news" in (target / "news" / "index.html").read_text()
        assert (target / "news" / "later" / "index.html").is_file()
        assert different_files(mirror_files(target), full_build_files(demo_app, tmp_path)) == []


def test_at_local_midnight_expired_items_leave_and_today_is_today_no_more(demo_app, tmp_path):
    target = tmp_path / "site"
    paris = ZoneInfo("Europe/Paris")  # the default TIMEZONE
    evening = datetime.combine(
        datetime.now(paris).date() + timedelta(days=1), time(23, 30), tzinfo=paris
    )
    with time_machine.travel(evening, tick=False):
        builders.need(
            demo_app,
            builders.category(demo_app, "Food"),
            "Bread rolls",
            needed_until=evening.date(),
        )
        with demo_app.app_context():
            build_mirror(target)
        assert "Bread rolls" in (target / "needs" / "index.html").read_text()
        assert "List checked <time" in (target / "needs" / "index.html").read_text()
        assert ">today</time>" in (target / "needs" / "index.html").read_text()
    with time_machine.travel(evening + timedelta(hours=1), tick=False):
        with demo_app.app_context():
            result = build_mirror(target)
        needs = (target / "needs" / "index.html").read_text()
        assert result.changed and "Bread rolls" not in needs and ">today</time>" not in needs
        assert different_files(mirror_files(target), full_build_files(demo_app, tmp_path)) == []


def test_a_needs_change_renders_the_same_few_pages_however_many_report_backs(
    demo_app, tmp_path, rendered_urls
):
    builders.report_backs(demo_app, 60)
    with demo_app.app_context():
        first = build_mirror(tmp_path / "site")
        _need("Sleeping bags").urgency = Urgency.plenty
        db.session.commit()
        rendered_urls.clear()
        result = build_mirror(tmp_path / "site")
    rendered = set(rendered_urls)

    assert first.files > 160  # 60 report-backs and more, in each language
    assert len(in_default_language(rendered)) <= AT_MOST_RENDERED["urgency of an item"]
    assert rendered == in_default_language(rendered) | french_twins(rendered)
    assert result.rendered == len(rendered)
    assert "Sleeping bags" in (tmp_path / "site" / "needs.txt").read_text()


# The files themselves ----------------------------------------------------------------


def test_a_french_name_reaches_the_french_pages_incrementally_and_not_the_english(
    demo_app, tmp_path, rendered_urls
):
    target = tmp_path / "site"
    with demo_app.app_context():
        build_mirror(target)
        _need("Sleeping bags").set_translation("fr", "name", "Duvets bien chauds")
        db.session.commit()
        rendered_urls.clear()
        result = build_mirror(target)

    assert not result.full and {"/fr/needs", "/fr/needs.txt"} <= set(rendered_urls)
    for name in ("fr/needs/index.html", "fr/needs.txt", "fr/feeds/needs.atom"):
        assert "Duvets bien chauds" in (target / name).read_text(), name
    for name in ("needs/index.html", "needs.txt", "feeds/needs.atom"):
        english = (target / name).read_text()
        assert "Sleeping bags" in english and "Duvets" not in english, name


def test_unchanged_files_keep_their_time_and_changed_ones_move_forward(demo_app, tmp_path):
    target = tmp_path / "site"
    with demo_app.app_context():
        build_mirror(target)
        before = {name: (target / name).stat() for name in ("needs/index.html", "about/index.html")}
        _need("Sleeping bags").urgency = Urgency.plenty
        db.session.commit()
        build_mirror(target)

    about, needs = (target / "about/index.html").stat(), (target / "needs/index.html").stat()
    assert about.st_ino == before["about/index.html"].st_ino  # the same file, not rewritten
    assert needs.st_mtime > before["needs/index.html"].st_mtime  # new, even within one second
    assert Path(f"{target}/needs/index.html.gz").stat().st_mtime == needs.st_mtime


def test_a_report_back_that_is_deleted_leaves_the_mirror(demo_app, tmp_path):
    target = tmp_path / "site"
    with demo_app.app_context():
        build_mirror(target)
        slug = _post().slug
        assert (target / "news" / slug / "index.html").exists()
        db.session.delete(_post())
        db.session.commit()
        build_mirror(target)

    assert not (target / "news" / slug).exists()
    assert slug not in (target / "sitemap.xml").read_text()


def test_an_interrupted_build_never_replaces_a_complete_one(demo_app, tmp_path, monkeypatch):
    target = tmp_path / "site"
    with demo_app.app_context():
        build_mirror(target)
        live = target.resolve()
        _need("Sleeping bags").urgency = Urgency.plenty
        db.session.commit()
        real_render = mirror_build.render

        def failing(client, url, site_url):
            page = real_render(client, url, site_url)
            return (
                page
                if url != "/needs.txt"
                else page.__class__(503, "text/html", b"", [], page.dependencies)
            )

        monkeypatch.setattr(mirror_build, "render", failing)
        with pytest.raises(MirrorUnavailable):
            build_mirror(target)

    assert target.resolve() == live
    assert sorted(path.name for path in (tmp_path / "site.builds").iterdir()) == [live.name]


def test_a_report_back_called_page_2_and_the_second_page_of_news_both_reach_the_mirror(
    demo_app, tmp_path
):
    builders.report_backs(demo_app, 12, slug="page")
    with demo_app.app_context():
        build_mirror(tmp_path / "site")
        _post().title = "Changed"
        db.session.commit()
        build_mirror(tmp_path / "site")

    assert "Page 2 of 2" in (tmp_path / "site" / "news" / "page=2" / "index.html").read_text()
    assert "Report 2" in (tmp_path / "site" / "news" / "page-2" / "index.html").read_text()
    assert broken_links(tmp_path / "site") == []


def test_a_failing_page_keeps_its_last_copy_and_the_rest_goes_on(
    demo_app, tmp_path, monkeypatch, caplog
):
    target = tmp_path / "site"
    with demo_app.app_context():
        build_mirror(target)
        kept = (target / "news" / "index.html").read_text()
        _need("Sleeping bags").urgency = Urgency.plenty
        _post().title = "A title the news list cannot show"
        db.session.commit()
        real_render = mirror_build.render

        def failing(client, url, site_url):
            page = real_render(client, url, site_url)
            return page if url != "/news" else replace(page, status=500, body=b"")

        monkeypatch.setattr(mirror_build, "render", failing)
        first = build_mirror(target)
        monkeypatch.undo()
        _need("Tents").urgency = Urgency.urgent  # the next change brings it back
        db.session.commit()
        second = build_mirror(target)

    assert (
        first.changed
        and "Sleeping bags" in (target / "needs.txt").read_text().split("WE HAVE PLENTY")[-1]
    )
    assert any("/news answered 500" in record.getMessage() for record in caplog.records)
    assert second.changed
    assert "A title the news list cannot show" in (target / "news" / "index.html").read_text()
    assert kept != (target / "news" / "index.html").read_text()


def test_a_database_restored_to_an_older_state_gets_a_full_rebuild(demo_app, tmp_path):
    target = tmp_path / "site"
    with demo_app.app_context():
        build_mirror(target)
        manifest = target / MANIFEST
        # As if the live build had been made from content newer than the database now holds.
        manifest.write_text(
            re.sub(r'"version": "\d+', '"version": "999999999999', manifest.read_text())
        )
        mirror_build._manifests.clear()
        _need("Sleeping bags").urgency = Urgency.plenty
        db.session.commit()
        result = build_mirror(target)

    assert result.changed and result.full
    assert "Sleeping bags" in (target / "needs.txt").read_text().split("WE HAVE PLENTY")[-1]


def test_building_into_an_ordinary_folder_is_refused(app, runner, tmp_path):
    (tmp_path / "precious").mkdir()

    result = runner.invoke(args=["mirror", "build", str(tmp_path / "precious")])

    assert result.exit_code == 1
    assert "is not a mirror link" in result.output


def test_the_command_builds_only_what_changed_unless_asked_for_everything(
    demo_app, runner, tmp_path
):
    target = str(tmp_path / "site")
    first = runner.invoke(args=["mirror", "build", target])
    again = runner.invoke(args=["mirror", "build", target])
    full = runner.invoke(args=["mirror", "build", "--full", target])

    assert first.exit_code == 0 and "full build" in first.output
    assert "already current" in again.output
    assert full.exit_code == 0 and "full build" in full.output
    assert (tmp_path / "site" / "fr" / "needs" / "index.html").is_file()


def test_a_site_in_one_language_mirrors_that_language_alone(database_config, tmp_path):
    """A mirror made in English and French, then the site speaks English alone: every page's
    language switch changed, so the next build is a full one, and the French pages go."""
    if database_config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":  # two apps, one database
        database_config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'site.sqlite'}"}
    both = make_app(database_config, MEDIA_DIR=str(tmp_path / "media"))
    create_database(both)
    builders.need(both, builders.category(both), "Sleeping bags", Urgency.needed)
    english = make_app(database_config, LANGUAGES=("en",), MEDIA_DIR=str(tmp_path / "media"))
    try:
        with both.app_context():
            build_mirror(tmp_path / "site")
        assert (tmp_path / "site" / "fr" / "needs" / "index.html").is_file()
        with english.app_context():
            result = build_mirror(tmp_path / "site")
            db.session.remove()  # its own connections: left open, they warn in a later test
            db.engine.dispose()
    finally:
        drop_database(both)

    assert result.full
    assert (tmp_path / "site" / "needs" / "index.html").is_file()
    assert not (tmp_path / "site" / "fr").exists()
    assert 'hreflang="fr"' not in (tmp_path / "site" / "needs" / "index.html").read_text()
    assert broken_links(tmp_path / "site") == []


def test_links_cannot_make_the_mirror_write_outside_itself(app, tmp_path):
    outside = tmp_path / "ESCAPED.txt"
    escape = f"/needs?a=../../../../../../../../..{outside}"
    builders.page(app, "trap", "Trap", nav_position=1, body=f"[x]({escape}) [y](/..%2F..%2Fetc)")

    with app.app_context():
        build = build_mirror(tmp_path / "site").build

    assert not outside.exists()
    assert all(path.resolve().is_relative_to(build.resolve()) for path in build.rglob("*"))
    assert broken_links(tmp_path / "site") == []


def test_a_rebuild_right_after_a_change_sees_the_change(database_config, tmp_path):
    if database_config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        database_config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.sqlite'}"}
    app = make_app(database_config, PAGE_CACHE_REFRESH=0.5, MEDIA_DIR=str(tmp_path / "media"))
    create_database(app)
    need_id = builders.need(app, builders.category(app), "Sleeping bags", Urgency.needed)
    assert "Sleeping bags" in app.test_client().get("/needs").get_data(as_text=True)

    with app.app_context():
        db.session.get(Need, need_id).name = "Woolly hats"
        db.session.commit()
        build_mirror(tmp_path / "site")

    assert "Woolly hats" in (tmp_path / "site" / "needs" / "index.html").read_text()
    drop_database(app)


def test_old_builds_are_removed_but_never_the_live_one(app, tmp_path):
    with app.app_context():
        builds = [build_mirror(tmp_path / "site", full=True).build for _ in range(3)]

    assert (tmp_path / "site").resolve() == builds[-1].resolve()
    assert (builds[-1] / "needs" / "index.html").exists()
    assert (builds[0] / "needs" / "index.html").exists()  # kept until it has settled


def test_a_change_that_commits_after_a_newer_one_is_not_missed(postgres_server, tmp_path):
    """On PostgreSQL a transaction can take its history id first and commit last."""

    schema = postgres_server.fresh_schema()
    app = make_app(postgres_server.config(schema), MEDIA_DIR=str(tmp_path / "media"))
    create_database(app)
    category = builders.category(app)
    first = builders.need(app, category, "Sleeping bags", Urgency.needed)
    second = builders.need(app, category, "Tents", Urgency.needed)
    target = tmp_path / "site"
    try:
        with app.app_context():
            build_mirror(target)
            slow, quick = Session(db.engine), Session(db.engine)
            slow.get(Need, first).urgency = Urgency.do_not_send
            slow.flush()  # its history entry has the lower id
            quick.get(Need, second).urgency = Urgency.urgent
            quick.commit()
            between = build_mirror(target)
            slow.commit()
            after = build_mirror(target)
            slow.close(), quick.close()

        assert after.version > between.version
        needs = (target / "needs.txt").read_text()
        assert "Sleeping bags" in needs.split("PLEASE DO NOT SEND")[-1]
        assert different_files(mirror_files(target), full_build_files(app, tmp_path)) == []
    finally:
        drop_database(app)
        postgres_server.drop_schema(schema)


@pytest.mark.parametrize(
    "name", ["../outside.html", "news/../../outside.html", "/etc/outside", "."]
)
def test_a_build_never_writes_outside_its_own_folder(tmp_path, name):
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    writer = BuildWriter(MirrorPaths(tmp_path / "site"), ContentVersion(1, moment, moment), None)

    with pytest.raises(ValueError, match="outside the mirror"):
        writer.write(name, b"defaced", "text/html")

    writer.write("news/inside.html", b"fine", "text/html")
    assert [path.name for path in tmp_path.rglob("*.html")] == ["inside.html"]
