"""Organisers publish pages and report-backs, and upload photos that reveal nothing."""

import errno
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import PngImagePlugin
from sqlalchemy import func, select

from app.extensions import db
from app.models import Image, Page, Post
from tests import builders
from tests.pages import csrf_token, element, elements


def phone_photo(width=400, height=300) -> bytes:
    """A JPEG like a phone's: camera, time and GPS position in EXIF, rotated by a tag."""
    photo = PILImage.new("RGB", (width, height), (200, 40, 40))
    exif = PILImage.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0132] = "2026:11:20 10:00:00"  # DateTime
    exif[0x0112] = 6  # Orientation: rotate 90° to display
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (50.0, 57.0, 12.0), 3: "E", 4: (1.0, 51.0, 30.0)})
    output = BytesIO()
    photo.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def upload(client, data: bytes, filename="photo.jpg", alt_text="Tents under a bridge"):
    url = "/admin/images/new/"
    return client.post(
        url,
        data={
            "upload": (BytesIO(data), filename),
            "alt_text": alt_text,
            "csrf_token": csrf_token(client, url),
        },
        content_type="multipart/form-data",
    )


def stored_image(app) -> tuple[Image, bytes]:
    with app.app_context():
        image = db.session.scalar(select(Image))
        data = (Path(app.config["MEDIA_DIR"]) / image.filename).read_bytes()
        db.session.expunge(image)
        return image, data


def test_a_phone_photo_is_published_without_location_or_camera_details(app, organiser, client):
    original = phone_photo()
    assert b"SecretPhoneMaker" in original

    response = upload(client, original)

    assert response.status_code == 302
    image, data = stored_image(app)
    assert b"SecretPhoneMaker" not in data and b"Exif" not in data
    with PILImage.open(BytesIO(data)) as stored:
        assert dict(stored.getexif()) == {}
        assert stored.getexif().get_ifd(0x8825) == {}
        assert stored.size == (300, 400)  # turned upright, as the phone showed it
    with client.get(image.path) as served:
        assert served.status_code == 200
        assert served.content_type == "image/jpeg"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in served.headers["Content-Security-Policy"]
        assert served.data == data


def test_png_text_chunks_are_removed_and_transparency_kept(app, organiser, client):
    picture = PILImage.new("RGBA", (50, 50), (0, 0, 0, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "Calais jungle, exact spot")
    output = BytesIO()
    picture.save(output, format="PNG", pnginfo=info)

    upload(client, output.getvalue(), "drawing.png")

    image, data = stored_image(app)
    assert image.content_type == "image/png" and b"exact spot" not in data
    with PILImage.open(BytesIO(data)) as stored:
        assert stored.mode == "RGBA" and "Location" not in stored.info


def test_a_photo_that_cannot_be_stored_is_refused_in_plain_words_and_leaves_nothing(
    app, organiser, client, monkeypatch
):
    def disk_full(self, data):
        with self.open("wb") as partial:  # part of it reached the disk, then no more room
            partial.write(data[:100])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    response = upload(client, phone_photo())
    monkeypatch.undo()

    page = client.get(response.headers.get("Location", "/admin/images/new/")).text
    assert response.status_code in (200, 302) and "could not be stored" in (response.text + page)
    assert "No space left" not in response.text + page  # no system message, no server path
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Image)) == 0
    assert list(Path(app.config["MEDIA_DIR"]).iterdir()) == []


def test_large_photos_are_scaled_down(app, organiser, client):
    upload(client, phone_photo(3000, 2000))

    image, _ = stored_image(app)
    assert max(image.width, image.height) == 1600


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "drawing.svg"),
        (b"%PDF-1.4 not a picture", "scan.png"),
        (phone_photo()[:200], "truncated.jpg"),
        (b"", "empty.jpg"),
    ],
)
def test_anything_that_is_not_a_decodable_image_is_refused(
    app, organiser, client, content, filename
):
    response = upload(client, content, filename)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "not an image we can read" in html or "Choose a photo" in html or "Upload a JPEG" in html
    assert builders.count(app, Image) == 0
    assert (
        not list(Path(app.config["MEDIA_DIR"]).glob("*"))
        if Path(app.config["MEDIA_DIR"]).exists()
        else True
    )


def test_alt_text_is_required(app, organiser, client):
    response = upload(client, phone_photo(), alt_text="")

    assert "Describe the image for people who cannot see it." in response.get_data(as_text=True)
    assert builders.count(app, Image) == 0


def test_deleting_an_image_removes_its_file(app, organiser, client):
    upload(client, phone_photo())
    image, _ = stored_image(app)

    client.post(
        "/admin/images/delete/",
        data={"id": str(image.id), "csrf_token": csrf_token(client, "/admin/images/")},
    )

    assert builders.count(app, Image) == 0
    assert not (Path(app.config["MEDIA_DIR"]) / image.filename).exists()
    assert client.get(image.path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/media/../secret_key", "/media/abc.jpg", "/media/" + "0" * 24 + ".jpg"]
)
def test_unknown_media_paths_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "slug", ["admin", "needs", "routes", "news", "feeds", "static", "login", "api"]
)
def test_pages_cannot_take_the_sites_own_addresses(app, organiser, client, slug):
    url = "/admin/pages/new/"

    response = client.post(
        url,
        data={
            "title": "Sneaky",
            "slug": slug,
            "is_published": "y",
            "csrf_token": csrf_token(client, url),
        },
    )

    assert "is an address the site itself uses" in response.get_data(as_text=True)
    assert builders.count(app, Page) == 0


def test_organiser_publishes_a_page_in_the_menu(app, organiser, client):
    url = "/admin/pages/new/"

    response = client.post(
        url,
        data={
            "title": "Get involved",
            "slug": "get-involved",
            "body": "Come over.",
            "nav_position": "1",
            "is_published": "y",
            "csrf_token": csrf_token(client, url),
        },
    )

    assert response.status_code == 302
    links = elements(client.get("/needs").text, "a[href='/get-involved']")
    assert "Get involved" in [link.text for link in links]


def test_a_post_scheduled_in_local_time_is_stored_in_utc_and_hidden_until_then(
    app, organiser, client
):
    url = "/admin/posts/new/"

    response = client.post(
        url,
        data={
            "title": "Next week",
            "slug": "next-week",
            "body": "Soon.",
            "published_at": "2099-01-15T10:00",
            "csrf_token": csrf_token(client, url),
        },
    )

    assert response.status_code == 302
    with app.app_context():
        post = db.session.scalar(select(Post))
        assert post.published_at == datetime(2099, 1, 15, 9, 0, tzinfo=UTC)  # Paris is UTC+1
    assert client.get("/news/next-week").status_code == 404
    edit = client.get(f"/admin/posts/edit/?id={post.id}").get_data(as_text=True)
    assert element(edit, "input[name=published_at]").get("value") == "2099-01-15T10:00"  # local


def test_a_post_can_show_an_uploaded_image(app, organiser, client):
    upload(client, phone_photo())
    image, _ = stored_image(app)
    builders.post(
        app,
        "week",
        "A week",
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
        image_id=image.id,
        body=f"Look: {image.markdown}",
    )

    html = client.get("/news/week").get_data(as_text=True)

    assert "Tents under a bridge" in [
        img.get("alt") for img in elements(html, f"img[src='{image.path}']")
    ]
    assert element(html, "meta[property='og:image']").get("content") == (
        f"http://localhost{image.path}"
    )
