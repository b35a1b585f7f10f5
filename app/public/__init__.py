"""The public site: the pages donors and supporters read."""

from flask import Blueprint, current_app, request

from app.addresses import site_addresses
from app.cache import STORE_HEADER

bp = Blueprint("public", __name__)


@bp.after_request
def allow_page_cache(response):
    """Public pages are the same for everyone: the page cache may keep them (not files)."""
    if (
        current_app.config["PAGE_CACHE"]
        and response.status_code == 200
        and request.endpoint not in site_addresses(current_app).file_endpoints
    ):
        response.headers[STORE_HEADER] = "store"  # read and removed by the cache
    return response


from app.public import content, feeds, needs, routes  # noqa: E402,F401
