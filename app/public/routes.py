"""Views for the routes across Fortress Europe: the overview map and one page per route."""

from flask import abort, render_template

from app.maps import RouteMap
from app.models import Route
from app.public import bp


@bp.get("/routes")
def routes():
    published = Route.published()
    return render_template(
        "public/routes.html", routes=published, routes_map=RouteMap.of_routes(published)
    )


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
        routes_map=RouteMap.of_routes([route], fit=True),
    )
