"""Small builders for test data. Each opens its own app context and returns the new id."""

from app.extensions import db
from app.models import Category, Need, Site, SiteKind, Urgency


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
