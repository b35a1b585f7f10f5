"""Views for the routes across Fortress Europe: the overview map and one page per route."""

from flask import abort, render_template

from app.languages import translated_text
from app.maps import RouteMap
from app.models import Route
from app.public import bp
from app.site_context import site_context


def place_name(place) -> str:
    return str(translated_text(place, "name"))


def home_place():
    """The group's own place (Settings), named first on every map."""
    settings, _ = site_context()
    return settings.home_place


@bp.get("/routes")
def routes():
    published = Route.published()
    routes_map = RouteMap.of_routes(published, place_name, home_place())
    return render_template("public/routes.html", routes=published, routes_map=routes_map)


@bp.get("/routes/<slug>")
def route(slug: str):
    published = Route.published()
    index = next((i for i, route in enumerate(published) if route.slug == slug), None)
    if index is None:
        abort(404)
    route = published[index]
    return render_template(
        "public/route.html",
        route=route,
        previous_route=published[index - 1] if index > 0 else None,
        next_route=published[index + 1] if index + 1 < len(published) else None,
        routes_map=RouteMap.of_route(route, published, place_name, home_place()),
    )
