"""The open-data API: what its OpenAPI document says, what the pages say, in every language.

Responses are checked against the document the site serves (openapi-core), the document
itself against the OpenAPI 3.1 specification (openapi-spec-validator); the needs list
against /needs, item by item; errors are JSON; any origin may read it; the page cache and
the mirror keep it like a page.
"""

import json
from pathlib import Path

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_spec_validator import validate
from werkzeug import Response

from app.demo import FIGURES
from app.extensions import db
from app.mirror import build_mirror
from app.models import Figure, Need, Route, Urgency
from tests import builders
from tests.pages import elements

API_CSP = "default-src 'none'; frame-ancestors 'none'"
ADDRESSES = ["needs", "sites", "news", "routes", "settings"]


@pytest.fixture
def demo_app(app, runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    return app


def assert_api_headers(response, sent):
    assert response.headers["Access-Control-Allow-Origin"] == "*", sent
    assert response.headers["Content-Security-Policy"] == API_CSP, sent
    assert "Set-Cookie" not in response.headers, sent
    if response.status_code not in (204, 304):
        assert response.mimetype == "application/json", sent


def test_every_address_answers_as_the_openapi_document_says(demo_app, client):
    builders.report_backs(demo_app, 11)  # a second page of news
    with demo_app.app_context():
        route = db.session.scalar(db.select(Route).where(Route.slug == "western-balkans"))
        route.figures.append(
            Figure(
                label="Deaths recorded",
                value=230,
                period="2024",
                source_name="IOM Missing Migrants",
                source_url="https://missingmigrants.iom.int/",
            )
        )
        db.session.commit()
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)  # a valid OpenAPI 3.1 document
    api = OpenAPI.from_dict(document)
    assert [server["url"] for server in document["servers"]] == [
        "http://localhost/api/v1",
        "http://localhost/fr/api/v1",
    ]
    assert set(document["paths"]) == {f"/{name}" for name in ADDRESSES} | {"/openapi.json"}

    sent = [f"{prefix}/api/v1/{name}" for prefix in ("", "/fr") for name in ADDRESSES]
    sent += ["/api/v1/news?page=2", "/api/v1/needs?urgency=urgent", "/api/v1/openapi.json"]
    sent += ["/fr/api/v1/needs?category=sleeping-shelter&urgency=needed"]
    errors = ["/api/v1/needs?x=1", "/fr/api/v1/news?page=0", "/api/v1/news?page=3"]
    for url in sent + errors:
        response = client.get(url)
        expected = 200 if url in sent else 404 if url.endswith("page=3") else 400
        assert response.status_code == expected, url
        assert_api_headers(response, url)
        if url in sent:
            api.validate_request(WerkzeugOpenAPIRequest(response.request))
        api.validate_response(
            WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response)
        )

    # The document does hold responses to it: one without a field it requires fails.
    needs = client.get("/api/v1/needs")
    broken = needs.get_json()
    del broken["items"][0]["urgency"]
    with pytest.raises(Exception, match="(?i)invalid|valid"):
        api.validate_response(
            WerkzeugOpenAPIRequest(needs.request),
            WerkzeugOpenAPIResponse(Response(json.dumps(broken), mimetype="application/json")),
        )

    news = client.get("/api/v1/news?page=2").get_json()
    assert news["page"] == 2 and news["pages"] == 2 and news["total"] == 13
    assert news["previous"] == "http://localhost/api/v1/news?page=1" and news["next"] is None
    assert all(post["url"].startswith("http://localhost/news/") for post in news["items"])
    routes = client.get("/fr/api/v1/routes").get_json()["items"]
    stage = next(stage for route in routes for stage in route["stages"])
    assert {"latitude", "longitude", "name"} <= stage["from"].keys()
    figures = [figure for route in routes for figure in route["figures"]] + [
        figure for route in routes for stage in route["stages"] for figure in stage["figures"]
    ]
    # Every figure, the demo's published ones and the one added here, with its source and period.
    assert sorted(figure["source"]["url"] for figure in figures) == sorted(
        [figure["source_url"] for figure in FIGURES] + ["https://missingmigrants.iom.int/"]
    )
    assert all(figure["source"]["name"] and figure["period"] for figure in figures)
    balkans = next(route for route in routes if route["slug"] == "western-balkans")
    assert {figure["period"] for figure in balkans["figures"]} == {"de 2014 à 2025", "2024"}


def test_figure_sources_are_named_in_the_language_of_the_api(demo_app, client):
    def sources(url: str) -> set[str]:
        routes = client.get(url).get_json()["items"]
        afghanistan = next(route for route in routes if route["slug"] == "afghanistan-to-iran")
        return {figure["source"]["name"] for figure in afghanistan["figures"]}

    assert sources("/api/v1/routes") == {"IOM, reported by KabulNow"}
    assert sources("/fr/api/v1/routes") == {"OIM, cité par KabulNow"}


def board_on_page(html: str) -> list[tuple[str, str]]:
    """(name, urgency) of each item on /needs, in its order."""
    return [
        (
            item.select(".need-name strong")[0].text,
            next(name.removeprefix("need-") for name in item.classes if name != "need"),
        )
        for item in elements(html, "li.need")
    ]


def test_the_needs_list_says_what_the_needs_page_says_in_english_and_french(demo_app, client):
    with demo_app.app_context():
        socks = db.session.scalar(db.select(Need).where(Need.name == "Socks"))
        socks.set_translation("fr", "name", "Chaussettes chaudes")
        socks.received, socks_id = 100, socks.id
        db.session.commit()

    for prefix in ("", "/fr"):
        api = client.get(f"{prefix}/api/v1/needs").get_json()
        page = client.get(f"{prefix}/needs").get_data(as_text=True)
        listed = [(item["name"], item["urgency"]) for item in api["items"]]
        assert listed == board_on_page(page), prefix
        assert {item["urgency"] for item in api["items"]} == {urgency.value for urgency in Urgency}
        socks = next(item for item in api["items"] if item["id"] == socks_id)
        assert socks["quantity"]["still_missing"] == socks["quantity"]["wanted"] - 100
        assert socks["checked_at"][-6] in "+-"  # an offset, the group's
        assert api["language"] == (prefix[1:] or "en")
    french = client.get("/fr/api/v1/needs").get_json()
    assert "Chaussettes chaudes" in [item["name"] for item in french["items"]]
    assert french["items"][0]["urgency_label"] == "Urgent"

    urgent = client.get("/api/v1/needs?urgency=urgent").get_json()["items"]
    assert urgent and {item["urgency"] for item in urgent} == {"urgent"}
    sleeping = client.get("/api/v1/needs?category=sleeping-shelter").get_json()["items"]
    assert sleeping and {item["category"]["slug"] for item in sleeping} == {"sleeping-shelter"}


def test_bad_requests_and_unknown_addresses_get_json_errors_readable_anywhere(demo_app, client):
    for url, status, words in [
        ("/api/v1/needs?urgency=soon", 400, "urgent, needed"),
        ("/api/v1/needs?category=%3Cscript%3E", 400, "sleeping-shelter"),
        ("/api/v1/needs?category=a&category=b", 400, "more than once"),
        ("/api/v1/needs?page=2", 400, "category, urgency"),
        ("/api/v1/sites?x=1", 400, "takes none"),
        ("/api/v1/news?page=-1", 400, "whole number"),
        ("/api/v1/news?page=99999999999999999999", 400, "whole number"),
        ("/api/v1/news?page=%C2%B2", 400, "whole number"),
        ("/api/v1/nothing", 404, "no page"),
        ("/api/v2/needs", 404, "no page"),
        ("/api", 404, "no page"),
        ("/fr/api/v1/nothing", 404, "pas de page"),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_api_headers(response, url)
        assert words in response.get_json()["error"], url
    posted = client.post("/api/v1/needs")
    assert posted.status_code == 405 and "error" in posted.get_json()
    assert_api_headers(posted, "POST")

    preflight = client.options(
        "/api/v1/needs",
        headers={"Origin": "https://partner.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204 and preflight.data == b""
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert_api_headers(preflight, "OPTIONS")
    assert "X-Page-Cache" not in preflight.headers
    # The site's own pages are not readable from other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/needs").headers


def test_the_page_cache_keeps_the_api_with_its_headers_and_answers_304(demo_app, client):
    first = client.get("/api/v1/needs")
    again = client.get("/api/v1/needs", headers={"If-None-Match": first.headers["ETag"]})
    assert first.status_code == 200 and again.status_code == 304
    assert_api_headers(again, "304")
    assert client.get("/api/v1/needs").data == first.data  # from the cache, the same

    with demo_app.app_context():
        db.session.scalar(db.select(Need).where(Need.name == "Socks")).urgency = Urgency.plenty
        db.session.commit()
    changed = client.get("/api/v1/needs", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    socks = next(item for item in changed.get_json()["items"] if item["name"] == "Socks")
    assert socks["urgency"] == "plenty"


def test_the_mirror_holds_the_api_as_json_files_and_keeps_them_current(demo_app, client, tmp_path):
    target = tmp_path / "site"
    with demo_app.app_context():
        build_mirror(target)

    def mirrored(name: str) -> dict:
        return json.loads((target / name).read_text())

    for prefix in ("", "fr/"):
        for name in ADDRESSES:
            assert mirrored(f"{prefix}api/v1/{name}.json")["language"] == (prefix[:2] or "en")
    assert mirrored("api/v1/openapi.json")["openapi"] == "3.1.0"
    assert Path(f"{target}/api/v1/needs.json.gz").is_file()
    assert not (target / "fr" / "api" / "v1" / "openapi.json").exists()

    with demo_app.app_context():
        socks = db.session.scalar(db.select(Need).where(Need.name == "Socks"))
        socks.urgency, socks_id = Urgency.plenty, socks.id
        db.session.commit()
        result = build_mirror(target)
    assert not result.full
    for name in ("api/v1/needs.json", "fr/api/v1/needs.json"):
        items = mirrored(name)["items"]
        assert next(item for item in items if item["id"] == socks_id)["urgency"] == "plenty"
    assert mirrored("api/v1/needs.json") == client.get("/api/v1/needs").get_json()
