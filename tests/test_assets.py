"""Static files: addresses with a digest, kept for a year, sent compressed (the basemap too)."""

import gzip
import re
from pathlib import Path

from flask import url_for

from tests import builders

STATIC = Path(__file__).resolve().parents[1] / "static"


def static_links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_link_static_files_by_digest(client):
    links = static_links(client.get("/needs").get_data(as_text=True))

    assert links and all(re.search(r"\.[0-9a-f]{10}\.\w+$", link) for link in links)


def test_a_route_page_loads_the_basemap_compressed_and_cached_for_a_year(app, client):
    route = builders.route(app, "Western Balkans")
    builders.stage(
        app, route, builders.place(app, "Athens", "Greece", 37.98, 23.73), builders.place(app)
    )
    html = client.get("/routes/western-balkans").get_data(as_text=True)
    basemap = next(link for link in static_links(html) if "basemap" in link)

    response = client.get(basemap, headers={"Accept-Encoding": "gzip, br"})

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response.headers["Vary"]
    original = (STATIC / "maps" / "basemap.svg").read_bytes()
    assert gzip.decompress(response.data) == original
    assert len(response.data) < len(original) / 2


def test_a_static_file_answers_304_to_a_browser_that_has_it(client):
    stylesheet = static_links(client.get("/").get_data(as_text=True))[0]
    first = client.get(stylesheet, headers={"Accept-Encoding": "gzip"})

    again = client.get(
        stylesheet, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )

    assert again.status_code == 304


def test_an_outdated_digest_gets_the_current_file_but_not_for_a_year(client):
    with client.get("/static/css/site.0123456789.css") as response:
        assert response.status_code == 200
        assert response.data == (STATIC / "css" / "site.css").read_bytes()
        assert "immutable" not in response.headers["Cache-Control"]


def test_missing_static_files_are_404(client):
    assert client.get("/static/css/nothing.0123456789.css").status_code == 404
    assert client.get("/static/../app/config.py").status_code == 404


def test_images_are_not_compressed_again(client):
    # A static picture (Flask-Admin's), and the share preview image drawn by the app (in
    # the page cache).
    share = client.get("/").get_data(as_text=True).split('og:image" content="')[1].split('"')[0]
    with client.application.test_request_context():
        static = url_for("admin.static", filename="vendor/select2/select2.png")

    for address in (static, share.replace("http://localhost", "")):
        with client.get(address, headers={"Accept-Encoding": "gzip"}) as response:
            assert response.status_code == 200 and response.mimetype == "image/png"
            assert "Content-Encoding" not in response.headers
