"""The share preview image: the most urgent items now, in the page's language, kept by the
page cache until the list changes."""

from io import BytesIO

from PIL import Image, ImageChops

from app.extensions import db
from app.mirror.build import start_urls
from app.models import Need, Urgency
from tests import builders
from tests.pages import element


def picture(client, url: str = "/needs/share.png") -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    assert response.content_type == "image/png"
    return response.data


def differ(first: bytes, second: bytes) -> bool:
    one, two = Image.open(BytesIO(first)), Image.open(BytesIO(second))
    return ImageChops.difference(one.convert("RGB"), two.convert("RGB")).getbbox() is not None


def test_the_share_image_shows_the_current_list_in_each_language(app, client):
    ids = builders.bilingual_site(app)

    english = picture(client)
    response = client.get(
        "/needs/share.png",
        headers={"If-None-Match": client.get("/needs/share.png").headers["ETag"]},
    )
    assert response.status_code == 304  # kept by the page cache, like a page
    french = picture(client, "/fr/needs/share.png")
    with Image.open(BytesIO(english)) as image:
        assert (image.format, image.size) == ("PNG", (1200, 630))
    assert differ(english, french)

    # Something the image does not show: drawn again, the same picture.
    builders.need(app, ids["category"], "Blankets", Urgency.plenty)
    assert picture(client) == english

    with app.app_context():
        db.session.get(Need, ids["bags"]).urgency = Urgency.do_not_send
        db.session.commit()
    assert differ(picture(client), english)

    html = client.get("/fr/needs").get_data(as_text=True)
    assert element(html, 'meta[property="og:image"]').get("content") == (
        "http://localhost/fr/needs/share.png"
    )
    assert element(html, 'meta[property="og:image:width"]').get("content") == "1200"
    assert element(html, 'meta[property="og:image:height"]').get("content") == "630"
    with app.app_context():  # the mirror holds it in each language
        assert {"/needs/share.png", "/fr/needs/share.png"} <= set(start_urls())
