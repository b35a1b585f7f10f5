"""The mirror on disk: where each address's file lives, builds, the manifest, the atomic swap.

MIRROR_DIR is a symbolic link to the live build, ``<MIRROR_DIR>.builds/<version>-<id>``.
A new build is made beside it: files that did not change are hard links to
the live build's (same bytes, same modification time, nothing rewritten);
changed files are written anew with a gzip copy (``.gz``, level 9, the same
modification time) for nginx's ``gzip_static``. The link is then swapped in
one atomic rename: readers see the old build or the new one, never a mix, and
a build interrupted half-way is never swapped in. Each build holds a manifest
(``.manifest.json``, hidden from visitors like every dot-file) naming, for
each address, its file, digest, links and what it was rendered from.
"""

import fcntl
import gzip
import json
import os
import posixpath
import re
import shutil
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from app.addresses import is_api_address
from app.cache import is_compressible
from app.content_version import ContentVersion
from app.page_dependencies import PageDependencies

MANIFEST = ".manifest.json"
MANIFEST_FORMAT = 3
KEPT_BUILDS = 2  # the live one and the one before
SETTLED_SECONDS = 10  # an older build is removed once nobody can still be opening its files
SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SAFE_QUERY = re.compile(r"^page=\d{1,6}$")


def file_for(url: str) -> str | None:
    """Where a URL's content lives in the mirror (/needs → needs/index.html), or None
    for a URL that cannot be a file inside the mirror (odd characters, "..", queries
    other than a page number): such links are left out, never written anywhere.

    /news?page=2 lives in news/page=2/index.html: no address's path can name a
    folder with "=" in it, so a report-back called "page-2" cannot take its place.

    An API address is JSON: /api/v1/needs lives in api/v1/needs.json (nginx sends it
    as application/json, and only to a request without a query: docs/deploy.md)."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if any(not SAFE_SEGMENT.match(segment) or ".." in segment for segment in segments):
        return None
    if is_api_address(parts.path):
        if parts.query or not segments:
            return None
        last = segments[-1]
        return "/".join([*segments[:-1], last if last.endswith(".json") else f"{last}.json"])
    if parts.query:
        if not SAFE_QUERY.match(parts.query):
            return None
        segments.append(parts.query)
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


@dataclass
class Entry:
    """One address in the mirror: its file, what it holds, and what it was made from."""

    file: str
    digest: str
    mimetype: str
    links: list[str]
    dependencies: PageDependencies
    failed: bool = False  # the last render failed: the file is older, render it next time

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "digest": self.digest,
            "type": self.mimetype,
            "links": self.links,
            "deps": self.dependencies.to_json(),
            "failed": self.failed,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Entry":
        return cls(
            data["file"],
            data["digest"],
            data["type"],
            data["links"],
            PageDependencies.from_json(data["deps"]),
            data["failed"],
        )


@dataclass
class Manifest:
    code: str  # the site's code and settings the build was made with
    origin: str  # which database's history (a restored or another site's database differs)
    version: ContentVersion
    entries: dict[str, Entry]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": MANIFEST_FORMAT,
                "code": self.code,
                "origin": self.origin,
                "version": self.version.token,
                "entries": {url: entry.to_json() for url, entry in sorted(self.entries.items())},
            },
        )

    @classmethod
    def read(cls, build: Path) -> "Manifest | None":
        try:
            data = json.loads((build / MANIFEST).read_text())
            if data.get("format") != MANIFEST_FORMAT:
                return None
            entries = {url: Entry.from_json(entry) for url, entry in data["entries"].items()}
            version = ContentVersion.from_token(data["version"])
            return cls(data["code"], data["origin"], version, entries)
        except (OSError, ValueError, KeyError, TypeError):
            return None


class MirrorLocationError(ValueError):
    """MIRROR_DIR cannot be a mirror (an ordinary folder is there)."""


class MirrorPaths:
    """The link visitors' web server reads, and the folders and files kept beside it."""

    def __init__(self, target: Path):
        self.target = Path(target).absolute()
        parent, name = self.target.parent, self.target.name
        self.builds = parent / f"{name}.builds"
        self.build_lock = parent / f".{name}.build.lock"
        self.watch_lock = parent / f".{name}.watch.lock"
        self.nudge = parent / f".{name}.changed"

    def check(self) -> None:
        if self.target.exists() and not self.target.is_symlink():
            raise MirrorLocationError(
                f"{self.target} exists and is not a mirror link; choose another place."
            )

    def live_build(self) -> Path | None:
        return self.target.resolve() if self.target.is_symlink() and self.target.exists() else None

    @contextmanager
    def building(self):
        """Held while a build is written and swapped in: one builder at a time per mirror."""
        with lock_file(self.build_lock) as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield


@contextmanager
def lock_file(path: Path):
    """A file to take a lock on, opened for reading (created if need be), so that any
    user who can read it can lock it: a root-owned one does not stop the app's user."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        yield handle
    finally:
        os.close(handle)  # releases the lock


class BuildWriter:
    """Writes one new build: unchanged files linked from the live build, the rest written."""

    def __init__(self, paths: MirrorPaths, version: ContentVersion, previous: Path | None):
        paths.builds.mkdir(parents=True, exist_ok=True)
        self.paths = paths
        self.previous = previous
        self.root = (paths.builds / f"{version.token}-{uuid.uuid4().hex[:12]}").resolve()
        self.root.mkdir()
        self.folders = {self.root}  # made already: a build links hundreds of files into a few
        self.written = 0

    def _path(self, name: str) -> Path:
        # Lexically (no look at the disk): a build holds no links, so ".." is all that
        # could lead out of it.
        path = Path(posixpath.normpath(self.root / name))
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"refusing to write {name} outside the mirror")
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.update(path.parents)
        return path

    def keep(self, name: str) -> bool:
        """Link the live build's file (and its .gz) into this one; False if it has none."""
        if self.previous is None:
            return False
        source = self.previous / name
        try:
            target = self._path(name)
            os.link(source, target)
        except FileNotFoundError:
            return False
        with suppress(FileNotFoundError):  # only text files have one
            os.link(f"{source}.gz", f"{target}.gz")
        return True

    def write(self, name: str, body: bytes, mimetype: str) -> None:
        """Write a file anew, with a gzip copy if it is text; both get one modification time,
        later than the live copy's, so that a page changed twice in one second never
        answers a browser's If-Modified-Since with "not modified"."""
        path = self._path(name)
        _replace_file(path, body)  # never through a link into the live build
        moment = int(time.time())
        if self.previous is not None:
            with suppress(FileNotFoundError):
                moment = max(moment, int((self.previous / name).stat().st_mtime) + 1)
        os.utime(path, (moment, moment))
        if is_compressible(mimetype):
            compressed = Path(f"{path}.gz")
            _replace_file(compressed, gzip.compress(body, compresslevel=9, mtime=0))
            os.utime(compressed, (moment, moment))
        self.written += 1

    def finish(self, manifest: Manifest) -> Path:
        (self.root / MANIFEST).write_text(manifest.to_json())
        return self.root

    def abandon(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _replace_file(path: Path, body: bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(body)
    os.replace(partial, path)


def swap_in(paths: MirrorPaths, build: Path) -> None:
    """Make `build` the live mirror in one atomic rename."""
    link = paths.target.parent / f".{paths.target.name}.{os.getpid()}.link"
    link.unlink(missing_ok=True)
    link.symlink_to(build)
    os.replace(link, paths.target)


def prune(paths: MirrorPaths) -> None:
    """Remove old builds: never the live one, and only once they have settled."""
    live = paths.live_build()
    settled = time.time() - SETTLED_SECONDS
    old = sorted(
        path for path in paths.builds.iterdir() if path != live and path.stat().st_mtime < settled
    )
    for path in old[: max(0, len(old) - (KEPT_BUILDS - 1))]:
        shutil.rmtree(path, ignore_errors=True)
