"""Organisers edit routes, places, stages and figures; bad values are refused beside the field."""

import pytest
from sqlalchemy import select

from app.demo import french_typography as french
from app.extensions import db
from app.maps import DEFAULT_COLOUR, EAST, NORTH, PALETTE, SOUTH, WEST
from app.models import Danger, Figure, Place, Role, Route, Stage
from tests import builders
from tests.pages import csrf_token, element, elements, submit


def post_form(client, url, **data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def post_stage(client, route_id: int, from_id: int, to_id: int, **fields):
    """A new stage of a route through the admin, from one place to another."""
    return post_form(
        client,
        "/admin/stages/new/",
        route=str(route_id),
        from_place=str(from_id),
        to_place=str(to_id),
        position="0",
        **fields,
    )


def field_error(html: str, field: str) -> str:
    """The error text Flask-Admin shows beside a field (in the field's own box)."""
    box = element(html, f"#{field}").parent
    feedback = box.select(".invalid-feedback")
    assert feedback, f"no error beside {field}"
    return " ".join(note.text for note in feedback)


@pytest.mark.parametrize("latitude", ["91", "-40", str(SOUTH - 0.01), str(NORTH + 0.01)])
def test_a_latitude_off_the_map_is_refused_beside_the_field(app, auth, client, latitude):
    auth.login_as(Role.organiser)

    response = post_form(
        client, "/admin/places/new/", name="Nowhere", country="", latitude=latitude, longitude="1"
    )

    assert (
        f"The map shows from {SOUTH:g}°N to {NORTH:g}°N: enter a latitude in that range."
        in field_error(response.get_data(as_text=True), "latitude")
    )
    assert builders.count(app, Place) == 0


@pytest.mark.parametrize("longitude", ["-181", "120", str(WEST - 0.01), str(EAST + 0.01)])
def test_a_longitude_off_the_map_is_refused_beside_the_field(app, auth, client, longitude):
    auth.login_as(Role.organiser)

    response = post_form(
        client, "/admin/places/new/", name="Nowhere", latitude="40", longitude=longitude
    )

    assert (
        f"The map shows from {-WEST:g}°W to {EAST:g}°E: enter a longitude in that range."
        in field_error(response.get_data(as_text=True), "longitude")
    )
    assert builders.count(app, Place) == 0


def test_the_map_range_is_said_in_the_organisers_language(app, auth, client):
    auth.login_as(Role.organiser)
    submit(client, "/admin/language/", {"language": "fr"})

    response = post_form(
        client, "/admin/places/new/", name="Nowhere", latitude="40", longitude="-40"
    )

    message = (
        f"La carte va de {-WEST:g}°O à {EAST:g}°E : saisissez une longitude dans cet intervalle."
    )
    html = response.get_data(as_text=True)
    assert message in field_error(html, "longitude")  # which makes every space a plain one
    assert french(message) in html


@pytest.mark.parametrize(("latitude", "longitude"), [(SOUTH, WEST), (NORTH, EAST)])
def test_a_place_on_the_edge_of_the_map_is_saved(app, auth, client, latitude, longitude):
    auth.login_as(Role.organiser)

    response = post_form(
        client, "/admin/places/new/", name="Edge", latitude=str(latitude), longitude=str(longitude)
    )

    assert response.status_code == 302
    with app.app_context():
        place = db.session.scalar(select(Place).where(Place.name == "Edge"))
        assert (place.latitude, place.longitude) == (latitude, longitude)


def test_coordinates_that_are_not_numbers_are_refused(app, auth, client):
    auth.login_as(Role.organiser)

    response = post_form(client, "/admin/places/new/", name="X", latitude="north", longitude="")

    html = response.get_data(as_text=True)
    assert "Not a valid float value." in html or "Enter the latitude" in html
    assert builders.count(app, Place) == 0


def test_organiser_adds_a_place_and_a_stage_and_the_map_changes(app, auth, client):
    auth.login_as(Role.organiser)
    route_id = builders.route(app, "English Channel to the UK")
    calais = builders.place(app, "Calais", "France", 50.95, 1.86)
    before = client.get("/routes").get_data(as_text=True)

    response = post_form(
        client,
        "/admin/places/new/",
        name="Dover",
        country="United Kingdom",
        latitude="51.13",
        longitude="1.31",
    )
    assert response.status_code == 302
    with app.app_context():
        dover = db.session.scalar(select(Place.id).where(Place.name == "Dover"))
    response = post_stage(
        client,
        route_id,
        calais,
        dover,
        travel="in small boats",
        dangers=[Danger.drowning.value, Danger.cold.value],
    )
    assert response.status_code == 302

    after = client.get("/routes").get_data(as_text=True)
    assert elements(before, "svg.route-map path.route-line") == []
    # One line in each of the map's layouts (phone, larger phone, desktop).
    assert [line.get("d")[:1] for line in elements(after, "svg.route-map path.route-line")] == [
        "M"
    ] * 3
    with app.app_context():
        stage = db.session.scalar(select(Stage))
        assert stage.dangers == ["drowning", "cold"]
    assert "Cold and exposure" in client.get("/routes/english-channel-to-the-uk").get_data(
        as_text=True
    )


def test_a_stage_must_go_somewhere(app, auth, client):
    auth.login_as(Role.organiser)
    route_id = builders.route(app)
    calais = builders.place(app)

    response = post_stage(client, route_id, calais, calais)

    assert "must end somewhere other than where it starts" in response.get_data(as_text=True)
    assert builders.count(app, Stage) == 0


def test_unknown_dangers_are_refused(app, auth, client):
    auth.login_as(Role.organiser)
    route_id = builders.route(app)
    calais = builders.place(app)
    dover = builders.place(app, "Dover", "UK", 51.13, 1.31)

    post_stage(client, route_id, calais, dover, dangers=["sharks"])

    assert builders.count(app, Stage) == 0


A_FIGURE = {
    "label": "people missing",
    "value": "100",
    "period": "2024",
    "source_name": "Somebody",
    "source_url": "https://example.org/",
    "position": "0",
}


def post_figure(client, **fields):
    """A new figure through the admin: a valid one (on no route) but for `fields`."""
    return post_form(client, "/admin/figures/new/", **{**A_FIGURE, **fields})


def test_a_figure_without_a_source_cannot_be_saved(app, auth, client):
    auth.login_as(Role.organiser)
    route_id = builders.route(app)

    response = post_figure(
        client, route=str(route_id), is_minimum="y", source_name="", source_url=""
    )

    html = response.get_data(as_text=True)
    assert "A figure needs the name of its source." in field_error(html, "source_name")
    assert "A figure needs the address of its source." in field_error(html, "source_url")
    assert builders.count(app, Figure) == 0


@pytest.mark.parametrize(
    ("field", "fields", "message"),
    [
        ("source_name", {"source_name": ""}, "A figure needs the name of its source."),
        ("source_url", {"source_url": ""}, "A figure needs the address of its source."),
        ("source_url", {"source_url": "example.org/report"}, "starting with https://"),
        ("source_url", {"source_url": "ftp://example.org/report"}, "starting with https://"),
        ("source_url", {"source_url": "http://example.org/report"}, "starting with https://"),
        ("source_name", {"source_name": "."}, "Name the source in words"),
        ("source_name", {"source_name": "1 -"}, "Name the source in words"),
        ("period", {"period": ""}, "Enter the period the number covers, e.g. 2024."),
        ("period", {"period": "   "}, "Enter the period the number covers, e.g. 2024."),
    ],
)
def test_a_figure_without_its_source_or_period_is_refused_beside_the_field(
    app, auth, client, field, fields, message
):
    auth.login_as(Role.organiser)
    route_id = builders.route(app)

    response = post_figure(client, route=str(route_id), **fields)

    assert message in field_error(response.get_data(as_text=True), field)
    assert builders.count(app, Figure) == 0
    # The same figure with its source and period is saved: only the missing field stopped it.
    assert post_figure(client, route=str(route_id)).status_code == 302
    assert builders.count(app, Figure) == 1


def test_a_figure_source_must_be_a_web_address(app, auth, client):
    auth.login_as(Role.organiser)
    route_id = builders.route(app)

    response = post_figure(client, route=str(route_id), source_url="javascript:alert(1)")

    assert "starting with https://" in field_error(response.get_data(as_text=True), "source_url")
    assert builders.count(app, Figure) == 0


def test_a_source_named_with_two_letters_is_saved(app, auth, client):
    auth.login_as(Role.organiser)
    route_id = builders.route(app)

    response = post_figure(client, route=str(route_id), source_name="UN")

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Figure.source_name)) == "UN"


def test_a_figure_belongs_to_a_route_or_a_stage(app, auth, client):
    auth.login_as(Role.organiser)

    response = post_figure(client)

    assert "Attach the figure to a route or to a stage" in response.get_data(as_text=True)
    assert builders.count(app, Figure) == 0


def test_a_figure_with_its_source_is_saved_and_shown(app, auth, client):
    auth.login_as(Role.organiser)
    route_id = builders.route(app)

    response = post_figure(client, route=str(route_id), is_minimum="y")

    assert response.status_code == 302
    assert "at least 100" in client.get("/routes/english-channel-to-the-uk").get_data(as_text=True)


@pytest.mark.parametrize("colour", ["red;background:url(x)", "#1f78b4", ""])
def test_route_colour_must_be_one_of_the_palette(app, auth, client, colour):
    auth.login_as(Role.organiser)

    response = post_form(
        client,
        "/admin/routes/new/",
        name="Western Balkans",
        slug="western-balkans",
        colour=colour,
        position="0",
    )

    assert builders.count(app, Route) == 0
    assert "Choose one of the colours in the list" in field_error(
        response.get_data(as_text=True), "colour"
    )


def test_route_colour_is_chosen_by_name_from_the_palette(app, auth, client):
    auth.login_as(Role.organiser)

    html = client.get("/admin/routes/new/").get_data(as_text=True)
    options = {option.get("value"): option.text for option in elements(html, "#colour option")}
    assert options == {colour: str(name) for colour, name in PALETTE.items()}
    assert options["#0072b2"] == "Blue" and options["#f0e442"] == "Yellow"

    response = post_form(
        client,
        "/admin/routes/new/",
        name="Western Balkans",
        slug="western-balkans",
        colour="#009e73",
        position="0",
    )

    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Route.colour)) == "#009e73"


def test_route_colours_are_named_in_the_organisers_language(app, auth, client):
    auth.login_as(Role.organiser, language="fr")

    html = client.get("/admin/routes/new/").get_data(as_text=True)

    options = {option.get("value"): option.text for option in elements(html, "#colour option")}
    assert options["#56b4e9"] == "Bleu ciel"


def test_a_route_made_without_a_colour_takes_the_palettes_first(app):
    with app.app_context():
        route = Route(name="A", slug="a")
        db.session.add(route)
        db.session.flush()
        assert route.colour == DEFAULT_COLOUR == next(iter(PALETTE))


def test_a_new_route_is_offered_a_colour_no_other_route_has(app, auth, client):
    auth.login_as(Role.organiser)
    for number, colour in enumerate(list(PALETTE)[:3]):
        builders.route(app, f"Route {number}", colour=colour)

    html = client.get("/admin/routes/new/").get_data(as_text=True)

    (chosen,) = [option.get("value") for option in elements(html, "#colour option[selected]")]
    assert chosen == list(PALETTE)[3]


def test_unpublished_routes_are_visible_to_organisers(app, auth, client):
    auth.login_as(Role.organiser)
    builders.route(app, "Draft route", published=False)

    assert "Draft route" in client.get("/admin/routes/").get_data(as_text=True)


def test_stages_move_up_and_down_within_their_route(app, auth, client):
    auth.login_as(Role.organiser)
    route_id = builders.route(app)
    a, b, c = (builders.place(app, name, "X", 40 + i, 10) for i, name in enumerate("ABC"))
    first = builders.stage(app, route_id, a, b, 0)
    second = builders.stage(app, route_id, b, c, 1)

    client.post(
        f"/admin/stages/{second}/move",
        data={"direction": "up", "csrf_token": csrf_token(client, "/admin/stages/")},
    )

    assert [builders.get(app, Stage, id_).position for id_ in (first, second)] == [1, 0]
