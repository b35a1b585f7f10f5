"""The routes map: one projection, shared by the basemap and the lines drawn on it.

The basemap (static/maps/basemap.svg, made by `make basemap`, tools/basemap.py) and
every route line use `project()`, so a place always lands on its country. The
map is plain SVG drawn on the server: no tiles, no script, no other host.
"""

import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

# The area the routes cross: from the Atlantic coast to Afghanistan, from
# Darfur to the North Sea.
WEST, EAST, SOUTH, NORTH = -12.0, 78.0, 8.0, 60.0
STANDARD_PARALLEL = 40.0
WIDTH = 1000.0
_X_SCALE = math.cos(math.radians(STANDARD_PARALLEL))
SCALE = WIDTH / ((EAST - WEST) * _X_SCALE)
HEIGHT = round((NORTH - SOUTH) * SCALE, 1)
BASEMAP = "maps/basemap.svg"

# The colours a route's line may take: Okabe and Ito's palette, which readers
# with the common kinds of colour blindness can tell apart. Lines are drawn with
# a dark casing, so the light ones (yellow, sky blue) show on the basemap too.
PALETTE = {
    "#0072b2": _l("Blue"),
    "#d55e00": _l("Vermilion"),
    "#009e73": _l("Bluish green"),
    "#cc79a7": _l("Reddish purple"),
    "#e69f00": _l("Orange"),
    "#56b4e9": _l("Sky blue"),
    "#000000": _l("Black"),
    "#f0e442": _l("Yellow"),
}
DEFAULT_COLOUR = "#0072b2"


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Equirectangular projection true to scale at 40°N, in basemap units."""
    x = (longitude - WEST) * _X_SCALE * SCALE
    y = (NORTH - latitude) * SCALE
    return round(x, 1), round(y, 1)


@dataclass
class Marker:
    number: int
    x: float
    y: float
    label: str
    stage: object = None  # the Stage, whose places the page names in its own language


@dataclass
class RouteLine:
    """A route as one line per stage (stages need not join up), with numbered markers."""

    name: str
    colour: str
    segments: list[tuple[tuple[float, float], tuple[float, float]]]
    markers: list[Marker]
    route: object = None  # the Route, whose name the page shows in its own language

    @property
    def path_data(self) -> str:
        return "".join(f"M{a[0]:g},{a[1]:g}L{b[0]:g},{b[1]:g}" for a, b in self.segments)

    @property
    def points(self) -> list[tuple[float, float]]:
        return [point for segment in self.segments for point in segment]


@dataclass
class RouteMap:
    """What a template needs to draw a map of some routes."""

    lines: list[RouteLine] = field(default_factory=list)
    view_box: tuple[float, float, float, float] = (0.0, 0.0, WIDTH, HEIGHT)
    basemap: str = BASEMAP
    width: float = WIDTH
    height: float = HEIGHT

    @property
    def view_box_attribute(self) -> str:
        return " ".join(f"{value:g}" for value in self.view_box)

    @property
    def marker_radius(self) -> float:
        return round(self.view_box[2] / 40, 1)

    @classmethod
    def of_routes(cls, routes, fit: bool = False) -> "RouteMap":
        lines = []
        for route in routes:
            segments, markers = [], []
            for number, stage in enumerate(route.stages, start=1):
                start = project(stage.from_place.latitude, stage.from_place.longitude)
                end = project(stage.to_place.latitude, stage.to_place.longitude)
                segments.append((start, end))
                middle = (round((start[0] + end[0]) / 2, 1), round((start[1] + end[1]) / 2, 1))
                markers.append(Marker(number, *middle, str(stage), stage))
            if segments:
                lines.append(RouteLine(route.name, route.colour, segments, markers, route))
        route_map = cls(lines)
        if fit:
            route_map.view_box = fitted_view_box([p for line in lines for p in line.points])
        return route_map


def fitted_view_box(points, margin: float = 40.0, min_width: float = 260.0, aspect: float = 0.75):
    """A view box around the points, with a margin, never too zoomed in, 4:3."""
    if not points:
        return (0.0, 0.0, WIDTH, HEIGHT)
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    width = max(max(xs) - min(xs) + 2 * margin, min_width)
    height = max(max(ys) - min(ys) + 2 * margin, width * aspect)
    width = max(width, height / aspect)
    centre_x = (max(xs) + min(xs)) / 2
    centre_y = (max(ys) + min(ys)) / 2
    left = min(max(centre_x - width / 2, 0.0), max(WIDTH - width, 0.0))
    top = min(max(centre_y - height / 2, 0.0), max(HEIGHT - height, 0.0))
    return (round(left, 1), round(top, 1), round(width, 1), round(height, 1))
