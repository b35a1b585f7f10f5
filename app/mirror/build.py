"""Building the mirror: render the public site through the app, incrementally.

A full build crawls the site from a few starting addresses (each language's home
page, plain-text list, feeds and API addresses: /, /fr/, /needs.txt, /fr/api/v1/needs…;
the sitemap and the API's OpenAPI document),
following every link and every file a page loads, and rewrites the site's own links
to relative ones so the mirror works from any web server or a USB stick. The mirror
holds every language: each page links to its twin in the others (the language switch).

An incremental build starts from the live build's manifest. It reads which
public records changed since that build's content version (the change
history) and whether a time boundary passed (a publication time, midnight),
and renders again only the addresses whose recorded reads
(app/page_dependencies.py) those touch, plus any new address their links lead
to. Addresses no longer linked from anywhere, or that now answer 404, leave
the mirror. Pages whose bytes did not change keep their file. So the time from
a change to the updated mirror follows what the change touches, not the size
of the site. A change of code, templates or settings makes a full build.
"""

import contextvars
import hashlib
import logging
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, url_for
from sqlalchemy import select

from app.addresses import site_addresses
from app.cache import BYPASS_CACHE
from app.content_version import (
    PRIVATE_RECORD_TYPES,
    TIME_COLUMNS,
    ContentVersion,
    Visibility,
    current_version,
    public_changes,
)
from app.extensions import db
from app.mirror.files import (
    BuildWriter,
    Entry,
    Manifest,
    MirrorPaths,
    file_for,
    prune,
    relative_link,
    swap_in,
)
from app.models import Change
from app.page_dependencies import PageDependencies, Touched, recording

log = logging.getLogger(__name__)

LINK = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>/[^"]*)"')
LINKED_TYPES = ("text/html", "application/atom+xml", "application/xml", "image/svg+xml")
GONE = (404, 410)
UNAVAILABLE = 503  # what the site answers when it cannot reach its database
CODE_FOLDERS = ("app", "templates", "static")
# The crawl's starting points (start_urls): these in every language, and those shared.
LANGUAGE_STARTS = (
    "public.index",
    "public.needs_text",
    "public.needs_csv",
    "public.news_feed",
    "public.needs_feed",
    "public.api_needs",
    "public.api_sites",
    "public.api_news",
    "public.api_routes",
    "public.api_settings",
    "public.share_image",
)
SHARED_STARTS = ("site.sitemap", "site.robots", "site.api_openapi")
# The templates the public site renders (the rest are the admin panel's).
PUBLIC_TEMPLATES = ("base.html", "public/", "macros/", "feeds/", "errors/")


class MirrorUnavailable(RuntimeError):
    """The site could not render a page (the database is down): keep the mirror as it is."""


def start_urls() -> list[str]:
    """Where the crawl begins: each language's home page, plain-text list and feeds, and
    what every language shares; every other address is found by following links."""
    app = current_app._get_current_object()
    with app.test_request_context(base_url=app.config["SITE_URL"]):
        in_each_language = [
            url_for(endpoint, _lang=language)
            for language in app.config["LANGUAGES"]
            for endpoint in LANGUAGE_STARTS
        ]
        shared = [url_for(endpoint) for endpoint in SHARED_STARTS]
    return [urlsplit(url).path for url in (*in_each_language, *shared)]


def compile_public_templates(app: Flask) -> int:
    """Compile the public site's templates now, and return how many: Jinja compiles a
    template the first time it is used, which made the first rebuild after a start about
    twice as slow as the next (a third of a second more on the demo)."""
    names = [name for name in app.jinja_env.list_templates() if name.startswith(PUBLIC_TEMPLATES)]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def code_fingerprint(app: Flask) -> str:
    """The code, templates, static files and settings a build is made with: when any of
    them changes (a deploy, a new SITE_URL, a language added), the next build is a full one."""
    if "mirror_code" not in app.extensions:
        digest = hashlib.sha256()
        for setting in ("SITE_URL", "TIMEZONE", "LANGUAGES", "DEFAULT_LANGUAGE"):
            digest.update(f"{setting}={app.config[setting]}\n".encode())
        root = Path(app.root_path).parent
        for folder in CODE_FOLDERS:
            for path in sorted((root / folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(str(path.relative_to(root)).encode() + b"\0")
                    digest.update(path.read_bytes())
        app.extensions["mirror_code"] = digest.hexdigest()[:16]
    return app.extensions["mirror_code"]


# Rendering ---------------------------------------------------------------------


@dataclass
class Rendered:
    status: int
    mimetype: str
    body: bytes
    links: list[str]
    dependencies: PageDependencies


def render(client, url: str, site_url: str) -> Rendered:
    """One address as the mirror holds it, with what it read and where it links."""
    # In a context of its own, as a visitor's request would be: its own app context,
    # `g` and database session, so nothing read for one page is reused for another.
    response, body, dependencies = contextvars.Context().run(_request, client, url, site_url)
    organisers = site_addresses(client.application).is_organisers  # only the live site has them
    links: list[str] = []
    mimetype = response.mimetype or "application/octet-stream"
    text = _utf8(body) if response.status_code == 200 and mimetype in LINKED_TYPES else None
    if text is not None:
        for match in LINK.finditer(text):
            target = urlsplit(match.group("url"))._replace(fragment="").geturl()
            if target.startswith("//") or organisers(urlsplit(target).path):
                continue
            if file_for(target) is not None and target not in links:
                links.append(target)
        if mimetype == "text/html":
            name = file_for(url)
            text = LINK.sub(
                partial(_rewrite, from_file=name, site_url=site_url, organisers=organisers), text
            )
        body = text.encode("utf-8")
    if any(dependencies.reads(table) for table in PRIVATE_RECORD_TYPES):
        log.warning("Mirror: %s reads accounts, which are not public content", url)
        dependencies.everything = True
    return Rendered(response.status_code, mimetype, body, links, dependencies)


def _utf8(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:  # not ours to rewrite: kept as it is
        return None


def _request(client, url: str, site_url: str):
    with recording() as dependencies:
        response = client.get(url, base_url=site_url, headers={"Accept-Encoding": "identity"})
        body = response.get_data()
        response.close()
    return response, body, dependencies


def _rewrite(match, from_file: str, site_url: str, organisers: Callable[[str], bool]) -> str:
    url = match.group("url")
    if url.startswith("//"):
        return match.group(0)
    if organisers(urlsplit(url).path):  # only the live site can log anyone in
        return f'{match.group("attr")}="{site_url.rstrip("/")}{url}"'
    link = relative_link(url, from_file)
    if link is None:  # not a file the mirror can hold: point at the live site instead
        link = f"{site_url.rstrip('/')}{url}"
    return f'{match.group("attr")}="{link}"'


# What changed ------------------------------------------------------------------

TIMED_TABLES = {
    name.split(".")[0]
    for name, kind in TIME_COLUMNS.items()
    if kind in (Visibility.moment, Visibility.day)
}
EXPIRING_TABLES = {
    name.split(".")[0] for name, kind in TIME_COLUMNS.items() if kind == Visibility.day
}


def touched_since(old: ContentVersion, new: ContentVersion) -> Touched:
    """The tables and rows that public changes between two versions touched."""
    touched = Touched()
    query = (
        select(Change.record_type, Change.before, Change.after)
        .where(
            public_changes(),
            Change.commit_number > old.commit_number,
            Change.commit_number <= new.commit_number,
        )
        .order_by(Change.commit_number, Change.id)
    )
    for record_type, before, after in db.session.execute(query):
        touched.add(record_type, before, after)
    if touched.columns:  # each change is a new history row: "last updated" reads them
        touched.add(Change.__tablename__, None, None)
    return touched


def depends_on_time(dependencies: PageDependencies) -> bool:
    """Could passing a publication time or midnight change this page?"""
    return (
        dependencies.everything
        or dependencies.local_date
        or not TIMED_TABLES.isdisjoint(dependencies.tables)
        or any(table in EXPIRING_TABLES for table, _, _ in dependencies.keys)
    )


def stale_urls(manifest: Manifest, version: ContentVersion) -> list[str]:
    touched = touched_since(manifest.version, version)
    boundary_passed = version.boundary != manifest.version.boundary
    return [
        url
        for url, entry in manifest.entries.items()
        if entry.failed
        or touched.affects(entry.dependencies)
        or (boundary_passed and depends_on_time(entry.dependencies))
    ]


def database_origin() -> str:
    """Which database's history this is: its first entry. A build from another history (a
    backup of another site imported) cannot follow on from this one's."""
    first = db.session.execute(select(Change.id, Change.at).order_by(Change.id).limit(1)).first()
    return "" if first is None else f"{first.id}@{first.at.isoformat()}"


# Building ----------------------------------------------------------------------


@dataclass
class BuildResult:
    build: Path
    version: ContentVersion
    rendered: int = 0  # addresses rendered
    written: int = 0  # files written anew (the rest are linked from the previous build)
    files: int = 0  # addresses in the mirror
    full: bool = False
    changed: bool = True  # False when the mirror was already current
    manifest: Manifest | None = None


_manifests: dict[Path, Manifest | None] = {}


def live_manifest(paths: MirrorPaths) -> tuple[Path | None, Manifest | None]:
    """The live build and its manifest (parsed once per build, not once per look)."""
    live = paths.live_build()
    if live is None:
        return None, None
    if live not in _manifests:
        _manifests.clear()
        _manifests[live] = Manifest.read(live)
    return live, _manifests[live]


def build_mirror(target: Path, full: bool = False) -> BuildResult:
    """Bring the mirror at `target` up to the current content version, and swap it in.

    Renders only what changed since the live build, unless `full` is asked for or
    the code or settings changed. Raises MirrorUnavailable (the previous mirror
    stays) when a page cannot be rendered.
    """
    app = current_app._get_current_object()
    paths = MirrorPaths(target)
    paths.check()
    with paths.building():
        version = current_version()
        code = code_fingerprint(app)
        live, manifest = live_manifest(paths)
        usable = manifest is not None and manifest.code == code and not full
        if usable and manifest.version == version:
            return BuildResult(live, version, files=len(manifest.entries), changed=False)
        origin = database_origin()
        # Builders take turns (the lock above) and read the version in their turn, so a
        # version older than the live build's means the database went back in time (a
        # restored backup), and another origin means another database: what changed since
        # cannot be known, so everything is rendered.
        usable = usable and manifest.version < version and manifest.origin == origin
        queue = stale_urls(manifest, version) if usable else start_urls()
        entries = dict(manifest.entries) if usable else {}
        writer = BuildWriter(paths, version, live if usable else None)
        try:
            result = _crawl_and_write(
                app, writer, queue, entries, Manifest(code, origin, version, {})
            )
        except BaseException:
            writer.abandon()
            raise
        result.full = not usable
        swap_in(paths, result.build)
        _manifests.clear()
        _manifests[result.build] = result.manifest
        prune(paths)
        return result


def _crawl_and_write(
    app, writer: BuildWriter, queue: list[str], entries: dict[str, Entry], manifest: Manifest
) -> BuildResult:
    """Render the queue (and new addresses it links to) over `entries`, write the build, and
    return it with `manifest` filled in."""
    client = app.test_client()
    client.environ_base[BYPASS_CACHE] = True  # a rebuild right after a change must see it
    site_url = app.config["SITE_URL"]
    old = dict(entries)
    owners = {entry.file: url for url, entry in entries.items()}  # file → its address
    pending, seen, rendered = deque(queue), set(queue), {}
    while pending:
        url = pending.popleft()
        page = render(client, url, site_url)
        if page.status == UNAVAILABLE:  # the database went away: keep the mirror as it is
            raise MirrorUnavailable(f"{url} answered {page.status}")
        if page.status >= 500 and url in old:  # a fault in this page: keep its last copy
            log.error("Mirror: %s answered %s; its previous copy stays", url, page.status)
            entries[url] = replace(old[url], failed=True)
            continue
        if page.status != 200:
            if page.status not in GONE:
                log.warning("Mirror: %s answered %s; left out", url, page.status)
            gone = entries.pop(url, None)
            if gone is not None and owners.get(gone.file) == url:
                del owners[gone.file]
            continue
        name = file_for(url)
        if owners.setdefault(name, url) != url:
            log.warning("Mirror: %s and %s would be one file; %s left out", owners[name], url, url)
            continue
        digest = hashlib.sha256(page.body).hexdigest()
        entries[url] = Entry(name, digest, page.mimetype, page.links, page.dependencies)
        rendered[url] = page.body
        for link in page.links:
            if link not in seen and link not in entries:
                seen.add(link)
                pending.append(link)
    if "/" not in entries:  # never replace a site with an empty one
        raise MirrorUnavailable("the home page could not be rendered")
    entries = _reachable(entries)
    for url, entry in entries.items():
        unchanged = url in old and old[url].digest == entry.digest and old[url].file == entry.file
        if unchanged and writer.keep(entry.file):
            continue
        body = rendered.get(url)
        if body is None:  # the previous build lost this file: render it again
            body = render(client, url, site_url).body
        writer.write(entry.file, body, entry.mimetype)
    manifest.entries = entries
    build = writer.finish(manifest)
    return BuildResult(
        build, manifest.version, len(rendered), writer.written, len(entries), manifest=manifest
    )


def _reachable(entries: dict[str, Entry]) -> dict[str, Entry]:
    """Only addresses that can still be reached from the start: a deleted report-back's
    page leaves the mirror with the last link to it."""
    starts = [url for url in start_urls() if url in entries]
    reached, pending = set(starts), deque(starts)
    while pending:
        for link in entries[pending.popleft()].links:
            if link in entries and link not in reached:
                reached.add(link)
                pending.append(link)
    return {url: entry for url, entry in entries.items() if url in reached}
