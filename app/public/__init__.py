"""The public site: the pages donors and supporters read."""

from flask import Blueprint, g

from app import content_version

bp = Blueprint("public", __name__)


@bp.app_template_global()
def list_updated_at():
    """The needs list's "last updated" (app/content_version.py), read once per page."""
    if "list_updated_at" not in g:
        g.list_updated_at = content_version.list_updated_at()
    return g.list_updated_at


@bp.app_template_global()
def site_changed_at():
    """When anything public last changed: a feed's <updated> when nothing newer says."""
    return content_version.last_changed_at() or content_version.EPOCH


# Public pages are the same for everyone: the page cache may keep them.
UNCACHED_ENDPOINTS = {"public.media"}


@bp.after_request
def allow_page_cache(response):
    from flask import current_app, request

    from app.cache import STORE_HEADER

    if (
        current_app.config["PAGE_CACHE"]
        and response.status_code == 200
        and request.endpoint not in UNCACHED_ENDPOINTS
    ):
        response.headers[STORE_HEADER] = "store"  # read and removed by the cache
    return response


from app.public import content, feeds, needs, routes  # noqa: E402,F401
