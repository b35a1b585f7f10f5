"""Hostile query strings never cause a server error, on the public site or in the admin.

Every address the app answers GET on is derived from the app itself: public addresses
from its URL map, with real slugs from its sitemap over the demo content; admin
addresses from the same map, with real ids. Each gets generated values (numbers too
large for the database, negative numbers, empty strings, control characters, LIKE
wildcards, unknown choices, very long strings, unicode) for every query parameter its
view reads, learnt by asking it once, and every admin list's filters. A new page, view
or filter is covered without changing this file.

A run is bounded and the same every time (derandomised, no example database).
"""

import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask_admin.model import BaseModelView
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict

from app.demo import load_demo_content
from app.extensions import db
from app.models import Category, Change, Role, SiteKind
from app.models.content import NEWS_PER_PAGE
from tests import builders
from tests.accounts import AuthActions
from tests.pages import csrf_token_from, elements

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BOUNDARY_NUMBERS = [
    0,
    1,
    -1,
    2,
    2**15,
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    2**53 + 1,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    2**64,
    10**30,
    -(10**30),
]
NEARLY_NUMBERS = ["", " 1", "+1", "-0", "1.5", "1e9", "0x10", "1_000", "nan", "inf", "9" * 5000]
CONTROL_CHARACTERS = "\x00\x01\x08\t\n\x0c\r\x1b\x7f\x85\u2028\u202e\ufeff"
LIKE_AND_QUOTES = ["%", "_", "%_%", "^%", "=_", "\\", "\\%", "'", '"', "<script>", ",", "a,b,,"]
ADDRESSES = [
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    "/admin/",
    "/admin/needs/?page=2",
]
DATES = [
    "2024-01-01",
    "2024-02-30",
    "2024-01-01 00:00:00",
    "2024-01-01 to 2024-12-31",
    "2024-12-31 to 2024-01-01",
    "2024-01-01 00:00:00 to 2024-12-31 23:59:59",
    "0001-01-01",
    "9999-12-31 23:59:59",
    "12:00:00",
    "25:61:61",
]
LONG = ["x" * 5000, "a " * 3000, "%" * 2000, "1," * 2000]
HOSTILE = st.one_of(
    st.sampled_from(BOUNDARY_NUMBERS).map(str),
    st.integers().map(str),
    st.sampled_from(NEARLY_NUMBERS),
    # Digits and numbers from other scripts: "٣", "²", "Ⅻ", "½".
    st.text(st.characters(categories=["Nd", "Nl", "No"]), min_size=1, max_size=3),
    st.tuples(
        st.sampled_from(["", "/admin/", "1", "a"]),
        st.text(st.sampled_from(CONTROL_CHARACTERS), min_size=1, max_size=3),
    ).map("".join),
    st.sampled_from(LIKE_AND_QUOTES),
    st.sampled_from(ADDRESSES),
    st.sampled_from(DATES),
    st.sampled_from(LONG),
    # Lone surrogates cannot be sent in a URL at all.
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
)
UNKNOWN_PARAMETER = "x"


class RecordingArgs(ImmutableMultiDict):
    """Query arguments that remember which names the view asked for."""

    asked: set[str] = set()

    def __getitem__(self, key):
        RecordingArgs.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        RecordingArgs.asked.add(key)
        return super().__contains__(key)

    def getlist(self, key, type=None):
        RecordingArgs.asked.add(key)
        return super().getlist(key, type)


class Target:
    """One address, the query it needs to reach real content, and the parameters to try."""

    def __init__(self, path: str, base: dict, parameters: list[str], known=None, is_list=False):
        self.path, self.base, self.parameters = path, base, parameters
        self.known = known or {}  # parameter → values that mean something, e.g. a filter's options
        self.is_list = is_list

    def __repr__(self):
        return f"Target({self.path!r}, {self.base!r})"


class Session:
    """A client and the addresses it will try (short in Hypothesis's reports)."""

    def __init__(self, who: str, client, targets: list[Target]):
        self.who, self.client, self.targets = who, client, targets

    def __repr__(self):
        return f"<{self.who}: {len(self.targets)} addresses>"


@pytest.fixture
def demo_app(app):
    with app.app_context():
        load_demo_content()
        db.session.commit()
    builders.report_backs(app, NEWS_PER_PAGE + 1)  # so /news has a second page
    app.request_class = type(
        "RecordingRequest", (app.request_class,), {"parameter_storage_class": RecordingArgs}
    )
    return app


def parameters_asked_for(client, path: str, base: dict) -> set[str]:
    RecordingArgs.asked = set()
    client.get(path, query_string=base).close()
    return set(RecordingArgs.asked)


def first_file(folder) -> str:
    return next(
        str(path.relative_to(folder)) for path in sorted(Path(folder).rglob("*")) if path.is_file()
    )


def public_targets(app, client) -> list[Target]:
    """Every public GET address, with real slugs where the sitemap has one."""
    adapter = app.url_map.bind("localhost")
    listed = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").get_data(as_text=True))
    examples = {}
    for url in listed:
        endpoint, _ = adapter.match(urlsplit(url).path)
        examples.setdefault(endpoint, urlsplit(url).path)
    targets = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith("/admin"):
            continue
        if not rule.arguments:
            path = rule.rule
        elif rule.endpoint in examples:
            path = examples[rule.endpoint]
        elif rule.endpoint == "static":
            path = f"/static/{first_file(app.static_folder)}"
        else:  # no such content in the demo: its not-found path is tried instead
            path = adapter.build(rule.endpoint, {name: "missing" for name in rule.arguments})
        asked = parameters_asked_for(client, path, {})
        # "page" everywhere: a list that grows pages later is covered before anyone asks.
        targets.append(Target(path, {}, sorted(asked | {"page", UNKNOWN_PARAMETER})))
    return targets


def admin_targets(app, client) -> list[Target]:
    """Every admin GET address, with a real record's id, and each list's filters."""
    admin = app.extensions["admin"][0]
    views = {view.endpoint: view for view in admin.views}
    adapter = app.url_map.bind("localhost")
    targets = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith("/admin"):
            continue
        view = views.get(rule.endpoint.split(".")[0])
        arguments = {"export_type": "csv"}
        if rule.endpoint == "admin.static":
            arguments["filename"] = first_file(app.blueprints["admin"].static_folder)
        path = adapter.build(rule.endpoint, {name: arguments[name] for name in rule.arguments})
        base, known, filters = {}, {}, []
        if isinstance(view, BaseModelView):
            with app.test_request_context():
                view._refresh_filters_cache()
                row = db.session.scalar(select(view.model).limit(1))
                if row is not None and rule.endpoint.endswith(("edit_view", "details_view")):
                    base["id"] = str(view.get_pk_value(row))
                for key, (_, flt) in (view._filter_args or {}).items():
                    for position in (0, 1):
                        filters.append(f"flt{position}_{key}")
                        options = [str(value) for value, _ in flt.get_options(view) or ()]
                        known[f"flt{position}_{key}"] = options or None
        asked = parameters_asked_for(client, path, base)
        parameters = sorted(asked | set(filters) | {UNKNOWN_PARAMETER})
        is_list = rule.endpoint.endswith(".index_view")
        targets.append(Target(path, base, parameters, known, is_list))
    return targets


def values_for(target: Target, name: str):
    known = target.known.get(name)
    return st.one_of(HOSTILE, st.sampled_from(known)) if known else HOSTILE


def assert_answered_in_style(response, sent):
    assert response.status_code < 500, (sent, response.status_code)
    if response.status_code == 200 and response.mimetype.startswith("image/"):
        return  # a picture (the share preview image): no text in it to read
    body = response.get_data(as_text=True)
    assert "Traceback" not in body, sent
    if response.status_code >= 400 and "/api/" in sent[0]:  # the API: JSON, saying what
        assert response.get_json()["error"], (sent, response.status_code)
    elif response.status_code >= 400:
        # The site's style; the partners' embed answers in its own (app/public/sharing.py).
        in_style = elements(body, ".site-header") or elements(body, "body.embed")
        assert in_style, (sent, response.status_code)


def try_hostile_query(session: Session, targets: list[Target], data) -> None:
    """One request to one of `targets`, with a hostile value for about half its parameters."""
    target = data.draw(st.sampled_from(targets), label="address")
    query = dict(target.base)
    for name in target.parameters:
        if data.draw(st.booleans(), label=f"send {name}"):
            query[name] = data.draw(values_for(target, name), label=name)
    with session.client.get(target.path, query_string=query) as response:
        assert_answered_in_style(response, (target.path, query))


@pytest.fixture
def visitor(demo_app):
    client = demo_app.test_client()
    return Session("visitor", client, public_targets(demo_app, client))


@pytest.fixture(params=[Role.organiser, Role.admin], ids=lambda role: role.value)
def organiser_or_admin(demo_app, request):
    client = demo_app.test_client()
    AuthActions(demo_app, client).login_as(request.param)
    return Session(request.param.value, client, admin_targets(demo_app, client))


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_public_addresses_survive_hostile_query_strings(visitor, data):
    try_hostile_query(visitor, visitor.targets, data)


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_admin_lists_survive_hostile_filters_search_sort_and_pages(organiser_or_admin, data):
    lists = [target for target in organiser_or_admin.targets if target.is_list]
    try_hostile_query(organiser_or_admin, lists, data)


@settings(FUZZ, max_examples=100)
@given(data=st.data())
def test_other_admin_pages_survive_hostile_query_strings(organiser_or_admin, data):
    pages = [target for target in organiser_or_admin.targets if not target.is_list]
    try_hostile_query(organiser_or_admin, pages, data)


# The faults the fuzzing above found, each pinned down on its own. Each test tries its
# values in one app, so the file stays quick on both databases.


def test_news_page_numbers_that_name_no_page_are_not_found(app, client):
    builders.report_backs(app, NEWS_PER_PAGE + 1)

    for page in [str(2**63 - 1), str(2**63), str(2**31), "0", "-1", "3"]:
        response = client.get("/news", query_string={"page": page})

        assert response.status_code == 404, page
        assert "Page not found" in response.text


def test_news_pages_that_are_not_numbers_show_the_first_page(app, client):
    builders.report_backs(app, NEWS_PER_PAGE + 1)

    assert "Report 10" in client.get("/news?page=2").text
    for page in ["", "abc", "²", "1.5", "9" * 5000]:
        response = client.get("/news", query_string={"page": page})

        assert response.status_code == 200, page
        assert "Report 0" in response.text and "Report 10" not in response.text


@pytest.fixture
def admin_client(auth, client):
    auth.login_as(Role.admin)
    return client


def stage_of(app, route_name: str) -> int:
    route = builders.route(app, route_name, slug=f"route-{uuid.uuid4().hex[:6]}")
    start = builders.place(app, f"From {route_name}")
    end = builders.place(app, f"To {route_name}")
    return builders.stage(app, route, start, end, travel=f"Across {route_name}")


def test_filters_with_values_their_column_cannot_hold_are_left_out(app, admin_client):
    builders.site(app, "Calais warehouse", SiteKind.warehouse)
    builders.site(app, "Dunkirk drop-off", SiteKind.drop_off)
    stage_of(app, "Central Mediterranean")
    urls = [
        "/admin/sites/?flt0_kind_equals=abc",
        "/admin/sites/?flt0_kind_equals=",
        "/admin/sites/?flt0_kind_in_list=warehouse,abc",
        "/admin/users/?flt0_role_equals=abc",
        "/admin/stages/?flt0_routes_position_equals=99999999999999999999999",
        f"/admin/stages/?flt0_routes_position_equals={2**31}",
        f"/admin/stages/?flt0_routes_position_in_list=1,{2**63}",
        "/admin/changes/?flt0_record_equals=99999999999999999999999",
        "/admin/needs/?flt0_urgency_equals=zzz",
    ]

    for url in urls:
        response = admin_client.get(url)

        assert response.status_code == 200, url
        assert "so it was left out" in response.text, url
    unfiltered = admin_client.get("/admin/sites/?flt0_kind_equals=abc").text
    assert "Calais warehouse" in unfiltered and "Dunkirk drop-off" in unfiltered


def test_filters_with_values_that_fit_still_filter(app, admin_client):
    builders.site(app, "Calais warehouse", SiteKind.warehouse)
    builders.site(app, "Dunkirk drop-off", SiteKind.drop_off)
    stage_of(app, "Central Mediterranean")

    sites = admin_client.get("/admin/sites/?flt0_kind_equals=warehouse").text
    stages = admin_client.get("/admin/stages/?flt0_routes_position_equals=0").text

    assert "Calais warehouse" in sites and "Dunkirk drop-off" not in sites
    assert "Across Central Mediterranean" in stages and "left out" not in stages


def test_search_matches_percent_and_underscore_as_themselves(app, admin_client):
    clothes = builders.category(app)
    names = ["100% wool socks", "Size_L gloves", "Back\\slash hats", "Plain blankets"]
    for name in names:
        builders.need(app, clothes, name)
    expected = {
        "%": ["100% wool socks"],
        "_": ["Size_L gloves"],
        "\\": ["Back\\slash hats"],
        "^100%": ["100% wool socks"],
        "^size_": ["Size_L gloves"],
        "wool": ["100% wool socks"],
    }

    for search, found in expected.items():
        html = admin_client.get("/admin/needs/", query_string={"search": search}).text

        assert [name for name in names if name in html] == found, search


def test_contains_filters_match_percent_and_underscore_as_themselves(app, admin_client):
    stage_of(app, "Route_A")
    stage_of(app, "Route B")

    containing = admin_client.get("/admin/stages/?flt0_routes_name_contains=_").text
    not_containing = admin_client.get("/admin/stages/?flt0_routes_name_not_contains=%").text

    assert "Across Route_A" in containing and "Across Route B" not in containing
    assert "Across Route_A" in not_containing and "Across Route B" in not_containing


def test_a_very_long_search_is_answered(app, admin_client):
    builders.need(app, builders.category(app), "Socks")

    response = admin_client.get("/admin/needs/", query_string={"search": "socks " * 5000})

    assert response.status_code == 200 and "Socks" in response.text


def save_category(client, category_id: int, name: str, return_address: str):
    url = f"/admin/categories/edit/?id={category_id}"
    token = csrf_token_from(client.get(url).text)
    return client.post(
        "/admin/categories/edit/",
        query_string={"id": category_id, "url": return_address},
        data={
            "name": name,
            "slug": "warm-clothes",
            "position": "0",
            "description": "",
            "csrf_token": token,
        },
    )


def test_saving_with_an_unsafe_return_address_goes_back_to_the_list(app, admin_client):
    clothes = builders.category(app, "Warm clothes")
    unsafe = [
        "/admin/\r\nSet-Cookie: x=1",
        "/admin/\x1b[2J",
        "https://evil.example/admin/",
        "//evil.example/admin/",
        "/\\evil.example",
    ]

    for number, return_address in enumerate(unsafe, start=1):
        response = save_category(admin_client, clothes, f"Clothes {number}", return_address)

        assert response.status_code == 302, return_address
        assert response.headers["Location"] == "/admin/categories/"
        assert "x=1" not in response.headers.get("Set-Cookie", "")
        assert builders.get(app, Category, clothes).name == f"Clothes {number}"
        with app.app_context():  # created, then saved once each time
            assert len(Change.of_record("categories", clothes)) == 1 + number


def test_a_safe_return_address_is_still_followed(app, admin_client):
    clothes = builders.category(app, "Warm clothes")

    response = save_category(admin_client, clothes, "Winter clothes", "/admin/categories/?page=1")

    assert response.headers["Location"] == "/admin/categories/?page=1"


def test_an_unsafe_return_address_is_not_offered_as_the_way_back(app, admin_client):
    clothes = builders.category(app, "Warm clothes")

    for page in ("edit", "details"):
        response = admin_client.get(
            f"/admin/categories/{page}/", query_string={"id": clothes, "url": "/admin/\r\nx"}
        )

        assert response.status_code in (200, 302)
        assert "/admin/\r\nx" not in response.text
        assert response.headers.get("Location", "/admin/categories/") == "/admin/categories/"
