"""The static mirror: the whole public site as plain files.

    flask --app wsgi mirror build DIR

crawls the public site through the app itself (from /, the sitemap, the
feeds and /needs.txt, following every link and every file a page loads),
rewrites the site's own links to relative ones, and writes it all out, so
any web server, or a USB stick opened in a browser, can show it with the app
and its database switched off. With MIRROR_DIR set, the mirror is rebuilt
after each change made through the admin or the CLI.

DIR is a symbolic link to the latest complete build (DIR.builds/<number>);
a new build is written beside it and the link is swapped in one atomic
rename, so readers never see a half-written site, and a build made from
older content never replaces a newer one.
"""

import logging
import os
import posixpath
import re
import shutil
import threading
import time
import uuid
from collections import deque
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from app.cache import BYPASS_CACHE
from app.extensions import db
from app.models import Change

log = logging.getLogger(__name__)
STARTS = ["/", "/needs.txt", "/sitemap.xml", "/robots.txt", "/feeds/news.atom",
          "/feeds/needs.atom", "/static/share.png", "/static/favicon.svg"]  # fmt: skip
NOT_MIRRORED = ("/admin", "/login", "/logout")
LINK = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>/[^"]*)"')
KEPT_BUILDS = 2


SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SAFE_QUERY = re.compile(r"^page=\d{1,6}$")


def file_for(url: str) -> str | None:
    """Where a URL's content lives in the mirror (/needs → needs/index.html), or None
    for a URL that cannot be a file inside the mirror (odd characters, "..", queries
    other than a page number): such links are left out, never written anywhere."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if any(not SAFE_SEGMENT.match(segment) or ".." in segment for segment in segments):
        return None
    if parts.query:
        if not SAFE_QUERY.match(parts.query):
            return None
        segments.append(parts.query.replace("=", "-"))
    if not segments or "." not in segments[-1]:
        segments.append("index.html")
    return "/".join(segments)


def relative_link(url: str, from_file: str) -> str | None:
    parts = urlsplit(url)
    target = file_for(parts._replace(fragment="").geturl())
    if target is None:
        return None
    link = posixpath.relpath(target, posixpath.dirname(from_file) or ".")
    return link + (f"#{parts.fragment}" if parts.fragment else "")


def content_version() -> int:
    return db.session.scalar(select(func.coalesce(func.max(Change.id), 0)))


def crawl(app: Flask) -> dict[str, bytes]:
    """Every public URL the site links to, with its content (links made relative)."""
    # Past the page cache: a rebuild right after a change must see the change.
    client = app.test_client()
    client.environ_base[BYPASS_CACHE] = True
    site_url = app.config["SITE_URL"]
    queue, seen, files = deque(STARTS), set(STARTS), {}
    while queue:
        url = queue.popleft()
        response = client.get(url, base_url=site_url, headers={"Accept-Encoding": "identity"})
        body = response.get_data()
        response.close()
        if response.status_code != 200:
            log.warning("Mirror: %s answered %s; left out", url, response.status_code)
            continue
        name = file_for(url)
        if name is None:
            log.warning("Mirror: %s cannot be a file in the mirror; left out", url)
            continue
        if response.mimetype in ("text/html", "application/atom+xml", "application/xml",
                                 "image/svg+xml"):  # fmt: skip
            text = body.decode("utf-8")
            for match in LINK.finditer(text):
                link = urlsplit(match.group("url"))
                target = link._replace(fragment="").geturl()
                if target.startswith("//") or target.startswith(NOT_MIRRORED):
                    continue
                if target not in seen and file_for(target) is not None:
                    seen.add(target)
                    queue.append(target)
            if response.mimetype == "text/html":
                text = LINK.sub(partial(_rewrite, from_file=name, site_url=site_url), text)
            body = text.encode("utf-8")
        files[name] = body
    return files


def _rewrite(match, from_file: str, site_url: str) -> str:
    url = match.group("url")
    if url.startswith("//"):
        return match.group(0)
    if url.startswith(NOT_MIRRORED):  # only the live site can log anyone in
        return f'{match.group("attr")}="{site_url.rstrip("/")}{url}"'
    link = relative_link(url, from_file)
    if link is None:  # not a file the mirror can hold: point at the live site instead
        link = f"{site_url.rstrip('/')}{url}"
    return f'{match.group("attr")}="{link}"'


def build_mirror(target: Path) -> Path:
    """Build the mirror and swap it in; returns the directory of the new build."""
    app = current_app._get_current_object()
    target = Path(target).absolute()
    builds = target.parent / f"{target.name}.builds"
    builds.mkdir(parents=True, exist_ok=True)
    if target.exists() and not target.is_symlink():
        raise ValueError(f"{target} exists and is not a mirror link; choose another place.")
    version = content_version()
    files = crawl(app)
    build = builds / f"{version:012d}-{uuid.uuid4().hex}"  # never the name of a live build
    for name, body in files.items():
        path = (build / name).resolve()
        if not path.is_relative_to(build.resolve()):
            raise ValueError(f"refusing to write {name} outside the mirror")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    (build / ".version").write_text(str(version))
    _swap_in(target, build, version)
    _prune(builds, target)
    return build


def _current_version(target: Path) -> int:
    try:
        return int((target / ".version").read_text())
    except (OSError, ValueError):
        return -1


_swap_lock = threading.Lock()


def _swap_in(target: Path, build: Path, version: int) -> None:
    with _swap_lock:
        if _current_version(target) > version:  # a newer build already got there
            shutil.rmtree(build, ignore_errors=True)
            return
        link = target.parent / f".{target.name}.{os.getpid()}.link"
        link.unlink(missing_ok=True)
        link.symlink_to(build)
        os.replace(link, target)  # atomic: the old tree or the new one, never half


def _prune(builds: Path, target: Path) -> None:
    """Remove old builds, never the live one, nor one another process may still be writing."""
    current = target.resolve()
    settled = time.time() - 120
    old = sorted(
        path for path in builds.iterdir() if path != current and path.stat().st_mtime < settled
    )
    for path in old[: max(0, len(old) - (KEPT_BUILDS - 1))]:
        shutil.rmtree(path, ignore_errors=True)


# Rebuilding after changes ------------------------------------------------------


class MirrorRebuilder:
    """Rebuilds in a background thread after commits that changed content; coalesces bursts."""

    def __init__(self, app: Flask, target: Path):
        self.app, self.target = app, Path(target)
        self.wanted = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mirror", daemon=True)
        self.thread.start()

    def request(self) -> None:
        self.wanted.set()

    def _run(self) -> None:
        while True:
            self.wanted.wait()
            self.wanted.clear()
            with self.app.app_context():
                try:
                    build_mirror(self.target)
                except Exception:  # a failed rebuild must not stop later ones
                    log.exception("Mirror rebuild failed; the previous mirror stays in place")
                finally:
                    db.session.remove()


def init_mirror(app: Flask) -> None:
    target = app.config.get("MIRROR_DIR")
    if target:
        app.extensions["mirror"] = MirrorRebuilder(app, Path(target))


@event.listens_for(Session, "after_commit")
def rebuild_after_change(session):
    if not session.info.pop("changed_record_types", set()) - {"users"}:
        return
    from flask import has_app_context

    if has_app_context() and "mirror" in current_app.extensions:
        current_app.extensions["mirror"].request()
