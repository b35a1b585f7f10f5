"""Small builders for test data: rows (each opens its own app context and returns the new id),
an item's or an account's form as the admin sends it, and a picture uploaded through the admin."""

from datetime import UTC, datetime, timedelta
from io import BytesIO

from PIL import Image as PILImage
from sqlalchemy import func, select

from app.extensions import db
from app.models import Category, Need, Page, Place, Post, Route, Site, SiteKind, Stage, Urgency
from tests.pages import submit


def add(app, obj) -> int:
    with app.app_context():
        db.session.add(obj)
        db.session.commit()
        return obj.id


def category(app, name="Warm clothes", slug=None, position=0) -> int:
    return add(
        app, Category(name=name, slug=slug or name.lower().replace(" ", "-"), position=position)
    )


def need(app, category_id, name="Socks", urgency=Urgency.needed, **fields) -> int:
    return add(app, Need(category_id=category_id, name=name, urgency=urgency, **fields))


def site(app, name="Calais warehouse", kind=SiteKind.warehouse, **fields) -> int:
    return add(app, Site(name=name, kind=kind, **fields))


def get(app, model, id_):
    """A detached copy of a row, read afresh in its own context."""
    with app.app_context():
        obj = db.session.get(model, id_)
        if obj is not None:
            db.session.expunge(obj)
        return obj


def place(app, name="Calais", country="France", latitude=50.95, longitude=1.86) -> int:
    return add(app, Place(name=name, country=country, latitude=latitude, longitude=longitude))


def route(app, name="English Channel to the UK", slug=None, published=True, **fields) -> int:
    slug = slug or name.lower().replace(" ", "-")
    return add(app, Route(name=name, slug=slug, is_published=published, **fields))


def stage(app, route_id, from_id, to_id, position=0, **fields) -> int:
    return add(
        app,
        Stage(
            route_id=route_id, from_place_id=from_id, to_place_id=to_id, position=position, **fields
        ),
    )


def page(app, slug="about", title="About us", published=True, **fields) -> int:
    return add(app, Page(slug=slug, title=title, is_published=published, **fields))


def post(app, slug="report", title="A report-back", published_at=None, **fields) -> int:
    return add(app, Post(slug=slug, title=title, published_at=published_at, **fields))


def published_post(app, slug="report", title="A report-back", **fields) -> int:
    """A report-back published an hour ago."""
    return post(app, slug, title, published_at=datetime.now(UTC) - timedelta(hours=1), **fields)


def report_backs(app, count: int, slug="report") -> None:
    """`count` published report-backs, the newest an hour old, one more hour each."""
    now = datetime.now(UTC)
    with app.app_context():
        for number in range(count):
            db.session.add(
                Post(
                    slug=f"{slug}-{number}",
                    title=f"Report {number}",
                    published_at=now - timedelta(hours=number + 1),
                )
            )
        db.session.commit()


def need_form(category_id: int, name="Socks", urgency="urgent", **fields) -> dict[str, str]:
    """An item as the admin's forms (the list's and the board's) post it, `fields` added."""
    return {"category": str(category_id), "name": name, "urgency": urgency, **fields}


def organiser_form(email: str, display_name: str, **fields) -> dict[str, str]:
    """An account as the admin's user form sends it: an active organiser, `fields` added."""
    return {
        "email": email,
        "display_name": display_name,
        "role": "organiser",
        "is_active": "y",
        **fields,
    }


def uploaded_picture(client, alt_text="A tent"):
    """A small JPEG uploaded through the admin's image form by the logged-in `client`."""
    picture = BytesIO()
    PILImage.new("RGB", (40, 30), (10, 120, 60)).save(picture, format="JPEG")
    return submit(
        client,
        "/admin/images/new/",
        {"upload": (BytesIO(picture.getvalue()), "p.jpg"), "alt_text": alt_text},
        content_type="multipart/form-data",
    )


def count(app, model) -> int:
    """How many rows of `model` there are, read afresh in its own context."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))
