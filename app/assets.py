"""Static files: addresses that carry a digest, kept a year by browsers, sent compressed.

``url_for("static", filename="css/site.css")`` gives ``/static/css/site.<digest>.css``,
where the digest is taken from the file's bytes. A changed file gets a new
address, so the old one may be cached for a year: the app sends such names
with ``Cache-Control: public, max-age=31536000, immutable``, gzip-compressed
once per process when the browser accepts it. The static mirror holds the same
names (and .gz copies), so nginx can do the same from disk. An outdated digest
(a page cached from before a deploy) still gets the current file, revalidated
on every use instead of cached.
"""

import gzip
import hashlib
import os
import re
from functools import lru_cache

from flask import Flask, current_app, request, send_from_directory
from werkzeug.security import safe_join
from werkzeug.wrappers import Response

YEAR = 365 * 24 * 3600
DIGEST_LENGTH = 10
FINGERPRINTED = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[A-Za-z0-9]+)$"
)
# Worth compressing: text formats. Images such as PNG and JPEG are compressed already.
COMPRESSIBLE_TYPES = frozenset(
    {"text/css", "text/plain", "text/html", "text/javascript", "application/javascript",
     "application/json", "application/xml", "application/atom+xml", "image/svg+xml"}
)  # fmt: skip


def is_compressible(mimetype: str | None) -> bool:
    return (mimetype or "").split(";")[0].strip() in COMPRESSIBLE_TYPES


@lru_cache(maxsize=512)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:DIGEST_LENGTH]


@lru_cache(maxsize=128)
def _compressed(path: str, mtime_ns: int, size: int) -> bytes:
    with open(path, "rb") as handle:
        return gzip.compress(handle.read(), compresslevel=9, mtime=0)


def _static_path(filename: str) -> str | None:
    path = safe_join(current_app.static_folder, filename)
    return path if path and os.path.isfile(path) else None


def digest_of(filename: str) -> str | None:
    path = _static_path(filename)
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
    response = send_from_directory(
        current_app.static_folder, filename, max_age=YEAR if current else None
    )
    if current:
        response.cache_control.immutable = True
    if not is_compressible(response.mimetype):
        return response
    response.vary.add("Accept-Encoding")
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return response
    response.close()
    path = _static_path(filename)
    status = os.stat(path)
    compressed = Response(
        _compressed(path, status.st_mtime_ns, status.st_size),
        mimetype=response.mimetype,
        headers={
            "Content-Encoding": "gzip",
            "Vary": "Accept-Encoding",
            "Cache-Control": response.headers["Cache-Control"],
        },  # fmt: skip
    )
    compressed.last_modified = response.last_modified
    compressed.set_etag(f"{_file_digest(path, status.st_mtime_ns, status.st_size)}-gz")
    return compressed.make_conditional(request)


def register_static_files(app: Flask) -> None:
    app.url_defaults(add_fingerprint)
    app.view_functions["static"] = serve_static
