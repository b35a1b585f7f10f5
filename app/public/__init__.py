"""The public site: the pages donors and supporters read."""

from flask import Blueprint, current_app, request

from app.cache import STORE_HEADER

bp = Blueprint("public", __name__)


# Public pages are the same for everyone: the page cache may keep them.
UNCACHED_ENDPOINTS = {"public.media"}


@bp.after_request
def allow_page_cache(response):
    if (
        current_app.config["PAGE_CACHE"]
        and response.status_code == 200
        and request.endpoint not in UNCACHED_ENDPOINTS
    ):
        response.headers[STORE_HEADER] = "store"  # read and removed by the cache
    return response


from app.public import content, feeds, needs, routes  # noqa: E402,F401
