"""The map's projection and basemap: known places land on their countries."""

import json
import math
import re
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from flask_babel import Babel, force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import demo
from app.maps import (
    EAST,
    HEIGHT,
    NEARER,
    NORTH,
    PALETTE,
    SOUTH,
    WEST,
    WIDTH,
    Box,
    Marker,
    RouteMap,
    fitted_view_box,
    project,
    text_extent,
    text_width,
)
from tools.basemap import (
    basemap_svg,
    build_basemap,
    clip_ring,
    decode_arcs,
    geometry_rings,
    simplify,
)

ROOT = Path(__file__).resolve().parents[1]
BASEMAP = ROOT / "static" / "maps" / "basemap.svg"
TRANSLATIONS = ROOT / "app" / "translations"


def country_polygons(svg: str) -> dict[str, list[list[tuple[float, float]]]]:
    """Each country's rings, read back from the relative path data the builder writes."""
    countries = {}
    for name, data in re.findall(r'data-name="([^"]*)" d="([^"]*)"', svg):
        rings = []
        for start_x, start_y, steps in re.findall(r"M([-\d.]+),([-\d.]+)l([^z]*)z", data):
            x, y = float(start_x), float(start_y)
            ring = [(x, y)]
            for dx, dy in re.findall(r"([-\d.]+),([-\d.]+)", steps):
                x, y = x + float(dx), y + float(dy)
                ring.append((x, y))
            rings.append(ring)
        countries[name] = rings
    return countries


def inside(point, rings) -> bool:
    """Even-odd rule over all rings (holes included)."""
    x, y = point
    crossings = 0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


@pytest.fixture(scope="module")
def countries():
    return country_polygons(BASEMAP.read_text())


@pytest.mark.parametrize(
    ("place", "latitude", "longitude", "country"),
    [
        ("Kabul", 34.53, 69.17, "Afghanistan"),
        ("Herat", 34.35, 62.20, "Afghanistan"),
        ("Tehran", 35.69, 51.39, "Iran"),
        ("Ankara", 39.93, 32.86, "Turkey"),
        ("Athens", 37.98, 23.73, "Greece"),
        ("Belgrade", 44.79, 20.45, "Serbia"),
        ("El Fasher", 13.63, 25.35, "Sudan"),
        ("Kufra", 24.18, 23.29, "Libya"),
        ("Rome", 41.90, 12.50, "Italy"),
        ("Paris", 48.86, 2.35, "France"),
        ("Lille", 50.63, 3.06, "France"),
        ("London", 51.51, -0.13, "United Kingdom"),
    ],
)
def test_known_places_land_in_their_country_on_the_basemap(
    countries, place, latitude, longitude, country
):
    point = project(latitude, longitude)

    assert inside(point, countries[country]), f"{place} is not drawn inside {country}"
    others = [name for name, rings in countries.items() if name != country and inside(point, rings)]
    assert others == []


def test_the_basemap_covers_the_whole_map_and_is_small(countries):
    svg = BASEMAP.read_text()

    assert f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}"' in svg
    assert len(countries) > 60
    assert len(svg.encode()) < 150_000
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_projection_puts_west_left_and_north_up():
    calais = project(50.95, 1.86)
    kabul = project(34.53, 69.17)

    assert calais[0] < kabul[0]
    assert calais[1] < kabul[1]
    assert 0 <= calais[0] <= WIDTH and 0 <= kabul[1] <= HEIGHT


TINY_TOPOLOGY = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [0, 0]},
    "arcs": [[[0, 40], [10, 0], [0, 10], [-10, 0], [0, -10]]],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {
                    "type": "Polygon",
                    "id": "999",
                    "properties": {"name": "Squareland"},
                    "arcs": [[0]],
                },
                {"type": "Point", "coordinates": [0, 0]},
            ],
        }
    },
}


def test_topojson_arcs_are_decoded_from_deltas():
    arcs = decode_arcs(TINY_TOPOLOGY)

    assert arcs == [[(0, 40), (10, 40), (10, 50), (0, 50), (0, 40)]]


def test_negative_arc_indexes_run_backwards():
    arcs = [[(0, 0), (1, 0)], [(0, 1), (1, 0)]]  # the second arc is used end to start

    rings = geometry_rings({"type": "Polygon", "arcs": [[0, ~1]]}, arcs)

    assert rings == [[(0, 0), (1, 0), (0, 1)]]


def test_rings_are_clipped_to_the_map_area():
    ring = [(-100.0, 40.0), (10.0, 40.0), (10.0, 50.0), (-100.0, 50.0)]

    clipped = clip_ring(ring, west=-13, east=79, south=7, north=61)

    assert min(x for x, _ in clipped) == -13
    assert max(x for x, _ in clipped) == 10


def test_simplify_drops_points_on_a_straight_line():
    assert simplify([(0, 0), (1, 0.01), (2, 0), (2, 2)], tolerance=0.1) == [(0, 0), (2, 0), (2, 2)]


def test_basemap_svg_has_one_named_path_per_country():
    svg = basemap_svg(TINY_TOPOLOGY)

    assert svg.count("<path") == 1
    assert 'id="c-999" data-name="Squareland"' in svg


def test_the_basemap_tool_writes_the_svg_from_a_topojson_file(tmp_path):
    source = tmp_path / "countries.json"
    source.write_text(json.dumps(TINY_TOPOLOGY))
    target = tmp_path / "maps" / "basemap.svg"

    size = build_basemap(source, target)

    assert target.read_text() == basemap_svg(TINY_TOPOLOGY)
    assert size == target.stat().st_size


def place(latitude, longitude, name="Somewhere"):
    return SimpleNamespace(latitude=latitude, longitude=longitude, name=name)


def english_name(place) -> str:
    return place.name


def demo_routes() -> list:
    """The demo's routes as plain objects (the map reads only these attributes)."""
    places = {
        name: place(latitude, longitude, name)
        for name, (_country, latitude, longitude) in demo.PLACES.items()
    }
    return [
        SimpleNamespace(
            slug=slug,
            name=name,
            colour=colour,
            stages=[
                SimpleNamespace(from_place=places[start], to_place=places[end])
                for start, end, *_ in stages
            ],
        )
        for slug, name, colour, _summary, stages in demo.ROUTES
    ]


def demo_maps(language: str):
    """(name, map) for /routes and each route's page, as drawn in a language."""
    app = Flask(__name__)
    Babel(app, default_translation_directories=str(TRANSLATIONS))
    with app.test_request_context(), force_locale(language):
        french = language == "fr"
        name_of = (lambda p: demo.DEMO_FRENCH.get(p.name, p.name)) if french else english_name
        routes = demo_routes()
        calais = next(
            stage.from_place
            for route in routes
            for stage in route.stages
            if stage.from_place.name == "Calais"
        )
        maps = [("/routes", RouteMap.of_routes(routes, name_of, calais))]
        for route in routes:
            maps.append((route.slug, RouteMap.of_route(route, routes, name_of, calais)))
        return maps


def things_placed(drawing) -> list[tuple[str, Box]]:
    """Everything a reader must be able to see, as boxes: names, dots, markers."""
    dot, marker = drawing.size("dot"), drawing.size("marker")
    return [
        *((f"name {label.text}", label.box) for label in drawing.labels),
        *((f"dot {d.place.name}", Box.around(d.x, d.y, dot)) for d in drawing.dots),
        *((f"marker {m.number}", Box.around(m.x, m.y, marker)) for m in drawing.markers),
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_name_dot_or_marker_hides_another_in_any_layout(language):
    for name, route_map in demo_maps(language):
        left, top, width, height = route_map.view_box
        frame = Box(left, top, left + width, top + height)
        for drawing in route_map.drawings:
            placed = things_placed(drawing)
            where = f"{name}, {drawing.layout.name} layout"
            for i, (first, box) in enumerate(placed):
                assert box.within(frame), f"{first} leaves the map ({where})"
                for second, other in placed[i + 1 :]:
                    assert not box.overlaps(other), f"{first} overlaps {second} ({where})"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_name_is_clearly_nearest_its_own_dot(language):
    for name, route_map in demo_maps(language):
        for drawing in route_map.drawings:
            dots = {d.place.name: (d.x, d.y) for d in drawing.dots}
            names = {label.text: label for label in drawing.place_labels}
            halo = drawing.size("halo") / 2
            named = 0
            for dot_name, point in dots.items():
                shown = demo.DEMO_FRENCH.get(dot_name, dot_name) if language == "fr" else dot_name
                if shown not in names:
                    continue
                named += 1
                box = names[shown].box.grown(-halo)  # the text itself, without its halo
                others = [box.distance(p) for other, p in dots.items() if other != dot_name]
                assert all(NEARER * box.distance(point) <= distance for distance in others), (
                    f"{shown} is not clearly nearest its own dot ({name}, {drawing.layout.name})"
                )
            assert named >= min(3, len(dots)), (name, drawing.layout.name)


def test_a_phone_shows_enough_names_to_find_your_way():
    for name, route_map in demo_maps("en"):
        small = route_map.drawings[0]
        assert small.layout.width <= 288
        if name == "/routes":
            assert len(small.place_labels) >= 8
            assert len(small.country_labels) >= 3
        else:  # a route's own page names all its places but one at most
            assert len(small.place_labels) >= len(small.dots) - 1, name


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_groups_own_place_is_named_at_every_size(language):
    overview = demo_maps(language)[0][1]

    for drawing in overview.drawings:
        assert "Calais" in [label.text for label in drawing.place_labels], drawing.layout.name


def test_each_route_page_numbers_every_stage_in_order():
    for name, route_map in demo_maps("en")[1:]:
        ((route, _),) = route_map.drawn
        for drawing in route_map.drawings:
            numbers = [marker.number for marker in drawing.markers]
            assert numbers == list(range(1, len(route.stages) + 1)), (name, drawing.layout.name)


def test_the_overview_numbers_no_stages_but_marks_each_place_once():
    overview = demo_maps("en")[0][1]

    for drawing in overview.drawings:
        assert drawing.markers == []
        assert sorted(d.place.name for d in drawing.dots) == sorted(demo.PLACES)


def test_names_use_a_size_legible_at_the_layouts_width():
    for _, route_map in demo_maps("en"):
        for drawing in route_map.drawings:
            # Map units per CSS pixel, so the names are 11 px on the narrowest map shown.
            assert drawing.size("label") / drawing.unit == pytest.approx(11, abs=0.05)


def test_routes_differ_by_pattern_as_well_as_colour():
    styles = [style for _, style in RouteMap.of_routes(demo_routes(), english_name).styles]

    assert len({style.pattern for style in styles}) == len(styles)
    assert len({style.colour for style in styles}) == len(styles)
    assert all(style.colour in PALETTE for style in styles)


def test_a_route_keeps_its_pattern_on_its_own_page():
    routes = demo_routes()
    overview = RouteMap.of_routes(routes, english_name)

    page = RouteMap.of_route(routes[3], routes, english_name)

    assert page.style_for(routes[3]) == overview.style_for(routes[3])


def test_a_route_without_stages_has_a_style_but_no_line():
    routes = demo_routes()
    routes[0].stages = []

    route_map = RouteMap.of_routes(routes, english_name)

    assert route_map.style_for(routes[0]) is not None
    assert all(line.route is not routes[0] for line in route_map.drawings[0].lines)
    assert routes[0] not in [route for route, _ in route_map.drawn]  # nor a key or list entry
    assert RouteMap.of_routes([], english_name).drawings[0].dots == []


def test_dots_of_places_close_together_are_moved_apart():
    calais, dover = place(50.95, 1.86, "Calais"), place(51.13, 1.31, "Dover")
    same = place(50.95, 1.86, "Calais again")
    stages = [
        SimpleNamespace(from_place=calais, to_place=dover),
        SimpleNamespace(from_place=dover, to_place=same),
    ]
    route = SimpleNamespace(name="Channel", colour="#d55e00", stages=stages)

    for drawing in RouteMap.of_routes([route], english_name).drawings:
        # Apart across or down (a browser measures squares), with the least gap between.
        apart = 2 * drawing.size("dot") + drawing.size("gap")
        a, b, c = ((d.x, d.y) for d in drawing.dots)
        for first, second in ((a, b), (a, c), (b, c)):
            assert max(abs(first[0] - second[0]), abs(first[1] - second[1])) >= apart


def test_a_place_at_the_corner_of_the_map_is_drawn_inside_it():
    corner, near = place(NORTH, WEST, "Far north-west"), place(NORTH - 0.1, WEST + 0.1, "Near it")
    route = SimpleNamespace(
        name="Edge", colour="#0072b2", stages=[SimpleNamespace(from_place=corner, to_place=near)]
    )

    for route_map in (
        RouteMap.of_routes([route], english_name),
        RouteMap.of_route(route, [route], english_name),
    ):
        left, top, width, height = route_map.view_box
        frame = Box(left, top, left + width, top + height)
        for drawing in route_map.drawings:
            for dot in drawing.dots:
                assert Box.around(dot.x, dot.y, drawing.size("dot")).within(frame), dot


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=SOUTH, max_value=NORTH),  # as far as the admin accepts
            st.floats(min_value=WEST, max_value=EAST),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyzéÜ -", min_size=1, max_size=24),
        ),
        min_size=2,
        max_size=14,
    ),
    st.booleans(),
)
def test_whatever_the_places_nothing_placed_overlaps(places, numbered):
    """Any places, however crowded or long their names: names may be left out, but
    nothing the map draws ever hides another thing."""
    points = [place(lat, lon, name) for lat, lon, name in places]
    stages = [SimpleNamespace(from_place=a, to_place=b) for a, b in pairwise(points)]
    route = SimpleNamespace(name="Any", colour="#0072b2", stages=stages)

    route_map = (
        RouteMap.of_route(route, [route], english_name)
        if numbered
        else RouteMap.of_routes([route], english_name)
    )

    left, top, width, height = route_map.view_box
    frame = Box(left, top, left + width, top + height)
    for drawing in route_map.drawings:
        placed = things_placed(drawing)
        for i, (first, box) in enumerate(placed):
            assert box.within(frame), f"{first} leaves the map"
            for second, other in placed[i + 1 :]:
                assert not box.overlaps(other), f"{first} overlaps {second}"


@pytest.mark.parametrize("number", [1, 7, 12, 38])
def test_a_stage_number_is_drawn_inside_its_marker(number):
    marker = Marker(number, 100.0, 50.0)
    radius = 8.0

    path = marker.digits_path(height=7.5)

    points = [tuple(map(float, p.split(","))) for p in re.findall(r"[-\d.]+,[-\d.]+", path)]
    assert path.count("M") >= len(str(number))
    assert all(math.dist(point, (100.0, 50.0)) < radius for point in points)


def test_fitted_view_box_contains_every_point_with_a_margin():
    points = [project(50.95, 1.86), project(51.13, 1.31)]

    left, top, width, height = fitted_view_box(points)

    for x, y in points:
        assert left + 10 <= x <= left + width - 10
        assert top + 10 <= y <= top + height - 10
    # Zoomed in, but never closer than 50 map units across (about 4.5° of longitude).
    assert width == 50 and abs(height / width - 0.75) < 0.01


def test_text_is_measured_wider_for_more_letters_and_larger_sizes():
    assert text_width("Lampedusa", 11) > text_width("Van", 11) > 0
    assert text_width("Van", 22) == pytest.approx(2 * text_width("Van", 11))
    ascent, descent = text_extent(11)
    assert ascent > descent > 0


def test_a_segment_crossing_a_box_is_found():
    box = Box(0, 0, 10, 10)

    assert box.crosses((-5, 5), (15, 5))
    assert not box.crosses((-5, -5), (15, -1))
    assert box.distance((13, 14)) == 5
