"""The public site: the pages donors and supporters read.

`bp` holds the pages, registered once per language (app/languages.py): `/needs` and
`/fr/needs` are one view. `site_bp` holds what is the same in every language and exists
once: the sitemap, robots.txt and uploaded images.
"""

from flask import Blueprint, current_app, request

from app.addresses import site_addresses
from app.cache import STORE_HEADER

bp = Blueprint("public", __name__)
site_bp = Blueprint("site", __name__)


def allow_page_cache(response):
    """Public pages are the same for everyone: the page cache may keep them (not files)."""
    if (
        current_app.config["PAGE_CACHE"]
        and response.status_code == 200
        and request.endpoint not in site_addresses(current_app).file_endpoints
    ):
        response.headers[STORE_HEADER] = "store"  # read and removed by the cache
    return response


bp.after_request(allow_page_cache)
site_bp.after_request(allow_page_cache)

from app.public import api, content, feeds, needs, poster, routes, sharing  # noqa: E402,F401
