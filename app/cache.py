"""The public page cache: always current, compressed once, conditional, fast.

Public pages are rendered once per content version (app/content_version.py:
commits from anywhere, publication times, the local date) and served from
memory until it changes. Each worker reads the version from the database at
most every PAGE_CACHE_REFRESH seconds, and at once when the clock passes the
version's next boundary (a scheduled post, local midnight). So after an
organiser saves, every worker on every host serves the new page within
PAGE_CACHE_REFRESH seconds (0.5 by default, inside the one-second promise),
and between changes requests do not touch the database at all.

Each stored page keeps its body plain and gzip-compressed (compressed once,
at rendering; a picture, such as the share preview image, is compressed already
and kept as it is), a strong ETag per encoding, and its Last-Modified, so browsers
and proxies get 304 Not Modified. When the database cannot be reached, pages
already rendered are still served (nothing can change meanwhile); others get 503.
"""

import gzip
import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import partial

from sqlalchemy.exc import SQLAlchemyError

from app.addresses import SiteAddresses, site_addresses
from app.content_version import ContentVersion, read_version
from app.dates import zone_named
from app.extensions import db

MAX_PAGES = 1000
# Query strings a public page understands (a page of a list; the API's and the embed's
# choices of category and urgency, in that order); any other is passed through uncached,
# so junk queries cannot fill the cache or push real pages out. A choice that names no
# category or urgency is an error, and errors are never kept.
CACHEABLE_QUERY = re.compile(
    r"^(page=\d{1,6}"
    r"|category=[a-z0-9-]{1,80}(&urgency=[a-z_]{1,20})?"
    r"|urgency=[a-z_]{1,20})?$"
)
BYPASS_CACHE = "needs_now.bypass_cache"  # an environ key: render afresh (the mirror's crawl)
STORE_HEADER = "X-Page-Cache"  # set by public views that may be cached; never sent out
CACHE_CONTROL = "public, max-age=5"
SKIPPED_HEADERS = {
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "cache-control",
    "vary",
    STORE_HEADER.lower(),
}
# Worth compressing: text formats. Images such as PNG and JPEG are compressed already.
# The page cache, the static files (app/assets.py) and the mirror's .gz copies ask this.
COMPRESSIBLE_TYPES = frozenset(
    {
        "text/css",
        "text/csv",
        "text/plain",
        "text/html",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "image/svg+xml",
    }
)


def is_compressible(mimetype: str | None) -> bool:
    return (mimetype or "").split(";")[0].strip() in COMPRESSIBLE_TYPES


log = logging.getLogger(__name__)


@dataclass
class StoredPage:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    gzipped: bytes | None  # None for a type that is compressed already
    etag: str
    modified: datetime

    @classmethod
    def from_response(cls, status, headers, body: bytes) -> "StoredPage":
        digest = hashlib.sha256(body).hexdigest()[:32]
        kept = [(name, value) for name, value in headers if name.lower() not in SKIPPED_HEADERS]
        now = datetime.now(UTC).replace(microsecond=0)
        content_type = next((value for name, value in kept if name.lower() == "content-type"), "")
        # A picture (the share preview image) is compressed already: kept as it is.
        gzipped = gzip.compress(body, 6, mtime=0) if is_compressible(content_type) else None
        return cls(status, kept, body, gzipped, digest, now)


class PageCache:
    """WSGI middleware in front of the Flask app."""

    def __init__(
        self, wsgi_app, engine, zone, refresh_seconds: float, addresses: Callable[[], SiteAddresses]
    ):
        self.wsgi_app = wsgi_app
        # Never cached, and passed straight through: organisers' addresses and files.
        self.addresses = addresses
        self.engine = engine
        self.zone = zone
        self.refresh_seconds = refresh_seconds
        self.pages: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.version: ContentVersion | None = None
        self.checked_at = 0.0
        self.failing = False

    # The content version ---------------------------------------------------

    def current_version(self) -> ContentVersion | None:
        now = time.monotonic()
        # A scheduled post or midnight: look at once, not at the next refresh.
        boundary_passed = self.version is not None and self.version.expired() and not self.failing
        if boundary_passed or now - self.checked_at >= self.refresh_seconds:
            self.checked_at = now
            try:
                with self.engine.connect() as connection:
                    version = read_version(connection, self.zone)
            except SQLAlchemyError as error:
                if not self.failing:  # one line per outage, not one per look
                    log.warning(
                        "Page cache: content version unavailable (%s); serving stored "
                        "pages until it is back",
                        error.__class__.__name__,
                    )
                self.failing = True
                return self.version
            if self.failing:
                log.warning("Page cache: content version available again")
            self.failing = False
            if version != self.version:
                with self.lock:
                    self.pages.clear()
                self.version = version
        return self.version

    # WSGI -------------------------------------------------------------------

    def __call__(self, environ, start_response):
        if (
            environ["REQUEST_METHOD"] not in ("GET", "HEAD")
            or self.addresses().passes_the_cache(environ.get("PATH_INFO", ""))
            or not CACHEABLE_QUERY.match(environ.get("QUERY_STRING", ""))
            or environ.get(BYPASS_CACHE)
        ):
            return self.wsgi_app(environ, start_response)
        if self.current_version() is None:
            return self.wsgi_app(environ, start_response)
        key = (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("PATH_INFO"),
            environ.get("QUERY_STRING"),
        )
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
        if page is None:
            page = self.render(environ, key)
            if not isinstance(page, StoredPage):
                return page(start_response)
        return self.serve(page, environ, start_response)

    def render(self, environ, key):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        version = self.version
        # A HEAD request is rendered as a GET: the stored page needs its body.
        chunks = self.wsgi_app({**environ, "REQUEST_METHOD": "GET"}, capture)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = captured["headers"]
        cacheable = (
            captured["status"].startswith("200")
            and any(name == STORE_HEADER for name, _ in headers)
            and not any(name.lower() == "set-cookie" for name, _ in headers)
        )
        if not cacheable:
            outgoing = [(name, value) for name, value in headers if name != STORE_HEADER]
            return lambda start_response: _send(
                start_response, captured["status"], outgoing, body, environ
            )
        page = StoredPage.from_response(captured["status"], headers, body)
        with self.lock:
            if version == self.version:  # the content did not change while rendering
                self.pages[key] = page
                while len(self.pages) > MAX_PAGES:
                    self.pages.popitem(last=False)
        return page

    def serve(self, page: StoredPage, environ, start_response):
        compressed = page.gzipped is not None and "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
        etag = f'"{page.etag}-gz"' if compressed else f'"{page.etag}"'
        headers = [
            *page.headers,
            ("ETag", etag),
            ("Last-Modified", format_datetime(page.modified, usegmt=True)),
            ("Cache-Control", CACHE_CONTROL),
            ("Vary", "Accept-Encoding"),
        ]
        if _not_modified(environ, page, etag):
            start_response("304 Not Modified", headers)
            return [b""]
        body = page.gzipped if compressed else page.body
        if compressed:
            headers.append(("Content-Encoding", "gzip"))
        return _send(start_response, page.status, headers, body, environ)


def _send(start_response, status, headers, body, environ):
    headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    start_response(status, headers)
    return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _not_modified(environ, page: StoredPage, etag: str) -> bool:
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        # If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x".
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in tags or "*" in tags
    if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if if_modified_since:
        # HTTP dates count whole seconds, and the content can change twice within
        # one: only a date strictly after the page's is a safe "not modified".
        try:
            return page.modified < parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
    return False


def install_page_cache(app) -> None:
    """Put the cache in front of the app (behind ProxyFix, which must come outermost)."""

    with app.app_context():
        engine = db.engine
    app.wsgi_app = PageCache(
        app.wsgi_app,
        engine,
        zone=zone_named(app.config["TIMEZONE"]),
        refresh_seconds=app.config["PAGE_CACHE_REFRESH"],
        addresses=partial(site_addresses, app),
    )
