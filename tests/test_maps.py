"""The map's projection and basemap: known places land on their countries."""

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.maps import HEIGHT, WIDTH, RouteMap, fitted_view_box, project
from tools.basemap import (
    basemap_svg,
    build_basemap,
    clip_ring,
    decode_arcs,
    geometry_rings,
    simplify,
)

BASEMAP = Path(__file__).resolve().parents[1] / "static" / "maps" / "basemap.svg"


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


def test_route_map_draws_one_segment_and_numbered_marker_per_stage():
    kabul, herat, tehran = place(34.53, 69.17), place(34.35, 62.20), place(35.69, 51.39)
    stages = [
        SimpleNamespace(from_place=kabul, to_place=herat, __str__=lambda: "Kabul → Herat"),
        SimpleNamespace(from_place=herat, to_place=tehran),
    ]
    route = SimpleNamespace(name="Afghanistan to Iran", colour="#7b3294", stages=stages)

    route_map = RouteMap.of_routes([route])

    line = route_map.lines[0]
    assert line.path_data.count("M") == 2
    assert [marker.number for marker in line.markers] == [1, 2]
    first = line.markers[0]
    (x1, y1), (x2, y2) = project(34.53, 69.17), project(34.35, 62.20)
    assert (first.x, first.y) == (round((x1 + x2) / 2, 1), round((y1 + y2) / 2, 1))


def test_fitted_view_box_contains_every_point_with_a_margin():
    points = [project(50.95, 1.86), project(51.13, 1.31)]

    left, top, width, height = fitted_view_box(points)

    for x, y in points:
        assert left + 20 <= x <= left + width - 20
        assert top + 20 <= y <= top + height - 20
    assert width >= 260 and abs(height / width - 0.75) < 0.01
