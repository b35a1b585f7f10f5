"""Machine-readable views: Atom feeds, the sitemap and robots.txt."""

from flask import current_app, render_template, request

from app.addresses import site_addresses
from app.content_version import EPOCH, last_changed_at
from app.dates import local_today
from app.models import Need, Page, Post, Route, Settings
from app.public import bp, site_bp

ATOM = "application/atom+xml; charset=utf-8"
FEED_LENGTH = 30


def tag_uri(date, path: str) -> str:
    """A stable Atom id (RFC 4151): this host, the day the thing began, its path."""
    return f"tag:{request.host.split(':')[0]},{date:%Y-%m-%d}:{path}"


@bp.get("/feeds/news.atom")
def news_feed():
    posts = Post.newest(FEED_LENGTH)
    body = render_template("feeds/news.atom.xml", posts=posts, tag_uri=tag_uri)
    return body, 200, {"Content-Type": ATOM}


@bp.get("/feeds/needs.atom")
def needs_feed():
    settings = Settings.current()
    needs = Need.recently_changed(local_today(), FEED_LENGTH)
    # While donations are paused, the feed leads with that, dated when the settings changed.
    paused_since = last_changed_at(("settings",)) or EPOCH if settings.pause_enabled else None
    body = render_template(
        "feeds/needs.atom.xml",
        needs=needs,
        tag_uri=tag_uri,
        settings=settings,
        paused_since=paused_since,
    )
    return body, 200, {"Content-Type": ATOM}


@site_bp.get("/sitemap.xml")
def sitemap():
    body = render_template(
        "feeds/sitemap.xml",
        routes=Route.published(),
        posts=Post.newest(1000),
        pages=Page.published(),
    )
    return body, 200, {"Content-Type": "application/xml; charset=utf-8"}


@site_bp.get("/robots.txt")
def robots():
    disallowed = site_addresses(current_app).organisers_paths
    body = render_template("feeds/robots.txt", disallowed=disallowed)
    return body, 200, {"Content-Type": "text/plain; charset=utf-8"}
