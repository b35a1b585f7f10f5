"""The read-only open-data API: what the public pages say, as JSON, under /api/v1/.

Each view is on the per-language blueprint, so `/api/v1/needs` answers in the default
language and `/fr/api/v1/needs` in French: the same records, their texts through
`record.local(field)` (the original when a text has no translation, as on the pages) and
the vocabularies' labels in that language. Every view reads through the model helpers the
pages use (`Need.public_board`, `Site.public_list`, `Post.page_of_news`, `Route.published`),
so the API says what the pages say, and the page cache, the mirror and ETags treat it as a
page. Ids and slugs are the records' own; times are ISO 8601 in the group's time zone, with
its offset; dates are ISO dates. A query parameter the address does not take, or a value it
cannot use, is a 400 with `{"error": "…"}`; errors on API addresses are JSON (app/errors.py),
and every response carries the API's headers (app/security.py). The OpenAPI document that
describes all of this is app/openapi.py's.
"""

import json
from collections.abc import Callable
from datetime import date, datetime

from flask import Response, abort, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.dates import local_today, local_zone
from app.extensions import db
from app.languages import current_language, translated_text, unit_for
from app.models import Category, Need, Post, Route, Settings, Site, Urgency
from app.models.content import NEWS_PER_PAGE
from app.numbers import LARGEST_INTEGER, whole_number
from app.openapi import openapi_document
from app.public import bp, site_bp

API_VERSION = "v1"


def json_response(data, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status=status, mimetype="application/json")


def iso_time(moment: datetime | None) -> str | None:
    """ISO 8601 in the group's time zone, with its offset: 2026-11-25T14:05:00+01:00."""
    if moment is None:
        return None
    return moment.astimezone(local_zone()).isoformat(timespec="seconds")


def iso_date(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def text(record, field: str) -> str:
    return str(translated_text(record, field))


# Query parameters --------------------------------------------------------------


def query(parsers: dict[str, Callable[[str], object]]) -> dict[str, object]:
    """The query's parameters, each read by its parser (which aborts with a 400 saying
    what is wrong); a parameter the address does not take, or one given twice, is a 400."""
    for name in request.args:
        if name not in parsers:
            if parsers:
                abort(
                    400,
                    _(
                        "Unknown parameter “%(name)s”: this address takes %(names)s.",
                        name=name[:40],
                        names=", ".join(sorted(parsers)),
                    ),
                )
            abort(400, _("Unknown parameter “%(name)s”: this address takes none.", name=name[:40]))
        if len(request.args.getlist(name)) > 1:
            abort(400, _("The parameter “%(name)s” is given more than once.", name=name))
    values = {}
    for name, parse in parsers.items():
        value = request.args.get(name)
        if value is not None:
            values[name] = parse(value)
    return values


def category_slug(value: str) -> str:
    slugs = db.session.scalars(select(Category.slug).order_by(Category.slug)).all()
    if value not in slugs:
        abort(
            400,
            _(
                "No category has the slug “%(value)s”; the categories are: %(slugs)s.",
                value=value[:80],
                slugs=", ".join(slugs),
            ),
        )
    return value


def urgency_value(value: str) -> Urgency:
    if value not in Urgency.__members__:
        abort(
            400,
            _(
                "“%(value)s” is not an urgency; the urgencies are: %(values)s.",
                value=value[:40],
                values=", ".join(urgency.value for urgency in Urgency),
            ),
        )
    return Urgency(value)


def page_number(value: str) -> int:
    number = whole_number(value, least=1)
    if number is None:
        abort(
            400,
            _(
                "The page must be a whole number from 1 to %(most)s.",
                most=LARGEST_INTEGER,
            ),
        )
    return number


# What the views say --------------------------------------------------------------


def category_json(category: Category) -> dict:
    return {"id": category.id, "slug": category.slug, "name": text(category, "name")}


def quantity_json(need: Need) -> dict | None:
    if need.quantity is None:
        return None
    return {
        "wanted": need.quantity,
        "received": need.received,
        "still_missing": need.still_needed,
        "unit": str(unit_for(need, need.quantity)) if need.unit else "",
    }


def need_json(need: Need) -> dict:
    return {
        "id": need.id,
        "name": text(need, "name"),
        "category": category_json(need.category),
        "urgency": need.urgency.value,
        "urgency_label": str(need.urgency.label),
        "details": text(need, "details"),
        "quantity": quantity_json(need),
        "needed_until": iso_date(need.needed_until),
        "site": {"id": need.site.id, "name": text(need.site, "name")} if need.site else None,
        "checked_at": iso_time(need.checked_at),
        "updated_at": iso_time(need.updated_at),
    }


def site_json(site: Site) -> dict:
    return {
        "id": site.id,
        "name": text(site, "name"),
        "kind": site.kind.value,
        "kind_label": str(site.kind.label),
        "open_from": iso_date(site.open_from),
        "open_until": iso_date(site.open_until),
        **{
            field: text(site, field)
            for field in ("address", "opening_hours", "booking_rule", "ship_to", "notes")
        },
    }


def post_json(post: Post) -> dict:
    return {
        "id": post.id,
        "slug": post.slug,
        "title": text(post, "title"),
        "summary": text(post, "summary"),
        "author": post.author_name,
        "published_at": iso_time(post.published_at),
        "updated_at": iso_time(post.last_changed),
        "url": url_for("public.post", slug=post.slug, _external=True),
    }


def place_json(place) -> dict:
    return {
        "id": place.id,
        "name": text(place, "name"),
        "country": text(place, "country"),
        "latitude": place.latitude,
        "longitude": place.longitude,
    }


def figure_json(figure) -> dict:
    return {
        "id": figure.id,
        "label": text(figure, "label"),
        "value": figure.value,
        "unit": str(unit_for(figure, figure.value)) if figure.unit else "",
        "period": text(figure, "period"),
        "is_minimum": figure.is_minimum,
        "source": {"name": text(figure, "source_name"), "url": figure.source_url},
    }


def route_json(route: Route) -> dict:
    return {
        "id": route.id,
        "slug": route.slug,
        "name": text(route, "name"),
        "summary": text(route, "summary"),
        "colour": route.colour,
        "url": url_for("public.route", slug=route.slug, _external=True),
        "figures": [figure_json(figure) for figure in route.figures],
        "stages": [
            {
                "id": stage.id,
                "from": place_json(stage.from_place),
                "to": place_json(stage.to_place),
                "travel": text(stage, "travel"),
                "dangers": [
                    {"value": danger.value, "label": str(danger.label)}
                    for danger in stage.danger_list
                ],
                "narrative": text(stage, "narrative"),
                "figures": [figure_json(figure) for figure in stage.figures],
            }
            for stage in route.stages
        ],
    }


# The views -------------------------------------------------------------------------


@bp.get(f"/api/{API_VERSION}/needs")
def api_needs():
    """The needs board as /needs shows it: in its order (by urgency, then category)."""
    chosen = query({"category": category_slug, "urgency": urgency_value})
    board = Need.public_board(local_today())
    settings = Settings.current()
    items = [
        need
        for need in board.needs
        if chosen.get("category", need.category.slug) == need.category.slug
        and chosen.get("urgency", need.urgency) == need.urgency
    ]
    return json_response(
        {
            "language": current_language(),
            "checked_at": iso_time(board.checked_at),
            "donations_paused": settings.pause_enabled,
            "url": url_for("public.needs", _external=True),
            "items": [need_json(need) for need in items],
        }
    )


@bp.get(f"/api/{API_VERSION}/sites")
def api_sites():
    query({})
    return json_response(
        {
            "language": current_language(),
            "items": [site_json(site) for site in Site.public_list(local_today())],
        }
    )


@bp.get(f"/api/{API_VERSION}/news")
def api_news():
    """Report-backs, newest first, NEWS_PER_PAGE a page as on /news."""
    page = query({"page": page_number}).get("page", 1)
    posts = Post.page_of_news(page)  # a page past the last is a 404

    def page_url(number: int | None) -> str | None:
        return url_for("public.api_news", page=number, _external=True) if number else None

    return json_response(
        {
            "language": current_language(),
            "page": posts.page,
            "pages": posts.pages,
            "per_page": NEWS_PER_PAGE,
            "total": posts.total,
            "next": page_url(posts.next_num),
            "previous": page_url(posts.prev_num),
            "items": [post_json(post) for post in posts.items],
        }
    )


@bp.get(f"/api/{API_VERSION}/routes")
def api_routes():
    query({})
    return json_response(
        {
            "language": current_language(),
            "items": [route_json(route) for route in Route.published()],
        }
    )


@bp.get(f"/api/{API_VERSION}/settings")
def api_settings():
    query({})
    settings = Settings.current()
    return json_response(
        {
            "language": current_language(),
            "group_name": settings.group_name,
            "tagline": text(settings, "tagline"),
            "contact_email": settings.contact_email or None,
            "donations_paused": settings.pause_enabled,
            "pause_message": text(settings, "pause_message") if settings.pause_enabled else "",
            "donate_url": settings.donate_url or None,
            "donate_line": text(settings, "donate_line"),
            "needs_url": url_for("public.needs", _external=True),
        }
    )


@site_bp.get(f"/api/{API_VERSION}/openapi.json")
def api_openapi():
    query({})
    return json_response(openapi_document())
