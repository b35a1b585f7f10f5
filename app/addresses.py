"""The site's own addresses, derived once from the URL map.

Three sets of first path segments (`/admin/pages/` is in `admin`; `/administrator-notes` is
not), each read from the routes the app registered, never typed again:

- **organisers'**: every address of a Flask-Admin view and of the login view's blueprint
  (`/admin/…`, `/login`, `/logout`). Never cached, never mirrored, disallowed in robots.txt,
  sent with the organisers' headers, and always passed to the app by nginx (docs/deploy.md,
  whose list tests/test_addresses.py compares with this one);
- **files**: the static folders' routes and views marked `@sends_files` (uploaded images):
  passed through the page cache, which keeps pages only;
- **reserved**: every first segment a route uses, except the page route `/<slug>` itself,
  and the few names below that no route uses yet. A page may not take one as its slug.

Derived the first time it is asked for, which is at the first request at the latest; from
then on Flask accepts no new route, so the sets cannot go stale.
"""

from dataclasses import dataclass

from flask import Flask, current_app

# Not routes, or not yet, but no page may take them either.
RESERVED_FOR_LATER = {
    "favicon.ico": "browsers ask every site for it, whatever its pages say",
    "healthz": "a health check for the service manager or a load balancer",
    ".well-known": "RFC 8615; certificate renewals use it (docs/deploy.md's nginx block)",
}
EXTENSION = "site_addresses"  # its key in app.extensions


def first_segment(path: str) -> str:
    """`/admin/pages/` → `admin`; `/login` → `login`; `/` → ``."""
    return path.removeprefix("/").partition("/")[0]


API_SEGMENT = "api"  # the open-data API: /api/v1/… and /<language>/api/v1/… (app/public/api.py)


def is_api_address(path: str) -> bool:
    """`/api/v1/needs`, `/fr/api/v1/needs`, `/api`: answered in JSON, errors too, with the API's
    headers (app/errors.py, app/security.py), and mirrored as `.json` files."""
    segments = path.removeprefix("/").split("/")
    if len(segments) > 1 and segments[0] in current_app.config["LANGUAGES"]:
        segments = segments[1:]
    return segments[0] == API_SEGMENT


def sends_files(view):
    """Marks a view that sends files, not pages: the page cache lets its addresses by."""
    view.sends_files = True
    return view


@dataclass(frozen=True)
class SiteAddresses:
    organisers: frozenset[str]  # first segments
    organisers_paths: tuple[str, ...]  # as robots.txt disallows them: /admin/, /login, /logout
    files: frozenset[str]  # first segments of file addresses that are not organisers'
    file_endpoints: frozenset[str]
    reserved: frozenset[str]
    page_endpoints: frozenset[str]  # routes whose first segment is a variable: /<slug>

    def is_organisers(self, path: str) -> bool:
        return first_segment(path) in self.organisers

    def passes_the_cache(self, path: str) -> bool:
        """Organisers' addresses and files: never kept by the page cache."""
        segment = first_segment(path)
        return segment in self.organisers or segment in self.files


def site_addresses(app: Flask) -> SiteAddresses:
    """The app's addresses, derived from its URL map the first time they are needed."""
    addresses = app.extensions.get(EXTENSION)
    if addresses is None:
        addresses = app.extensions[EXTENSION] = derive(app)
    return addresses


def organisers_blueprints(app: Flask) -> set[str]:
    """Every Flask-Admin view's blueprint, and the login view's (Flask-Login's login_view)."""
    # Flask-Admin keeps its views in a private list; SiteAdmin (app/admin) records them.
    names = {
        view.blueprint.name for admin in app.extensions.get("admin", []) for view in admin.views
    }
    login_view = getattr(getattr(app, "login_manager", None), "login_view", None)
    if login_view and "." in login_view:
        names.add(login_view.rpartition(".")[0])
    return names


def is_static(endpoint: str) -> bool:
    """Flask's routes for a static folder: the app's (`static`) and a blueprint's."""
    return endpoint == "static" or endpoint.endswith(".static")


def derive(app: Flask) -> SiteAddresses:
    organisers_bps = organisers_blueprints(app)
    organisers: set[str] = set()
    under: set[str] = set()  # organisers' segments with addresses below them (/admin/…)
    exact: set[str] = set()  # organisers' segments that are an address themselves (/login)
    files: set[str] = set()
    file_endpoints: set[str] = set()
    used: set[str] = set()
    page_endpoints: set[str] = set()
    for rule in app.url_map.iter_rules():
        segment = first_segment(rule.rule)
        if "<" in segment:  # a variable first segment: any page slug could be it
            page_endpoints.add(rule.endpoint)
            continue
        if segment:
            used.add(segment)
        view = app.view_functions.get(rule.endpoint)
        if is_static(rule.endpoint) or getattr(view, "sends_files", False):
            file_endpoints.add(rule.endpoint)
        if rule.endpoint.partition(".")[0] in organisers_bps:
            organisers.add(segment)
            if rule.rule.startswith(f"/{segment}/"):
                under.add(segment)
            else:
                exact.add(segment)
        elif rule.endpoint in file_endpoints:
            files.add(segment)
    paths = [f"/{segment}/" for segment in under] + [f"/{segment}" for segment in exact]
    return SiteAddresses(
        organisers=frozenset(organisers),
        organisers_paths=tuple(sorted(paths)),
        files=frozenset(files - organisers),
        file_endpoints=frozenset(file_endpoints),
        reserved=frozenset(used | RESERVED_FOR_LATER.keys()),
        page_endpoints=frozenset(page_endpoints),
    )
