"""Small builders for test data: rows (each opens its own app context and returns the new id),
an item's or an account's form as the admin sends it, and a picture uploaded through the admin."""

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

from PIL import Image as PILImage
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Category,
    Figure,
    Need,
    Page,
    Place,
    Post,
    Route,
    Settings,
    Site,
    SiteKind,
    Stage,
    Urgency,
)
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


# Content in English and French (app/models/translations.py) ----------------------------


def translate(app, model, id_, language="fr", **fields):
    with app.app_context():
        record = db.session.get(model, id_)
        for field, text in fields.items():
            record.set_translation(language, field, text)
        db.session.commit()


def set_settings(app, translations=None, **fields):
    with app.app_context():
        settings = db.session.get(Settings, 1)
        for name, value in fields.items():
            setattr(settings, name, value)
        for name, text in (translations or {}).items():
            settings.set_translation("fr", name, text)
        db.session.commit()


def bilingual_site(app) -> dict[str, int]:
    """A little of everything the public pages show, each with its French."""
    set_settings(
        app,
        tagline="Aid for displaced people in Calais",
        donate_url="https://example.org/give",
        donate_line="Money buys fresh food.",
        routes_intro="How people **reach** Calais.",
        translations={
            "tagline": "Aide aux personnes exilées à Calais",
            "donate_line": "L’argent achète des produits frais.",
            "routes_intro": "Comment les gens **arrivent** à Calais.",
        },
    )
    ids = {}
    ids["category"] = category(app, "Warm clothes")
    translate(app, Category, ids["category"], name="Vêtements chauds")
    ids["site"] = site(
        app,
        "Calais warehouse",
        address="1 Rue de la Mer",
        opening_hours="Mon–Fri 10–16",
        booking_rule="Call first",
        open_from=date(2026, 11, 17),
        open_until=date(2099, 11, 27),
    )
    translate(
        app,
        Site,
        ids["site"],
        name="Entrepôt de Calais",
        address="1 rue de la Mer",
        opening_hours="Lun–ven 10–16",
        booking_rule="Appelez avant",
    )
    ids["bags"] = need(
        app,
        ids["category"],
        "Sleeping bags",
        Urgency.urgent,
        details="Warm ones",
        quantity=100,
        unit="bag | bags",
        site_id=ids["site"],
    )
    translate(
        app, Need, ids["bags"], name="Sacs de couchage", details="Des chauds", unit="sac | sacs"
    )
    ids["tent"] = need(
        app, ids["category"], "Tent", Urgency.needed, quantity=1, unit="tent | tents"
    )
    translate(app, Need, ids["tent"], name="Tente", unit="tente | tentes")
    ids["page"] = page(app, "about", "About us", body="We are **volunteers**.")
    with app.app_context():
        db.session.get(Page, ids["page"]).nav_position = 1
        db.session.commit()
    translate(app, Page, ids["page"], title="Qui sommes-nous", body="Nous sommes **bénévoles**.")
    ids["post"] = published_post(
        app, "report", "A week at the warehouse", summary="Busy", body="We **sorted**."
    )
    translate(
        app,
        Post,
        ids["post"],
        title="Une semaine à l’entrepôt",
        summary="Beaucoup de travail",
        body="Nous avons **trié**.",
    )
    paris, calais = place(app, "Paris"), place(app, "Calais")
    dover = place(app, "Dover", "United Kingdom", 51.13, 1.31)
    for place_id, name, country in (
        (paris, "Paris", "France"),
        (calais, "Calais", "France"),
        (dover, "Douvres", "Royaume-Uni"),
    ):
        translate(app, Place, place_id, name=name, country=country)
    ids["route"] = route(app, summary="The last crossing", body="It is **cold**.")
    translate(
        app,
        Route,
        ids["route"],
        name="De la Manche au Royaume-Uni",
        summary="La dernière traversée",
        body="Il fait **froid**.",
    )
    stage(app, ids["route"], paris, calais, position=0, travel="Train")
    crossing = stage(
        app,
        ids["route"],
        calais,
        dover,
        position=1,
        travel="Small boats",
        dangers=["drowning", "cold"],
        narrative="The sea is **rough**.",
    )
    translate(app, Stage, crossing, travel="Petits bateaux", narrative="La mer est **agitée**.")
    figure = add(
        app,
        Figure(
            route_id=ids["route"],
            label="people died at the border",
            value=1234,
            unit="person | people",
            period="since 1999",
            source_name="IRR",
            source_url="https://example.org/irr",
        ),
    )
    translate(
        app,
        Figure,
        figure,
        label="personnes mortes à la frontière",
        unit="personne | personnes",
        period="depuis 1999",
    )
    return ids
