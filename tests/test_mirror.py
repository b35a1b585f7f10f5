"""The static mirror: the whole public site as files, with no broken links, kept current."""

import functools
import http.server
import re
import threading
import time
import urllib.request
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image as PILImage

from app.extensions import db
from app.mirror import _swap_in, build_mirror
from app.models import Role
from tests.conftest import AuthActions, create_database, csrf_token_from, drop_database, make_app

LINKS = re.compile(r'\b(?:href|src)="([^"]*)"')


def local_links(html: str) -> list[str]:
    return [
        link for link in LINKS.findall(html)
        if not re.match(r"^(https?:|mailto:|#|data:)", link)
    ]  # fmt: skip


def broken_links(mirror: Path) -> list[str]:
    broken = []
    for page in mirror.rglob("*.html"):
        for link in local_links(page.read_text()):
            target = (page.parent / unquote(urlsplit(link).path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(mirror)} → {link}")
    return broken


@pytest.fixture
def demo_app(app, runner, auth, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    auth.login_as(Role.organiser)
    picture = BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 60)).save(picture, format="JPEG")
    token = csrf_token_from(client.get("/admin/images/new/").get_data(as_text=True))
    client.post("/admin/images/new/", content_type="multipart/form-data",
                data={"upload": (BytesIO(picture.getvalue()), "p.jpg"), "alt_text": "A tent",
                      "csrf_token": token})  # fmt: skip
    with app.app_context():
        from app.models import Image, Post

        post = db.session.scalar(db.select(Post))
        post.body += "\n\n" + db.session.scalar(db.select(Image)).markdown
        db.session.commit()
    return app


def test_the_mirror_holds_every_public_page_and_has_no_broken_links(demo_app, tmp_path):
    with demo_app.app_context():
        build_mirror(tmp_path / "site")
    mirror = tmp_path / "site"

    assert mirror.is_symlink()
    for name in ["index.html", "needs/index.html", "needs.txt", "routes/index.html",
                 "routes/central-mediterranean/index.html", "news/index.html",
                 "news/winter-is-coming/index.html", "get-involved/index.html",
                 "feeds/news.atom", "feeds/needs.atom", "sitemap.xml", "robots.txt"]:  # fmt: skip
        assert (mirror / name).is_file(), name
    for pattern in ["static/css/site.*.css", "static/maps/basemap.*.svg"]:
        assert list(mirror.glob(pattern)), pattern
    assert list((mirror / "media").glob("*.jpg")), "uploaded images are mirrored"
    assert broken_links(mirror) == []
    assert 'href="http://localhost/login"' in (mirror / "index.html").read_text()


def test_the_mirror_is_served_by_a_plain_web_server_with_the_app_stopped(demo_app, tmp_path):
    with demo_app.app_context():
        build_mirror(tmp_path / "site")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(tmp_path / "site"))  # fmt: skip
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


def test_the_mirror_is_rebuilt_after_an_admin_change(database_config, tmp_path):
    if database_config["SQLALCHEMY_DATABASE_URI"] == "sqlite://":
        # The rebuild runs in its own thread: it needs a database it can share.
        database_config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"}
    app = make_app(database_config, MIRROR_DIR=str(tmp_path / "site"),
                   MEDIA_DIR=str(tmp_path / "media"))  # fmt: skip
    create_database(app)
    client = app.test_client()
    auth = AuthActions(app, client)
    auth.login_as(Role.organiser)
    token = csrf_token_from(client.get("/admin/categories/new/").get_data(as_text=True))

    client.post("/admin/categories/new/", data={"name": "Warm clothes", "slug": "warm-clothes",
                                                "position": "0", "csrf_token": token})  # fmt: skip
    token = csrf_token_from(client.get("/admin/needs/new/").get_data(as_text=True))
    client.post("/admin/needs/new/", data={"category": "1", "name": "Woolly hats",
                                           "urgency": "urgent", "position": "0",
                                           "is_visible": "y", "csrf_token": token})  # fmt: skip

    page = tmp_path / "site" / "needs" / "index.html"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (page.exists() and "Woolly hats" in page.read_text()):
        time.sleep(0.1)
    assert "Woolly hats" in page.read_text()
    drop_database(app)


def test_a_build_from_older_content_never_replaces_a_newer_one(tmp_path):
    target = tmp_path / "site"
    builds = tmp_path / "site.builds"
    newer, older = builds / "new", builds / "old"
    for build, version in ((newer, 7), (older, 3)):
        build.mkdir(parents=True)
        (build / ".version").write_text(str(version))

    _swap_in(target, newer, 7)
    _swap_in(target, older, 3)

    assert target.resolve() == newer.resolve()
    assert not older.exists()


def test_building_into_an_ordinary_folder_is_refused(app, runner, tmp_path):
    (tmp_path / "precious").mkdir()

    result = runner.invoke(args=["mirror", "build", str(tmp_path / "precious")])

    assert result.exit_code == 1
    assert "is not a mirror link" in result.output


def test_links_cannot_make_the_mirror_write_outside_itself(app, tmp_path):
    from tests import builders

    outside = tmp_path / "ESCAPED.txt"
    escape = f"/needs?a=../../../../../../../../..{outside}"
    builders.page(app, "trap", "Trap", nav_position=1, body=f"[x]({escape}) [y](/..%2F..%2Fetc)")

    with app.app_context():
        build = build_mirror(tmp_path / "site")

    assert not outside.exists()
    assert all(path.resolve().is_relative_to(build.resolve()) for path in build.rglob("*"))
    assert broken_links(tmp_path / "site") == []


def test_a_rebuild_right_after_a_change_sees_the_change(database_config, tmp_path):
    from app.models import Need, Urgency
    from tests import builders

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


def test_rebuilding_the_same_content_never_removes_the_live_mirror(app, tmp_path):
    with app.app_context():
        first = build_mirror(tmp_path / "site")
        second = build_mirror(tmp_path / "site")

    assert first != second
    assert (tmp_path / "site").resolve() == second.resolve()
    assert (first / "needs" / "index.html").exists()  # kept until it has settled, then pruned
