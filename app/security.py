"""Response headers that protect visitors and organisers, and the CSP nonce.

Public pages may load our own static scripts only (`script-src 'self'`, no inline
code); the admin's scripts (Flask-Admin's own, served from the installed package)
carry a per-request nonce. Every page refuses to be framed, except the views marked
`@embeddable` (the partners' embed, app/public/sharing.py), which any site may frame.
"""

import secrets
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, make_response, request
from werkzeug.sansio.utils import host_is_trusted

from app.addresses import is_api_address, site_addresses
from app.cache import BYPASS_CACHE, STORE_HEADER

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy(nonce: str | None) -> str:
    scripts = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    styles = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


# A page partners put in an <iframe> on their own sites: no script, nothing but our own
# stylesheet (and images), framed by any site. docs/deploy.md's nginx block says the same.
EMBED_CSP = "; ".join(
    (
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors *",
    )
)


def embeddable(view):
    """Mark a view's responses (errors and redirects included) as framable by any site:
    the embed's own CSP, and no X-Frame-Options."""

    @wraps(view)
    def framable(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Content-Security-Policy"] = EMBED_CSP
        response.embeddable = True  # read by add_security_headers
        return response

    return framable


def is_organisers_page() -> bool:
    """An organisers' address (app/addresses.py), not a file (the admin's static files):
    compressed for the phone, never kept in a cache."""
    addresses = site_addresses(current_app)
    return (
        addresses.is_organisers(request.path) and request.endpoint not in addresses.file_endpoints
    )


def reject_nul_bytes():
    """NUL cannot be stored in PostgreSQL text: refuse it up front on every backend."""
    values = [*request.args.values(), *request.form.values(), request.path]
    if any("\x00" in value for value in values):
        abort(400)


# The open-data API (app/public/api.py): JSON that any site may read (CORS), never a document.
API_CSP = "default-src 'none'; frame-ancestors 'none'"
API_PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def add_api_headers(response):
    """Every response on an API address, errors and preflights included: readable from
    any origin (nothing in it is private; it sets no cookie), and JSON only."""
    if is_api_address(request.path):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
        response.headers["Content-Security-Policy"] = API_CSP
        if request.method == "OPTIONS":  # Flask's own answer, without its page
            response.status_code = 204
            response.set_data(b"")
            for name in ("Content-Type", "Content-Length", STORE_HEADER):
                response.headers.pop(name, None)
            response.headers.update(API_PREFLIGHT)
    return response


def register_security_headers(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.before_request(refuse_untrusted_hosts)
    app.before_request(reject_nul_bytes)
    app.after_request(add_api_headers)

    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce")))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not getattr(response, "embeddable", False):
            headers.setdefault("X-Frame-Options", "DENY")
        if app.config["APP_ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if is_organisers_page():
            # Organisers' pages must never sit in a shared or back-button cache.
            headers["Cache-Control"] = "no-store"
        return response


class SiteAddress:
    """WSGI middleware: the host a request names is checked, and never reflected.

    A request naming a host that TRUSTED_HOSTS does not list is answered with a
    400 (rendered under the site's own address, so that nothing in it comes
    from the request, and never cached). In production every request is also
    handled as if it named SITE_URL, so every absolute link (canonical links,
    og:url, feed ids, the sitemap, robots.txt) is built from SITE_URL and says
    the same as the static mirror, which is built from SITE_URL too.
    """

    def __init__(self, wsgi_app, site_url: str, trusted: list[str] | None, links_from_site: bool):
        parts = urlsplit(site_url)
        self.wsgi_app, self.scheme, self.host = wsgi_app, parts.scheme, parts.netloc
        self.trusted, self.links_from_site = trusted, links_from_site

    def __call__(self, environ, start_response):

        host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")).lower()
        site = {"HTTP_HOST": self.host, "wsgi.url_scheme": self.scheme}
        if self.trusted is not None and not host_is_trusted(host, self.trusted):
            environ = {**environ, **site, REFUSED_HOST: True, BYPASS_CACHE: True}
        elif self.links_from_site:
            environ = {**environ, **site}
        return self.wsgi_app(environ, start_response)


REFUSED_HOST = "needs_now.refused_host"  # an environ key: the request named an untrusted host


def refuse_untrusted_hosts():
    if request.environ.get(REFUSED_HOST):
        abort(400)


def install_site_address(app: Flask) -> None:
    config = app.config
    if config["TRUSTED_HOSTS"] is not None or config["LINKS_FROM_SITE_URL"]:
        app.wsgi_app = SiteAddress(
            app.wsgi_app, config["SITE_URL"], config["TRUSTED_HOSTS"], config["LINKS_FROM_SITE_URL"]
        )
