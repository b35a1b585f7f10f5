"""Static files: addresses that carry a digest, kept a year by browsers, sent compressed.

``url_for("static", filename="css/site.css")`` gives ``/static/css/site.<digest>.css``,
where the digest is taken from the file's bytes. A changed file gets a new
address, so the old one may be cached for a year: the app sends such names
with ``Cache-Control: public, max-age=31536000, immutable``, gzip-compressed
once per process when the browser accepts it. The static mirror holds the same
names (and .gz copies), so nginx can do the same from disk. An outdated digest
(a page cached from before a deploy) still gets the current file, revalidated
on every use instead of cached.

Flask-Admin's own files (/admin/static/…) are treated the same way, with the
digest in their ``v=`` parameter (its templates pass a version there; we put
the file's digest instead). Organisers' pages themselves are never cached but
are sent compressed: they matter most on a phone with a weak signal.
"""

import gzip
import hashlib
import os
import re
from functools import lru_cache

from flask import Flask, current_app, request, send_from_directory
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from app.cache import is_compressible
from app.security import is_organisers_page

YEAR = 365 * 24 * 3600
DIGEST_LENGTH = 10
FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)$"
)


@lru_cache(maxsize=512)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:DIGEST_LENGTH]


@lru_cache(maxsize=128)
def _compressed(path: str, mtime_ns: int, size: int) -> bytes:
    with open(path, "rb") as handle:
        return gzip.compress(handle.read(), compresslevel=9, mtime=0)


def _static_path(filename: str, folder: str | None = None) -> str | None:
    path = safe_join(folder or current_app.static_folder, filename)
    return path if path and os.path.isfile(path) else None


def digest_of(filename: str, folder: str | None = None) -> str | None:
    path = _static_path(filename, folder)
    if path is None:
        return None
    status = os.stat(path)
    return _file_digest(path, status.st_mtime_ns, status.st_size)


def fingerprinted(filename: str) -> str:
    """css/site.css → css/site.<digest>.css (unchanged for a file that does not exist)."""
    stem, dot, suffix = filename.rpartition(".")
    digest = digest_of(filename)
    if not dot or "/" in suffix or digest is None:
        return filename
    return f"{stem}.{digest}.{suffix}"


def add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = fingerprinted(values["filename"])


def serve_static(filename: str) -> Response:
    """The static view: fingerprinted names cached a year, text compressed once."""
    match = FINGERPRINTED.match(filename)
    current = False
    if match and _static_path(match["stem"] + match["suffix"]):
        filename = match["stem"] + match["suffix"]
        current = match["digest"] == digest_of(filename)
    return send_static(current_app.static_folder, filename, current)


def admin_static_folder() -> str:
    return current_app.blueprints["admin"].static_folder


def serve_admin_static(filename: str) -> Response:
    """Flask-Admin's files: cached a year when asked for with their digest."""
    folder = admin_static_folder()
    current = request.args.get("v") == digest_of(filename, folder)
    return send_static(folder, filename, current)


def add_admin_digest(endpoint: str, values: dict) -> None:
    if endpoint == "admin.static" and "filename" in values:
        digest = digest_of(values["filename"], admin_static_folder())
        if digest:
            values["v"] = digest


def send_static(folder: str, filename: str, current: bool) -> Response:
    """A file from `folder`: a year's caching when its address is current, and a copy
    compressed once when it is text and the browser accepts gzip."""
    response = send_from_directory(folder, filename, max_age=YEAR if current else None)
    if current:
        response.cache_control.immutable = True
    if not is_compressible(response.mimetype):
        return response
    response.vary.add("Accept-Encoding")
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return response
    response.close()
    path = _static_path(filename, folder)
    status = os.stat(path)
    compressed = Response(
        _compressed(path, status.st_mtime_ns, status.st_size),
        mimetype=response.mimetype,
        headers={
            "Content-Encoding": "gzip",
            "Vary": "Accept-Encoding",
            "Cache-Control": response.headers["Cache-Control"],
        },
    )
    compressed.last_modified = response.last_modified
    compressed.set_etag(f"{_file_digest(path, status.st_mtime_ns, status.st_size)}-gz")
    return compressed.make_conditional(request)


def compress_organisers_page(response: Response) -> Response:
    """Organisers' pages, compressed for the phone (public pages: the page cache does it)."""

    if (
        response.direct_passthrough
        or response.status_code != 200
        or "Content-Encoding" in response.headers
        or not is_compressible(response.mimetype)
        or "gzip" not in request.headers.get("Accept-Encoding", "")
        or not is_organisers_page()
    ):
        return response
    body = response.get_data()
    if len(body) < 512:
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def register_admin_static_files(app: Flask) -> None:
    """Once Flask-Admin's blueprint exists (app/admin/__init__.py)."""
    app.url_defaults(add_admin_digest)
    app.view_functions["admin.static"] = serve_admin_static


def register_static_files(app: Flask) -> None:
    app.url_defaults(add_fingerprint)
    app.view_functions["static"] = serve_static
    app.after_request(compress_organisers_page)
