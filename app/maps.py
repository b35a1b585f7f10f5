"""The routes map: one projection, and everything drawn on it placed so that nothing hides.

The basemap (static/maps/basemap.svg, made by `make basemap`, tools/basemap.py) and
every route line use `project()`, so a place always lands on its country. The
map is plain SVG drawn on the server: no tiles, no script, no other host.

What is drawn on the basemap (route lines, a dot per place, a numbered marker per
stage on a route's own page, place and country names) is placed here, once per
`Layout`. An SVG with a view box scales as one piece, so what does not overlap in
the map's own units does not overlap at any size; but a name legible on a 320 px
phone is huge on a desktop, and one sized for a desktop is a speck on a phone. So
each layout is made for the narrowest map it is shown at, with its sizes in CSS
pixels there, and the stylesheet shows one layout at a time (`.map-small`,
`.map-medium`, `.map-large` in site.css, whose breakpoints are the widths below).
Names are measured with the font the map asks for (DejaVu Sans, in app/fonts/),
with some room to spare for a narrower one. Where a name cannot be placed
without touching another name, a dot or a marker, it is left out, the least
important first; the list under the map names every place in order.
"""

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from PIL import ImageFont

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
DEFAULT_COLOUR = next(iter(PALETTE))  # a new route's, until an organiser chooses


def free_colour(taken) -> str:
    """The palette's first colour not in `taken` (the other routes'), for a new route."""
    return next((colour for colour in PALETTE if colour not in taken), DEFAULT_COLOUR)


# Each route also has its own line pattern, so that routes differ without
# colour (in greyscale, on a black-and-white printer, to a colour-blind reader):
# dash and gap lengths in CSS pixels, given to the routes in their order. Lines
# end square (site.css), so a gap is as long as it says: none is filled in.
PATTERNS = (
    (),
    (10, 4),
    (2, 3),
    (14, 3, 3, 3),
    (18, 6),
    (14, 3, 3, 3, 3, 3),
    (5, 5),
    (2, 3, 2, 3, 10, 3),
)

# The digits of a stage's number, drawn as strokes rather than set as text, so
# that a marker is one thing (no name sits on it): polylines in a 6 × 10 box.
DIGITS = {
    "0": [[(1, 1), (2, 0), (4, 0), (5, 1), (5, 9), (4, 10), (2, 10), (1, 9), (1, 1)]],
    "1": [[(1.5, 2), (3.5, 0), (3.5, 10)], [(1.5, 10), (5.5, 10)]],
    "2": [[(0.8, 1.6), (2, 0), (4, 0), (5.2, 1.2), (5.2, 3.6), (0.8, 10), (5.4, 10)]],
    "3": [
        [(0.8, 1), (2, 0), (4, 0), (5.2, 1.2), (5.2, 3.8), (4, 5), (2.4, 5)],
        [(4, 5), (5.2, 6.2), (5.2, 8.8), (4, 10), (2, 10), (0.8, 9)],
    ],
    "4": [[(4, 10), (4, 0), (0.6, 7), (5.6, 7)]],
    "5": [
        [(5.2, 0), (1.2, 0), (0.9, 4.6), (2, 4), (4, 4), (5.2, 5.2), (5.2, 8.8), (4, 10)]
        + [(2, 10), (0.8, 9)]
    ],
    "6": [
        [(4.8, 0.8), (3.8, 0), (2.2, 0), (1, 1.2), (1, 8.8), (2, 10), (4, 10), (5.2, 8.8)]
        + [(5.2, 6.2), (4, 5), (2, 5), (1, 6)]
    ],
    "7": [[(0.8, 0), (5.4, 0), (2.4, 10)]],
    "8": [
        [(2, 0), (4, 0), (5, 1), (5, 3.8), (4, 5), (2, 5), (1, 6.2), (1, 8.8), (2, 10)]
        + [(4, 10), (5, 8.8), (5, 6.2), (4, 5)],
        [(2, 5), (1, 3.8), (1, 1), (2, 0)],
    ],
    "9": [
        [(1.2, 9.2), (2.2, 10), (3.8, 10), (5, 8.8), (5, 1.2), (4, 0), (2, 0), (1, 1)]
        + [(1, 3.8), (2, 5), (4, 5), (5, 4)]
    ],
}

# Countries named for orientation, the most useful first: (name, latitude, longitude).
COUNTRIES = (
    (_l("Afghanistan"), 33.6, 65.8),
    (_l("Iran"), 32.0, 54.5),
    (_l("Türkiye"), 39.1, 34.8),
    (_l("Libya"), 27.2, 17.6),
    (_l("Sudan"), 16.2, 30.2),
    (_l("Greece"), 39.6, 21.9),
    (_l("Italy"), 42.6, 12.9),
    (_l("France"), 46.6, 2.6),
    (_l("United Kingdom"), 52.9, -1.8),
    (_l("Egypt"), 26.6, 29.8),
    (_l("Iraq"), 33.0, 43.6),
    (_l("Serbia"), 44.0, 20.9),
    (_l("Chad"), 15.6, 18.8),
    (_l("Germany"), 51.0, 10.3),
    (_l("Syria"), 35.0, 38.6),
    (_l("Algeria"), 28.5, 2.6),
    (_l("Saudi Arabia"), 24.2, 44.6),
    (_l("Pakistan"), 29.6, 69.6),
)

FONTS = Path(__file__).resolve().parent / "fonts"
# The map's names are set in this font (site.css); other fonts are measured with
# room to spare, as most sans-serif faces are narrower than DejaVu Sans.
FONT_FILE, BOLD_FONT_FILE = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
WIDTH_SPARE = 1.06
# A place's name is at least this many times nearer its own dot than any other dot.
NEARER = 1.4


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """Equirectangular projection true to scale at 40°N, in basemap units."""
    x = (longitude - WEST) * _X_SCALE * SCALE
    y = (NORTH - latitude) * SCALE
    return round(x, 1), round(y, 1)


@dataclass(frozen=True)
class Layout:
    """Sizes for a map shown at least `width` CSS pixels wide, in those pixels."""

    name: str
    width: float
    label: float = 11.0  # a place's name
    country: float = 10.0  # a country's name
    dot: float = 3.5  # a place's dot, radius
    marker: float = 8.0  # a stage's numbered marker, radius
    number: float = 7.5  # the height of the number in it
    line: float = 3.0  # a route's line
    casing: float = 1.0  # the dark edge either side of it
    halo: float = 3.0  # the pale outline that keeps a name legible over lines
    gap: float = 2.0  # the least room between any two things placed


# The map is as wide as the page's column less its 1 px border: 286 px on a
# 320 px phone; the column stops at 46rem (736 px) less its padding. site.css
# switches layouts at the viewport widths where the map reaches the next
# layout's width: 432 px (27rem) and 592 px (37rem). So every phone held upright
# (320 to 431 px) shows the small layout, a little larger than it was made for.
LAYOUTS = (Layout("small", 286), Layout("medium", 398), Layout("large", 558))


@lru_cache(maxsize=4)
def _font(path: Path) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), 100)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of a line of text at a font size, with room to spare for other fonts."""
    return _width_at_100(text, bold) / 100 * size * WIDTH_SPARE


@lru_cache(maxsize=4096)
def _width_at_100(text: str, bold: bool) -> float:
    return _font(BOLD_FONT_FILE if bold else FONT_FILE).getlength(text)


def text_extent(size: float) -> tuple[float, float]:
    """How far a line of text reaches above and below its baseline (the font's own metrics)."""
    ascent, descent = _font(FONT_FILE).getmetrics()
    return ascent / 100 * size, descent / 100 * size


class Box(NamedTuple):
    """A rectangle in map units (a tuple: made and compared quickly, thousands a map)."""

    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def around(cls, x: float, y: float, radius: float) -> "Box":
        return cls(x - radius, y - radius, x + radius, y + radius)

    def grown(self, by: float) -> "Box":
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)

    def overlaps(self, other: "Box") -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def distance(self, point: tuple[float, float]) -> float:
        x, y = point
        dx = max(self.left - x, 0.0, x - self.right)
        dy = max(self.top - y, 0.0, y - self.bottom)
        return math.hypot(dx, dy)

    def within(self, other: "Box") -> bool:
        return (
            other.left <= self.left
            and self.right <= other.right
            and other.top <= self.top
            and self.bottom <= other.bottom
        )

    def crosses(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the segment a–b passes through the box (Liang–Barsky clipping)."""
        (x0, y0), (x1, y1) = a, b
        dx, dy = x1 - x0, y1 - y0
        low, high = 0.0, 1.0
        for p, q in (
            (-dx, x0 - self.left),
            (dx, self.right - x0),
            (-dy, y0 - self.top),
            (dy, self.bottom - y0),
        ):
            if p == 0:
                if q < 0:
                    return False
                continue
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
        return True


@dataclass
class Label:
    """A name placed on the map: its text, where its baseline starts, how it is anchored."""

    text: str
    x: float
    y: float
    anchor: str  # "start", "middle" or "end", as SVG's text-anchor
    box: Box
    kind: str = "place"  # or "country"


@dataclass
class Dot:
    place: object  # the Place
    x: float
    y: float


@dataclass
class Marker:
    """A stage's numbered marker, on the stage's line."""

    number: int
    x: float
    y: float

    def digits_path(self, height: float) -> str:
        """The number as path data (DIGITS), `height` tall, centred on the marker."""
        text = str(self.number)
        scale = height / 10
        advance = 7 * scale
        left = self.x - (advance * len(text) - scale) / 2
        top = self.y - height / 2
        parts = []
        for i, digit in enumerate(text):
            for line in DIGITS[digit]:
                points = [
                    f"{left + i * advance + x * scale:.1f},{top + y * scale:.1f}" for x, y in line
                ]
                parts.append("M" + "L".join(points))
        return "".join(parts)


@dataclass
class Line:
    """One route drawn in one layout: a path per stage (stages need not join up)."""

    route: object  # the Route
    colour: str
    dashes: str  # stroke-dasharray in map units, "" for a solid line
    segments: list[tuple[tuple[float, float], tuple[float, float]]]

    @property
    def path_data(self) -> str:
        return "".join(f"M{a[0]:g},{a[1]:g}L{b[0]:g},{b[1]:g}" for a, b in self.segments)


@dataclass
class Drawing:
    """A map drawn for one layout, every size in map units."""

    layout: Layout
    unit: float  # map units per CSS pixel at the layout's width
    lines: list[Line] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)

    def size(self, name: str) -> float:
        return round(getattr(self.layout, name) * self.unit, 2)

    @property
    def place_labels(self) -> list[Label]:
        return [label for label in self.labels if label.kind == "place"]

    @property
    def country_labels(self) -> list[Label]:
        return [label for label in self.labels if label.kind == "country"]


@dataclass
class RouteStyle:
    """How a route is told apart: its colour and its line pattern (dashes in CSS pixels)."""

    colour: str
    pattern: tuple[float, ...]

    def dashes(self, unit: float = 1.0) -> str:
        return " ".join(f"{length * unit:.4g}" for length in self.pattern)


def route_style(route, position: int) -> RouteStyle:
    """A route's style, from its colour and its position among the published routes."""
    return RouteStyle(route.colour, PATTERNS[position % len(PATTERNS)])


@dataclass
class RouteMap:
    """What a template needs to draw a map of some routes: a drawing per layout.

    Routes come with their stages and the stages' places loaded. `name_of(place)` gives
    a place's name in the page's language (countries' names come from the interface's
    catalogue); `home` is the group's own place, named first wherever it is on the map.
    """

    view_box: tuple[float, float, float, float]
    drawings: list[Drawing]
    styles: list[tuple[object, RouteStyle]]  # (route, style): every route given
    basemap: str = BASEMAP
    width: float = WIDTH
    height: float = HEIGHT

    @property
    def view_box_attribute(self) -> str:
        return " ".join(f"{value:g}" for value in self.view_box)

    @property
    def drawn(self) -> list[tuple[object, RouteStyle]]:
        """The routes with a line on the map (those with stages): its key and its list."""
        return [(route, style) for route, style in self.styles if route.stages]

    @classmethod
    def of_routes(cls, published, name_of, home=None) -> "RouteMap":
        """The overview: the published routes, in their order, each its own pattern."""
        return cls._drawing(list(enumerate(published)), name_of, home, numbered=False)

    @classmethod
    def of_route(cls, route, published, name_of, home=None) -> "RouteMap":
        """A route's own page: zoomed to the route, its stages numbered on their lines, in
        the pattern it has among the published routes (as on the overview)."""
        return cls._drawing([(published.index(route), route)], name_of, home, numbered=True)

    @classmethod
    def _drawing(cls, positioned, name_of, home, numbered: bool) -> "RouteMap":
        styles = [(route, route_style(route, position)) for position, route in positioned]
        drawn = [(route, style) for route, style in styles if route.stages]
        points = [
            project(place.latitude, place.longitude)
            for route, _ in drawn
            for stage in route.stages
            for place in (stage.from_place, stage.to_place)
        ]
        # A route's own page keeps more room around its route, for the names at its ends.
        view_box = fitted_view_box(points, margin=0.12 if numbered else 0.08)
        places = places_by_priority([route for route, _ in drawn], home)
        names = Names(
            places={id(place): name_of(place) for place in places},
            countries=[
                (str(name).upper(), project(latitude, longitude))
                for name, latitude, longitude in COUNTRIES
            ],
        )
        drawings = [draw(layout, view_box, drawn, places, names, numbered) for layout in LAYOUTS]
        return cls(view_box, drawings, styles)

    def style_for(self, route) -> RouteStyle | None:
        return next((style for shown, style in self.styles if shown is route), None)


@dataclass
class Names:
    """What a map names, in the page's language, the same in every layout."""

    places: dict[int, str]  # id(place) → its name
    countries: list[tuple[str, tuple[float, float]]]  # (name, where it is written)


def fitted_view_box(points, margin: float = 0.08, min_width: float = 50.0, aspect: float = 0.75):
    """A view box around the points, with a margin (a share of its width), never too
    zoomed in, at least `aspect` as tall as wide, kept on the basemap."""
    if not points:
        return (0.0, 0.0, WIDTH, HEIGHT)
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    width = max((max(xs) - min(xs)) * (1 + 2 * margin), min_width)
    height = max(max(ys) - min(ys) + 2 * margin * width, width * aspect)
    width = max(width, height / aspect)
    width, height = min(width, WIDTH), min(height, HEIGHT)
    centre_x = (max(xs) + min(xs)) / 2
    centre_y = (max(ys) + min(ys)) / 2
    left = min(max(centre_x - width / 2, 0.0), max(WIDTH - width, 0.0))
    top = min(max(centre_y - height / 2, 0.0), max(HEIGHT - height, 0.0))
    return (round(left, 1), round(top, 1), round(width, 1), round(height, 1))


def draw(layout: Layout, view_box, styles, places, names: Names, numbered: bool) -> Drawing:
    """Place everything for one layout: dots, lines, stage markers, then names by priority
    (`places` come most important first)."""
    left, top, width, height = view_box
    drawing = Drawing(layout, unit=width / layout.width)
    frame = Box(left, top, left + width, top + height)
    gap = drawing.size("gap")

    positions = spread(
        {id(place): project(place.latitude, place.longitude) for place in places},
        2 * drawing.size("dot") + gap + 0.2,  # and room for rounding
        within=frame.grown(-drawing.size("dot") - 0.1),
    )
    drawing.dots = [Dot(place, *positions[id(place)]) for place in places]

    for route, style in styles:
        segments = [
            (positions[id(stage.from_place)], positions[id(stage.to_place)])
            for stage in route.stages
        ]
        drawing.lines.append(Line(route, style.colour, style.dashes(drawing.unit), segments))

    taken = [Box.around(dot.x, dot.y, drawing.size("dot")) for dot in drawing.dots]
    if numbered:
        for route, _ in styles:
            for number, stage in enumerate(route.stages, start=1):
                marker = place_marker(
                    number,
                    positions[id(stage.from_place)],
                    positions[id(stage.to_place)],
                    drawing.size("marker"),
                    taken,
                    frame,
                    gap,
                )
                if marker:
                    drawing.markers.append(marker)
                    taken.append(Box.around(marker.x, marker.y, drawing.size("marker")))

    segments = [segment for line in drawing.lines for segment in line.segments]
    for dot in drawing.dots:
        label = place_label(names.places[id(dot.place)], dot, drawing, taken, segments, frame)
        if label:
            drawing.labels.append(label)
            taken.append(label.box)
    for name, point in names.countries:
        label = country_label(name, point, drawing, taken, segments, frame)
        if label:
            drawing.labels.append(label)
            taken.append(label.box)
    return drawing


def places_by_priority(routes, home=None) -> list:
    """The routes' places, the most important first: the group's own place (Settings'
    home place: where donors and volunteers come), then where routes start, end and
    meet, then the rest; among equals, the nearer the journey's end the earlier."""
    score, order = {}, {}
    for route in routes:
        stages = list(route.stages)
        ends = {id(stages[0].from_place), id(stages[-1].to_place)}
        touched = {}
        for stage in stages:
            for place in (stage.from_place, stage.to_place):
                touched[id(place)] = place
        for key, place in touched.items():
            score[key] = score.get(key, 0) + 1 + 2 * (key in ends)
            order[key] = place
    journey = list(order)
    return sorted(
        order.values(),
        key=lambda p: (not is_same_place(p, home), -score[id(p)], -journey.index(id(p))),
    )


def is_same_place(place, home) -> bool:
    if home is None:
        return False
    if place is home:
        return True
    key = getattr(place, "id", None)
    return key is not None and key == getattr(home, "id", None)


def spread(points: dict, distance: float, within: Box, rounds: int = 100) -> dict:
    """Move points apart until no two are nearer than `distance` across or down (so
    that no dot's square, which is what a browser measures, touches another's), each
    moved as little as it can along the line between them, and all kept `within` the
    box (a place at the map's edge is drawn just inside it). Gives up after `rounds`
    (the tests find no set of places that needs so many)."""

    def inside(point: list[float]) -> list[float]:
        point[0] = min(max(point[0], within.left), within.right)
        point[1] = min(max(point[1], within.top), within.bottom)
        return point

    moved = {key: inside(list(point)) for key, point in points.items()}
    keys = list(moved)
    for _ in range(rounds):
        clear = True
        for i, first in enumerate(keys):
            for second in keys[i + 1 :]:
                a, b = moved[first], moved[second]
                dx, dy = b[0] - a[0], b[1] - a[1]
                apart = max(abs(dx), abs(dy))
                if apart >= distance:
                    continue
                clear = False
                if apart < 1e-6:  # the same spot: part them along a fixed direction
                    dx, dy, apart = 1.0, 0.0, 1.0
                # Scaling (dx, dy) by distance / apart makes them `distance` apart.
                push = (distance / apart - 1) / 2 + 0.001
                a[0] -= dx * push
                a[1] -= dy * push
                b[0] += dx * push
                b[1] += dy * push
                inside(a)
                inside(b)
        if clear:
            break
    return {key: (round(x, 1), round(y, 1)) for key, (x, y) in moved.items()}


def place_marker(number, start, end, radius, taken, frame, gap) -> Marker | None:
    """A stage's marker on its line, as near its middle as it fits; off the line beside
    it if it must; none if it cannot be placed without hiding something."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    normal = (-dy / length, dx / length)
    inner = frame.grown(-1)
    for along in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        for aside in (0, 1, -1, 2, -2, 3, -3):
            offset = aside * (radius + gap)
            x = round(start[0] + dx * along + normal[0] * offset, 1)
            y = round(start[1] + dy * along + normal[1] * offset, 1)
            box = Box.around(x, y, radius)
            probe = box.grown(gap)
            if box.within(inner) and not any(probe.overlaps(other) for other in taken):
                return Marker(number, x, y)
    return None


def place_label(text, dot, drawing, taken, segments, frame) -> Label | None:
    """A place's name beside its dot: to the right, left, above or below, wherever it
    hides nothing and crosses the fewest lines."""
    size = drawing.size("label")
    ascent, descent = text_extent(size)
    width = text_width(text, size)
    # Far enough from the dot that the name's halo keeps its distance from it.
    reach = drawing.size("dot") + drawing.size("halo") / 2 + drawing.size("gap")
    slant = reach * 0.9
    middle = (ascent - descent) / 2  # baseline offset that centres the text on the dot
    candidates = [
        (dot.x + reach, dot.y + middle, "start"),
        (dot.x - reach, dot.y + middle, "end"),
        (dot.x + slant, dot.y - slant - descent, "start"),
        (dot.x + slant, dot.y + slant + ascent, "start"),
        (dot.x - slant, dot.y - slant - descent, "end"),
        (dot.x - slant, dot.y + slant + ascent, "end"),
        (dot.x, dot.y - reach - descent, "middle"),
        (dot.x, dot.y + reach + ascent, "middle"),
    ]
    others = [(other.x, other.y) for other in drawing.dots if other is not dot]
    return best_label(
        text,
        candidates,
        width,
        ascent,
        descent,
        drawing,
        taken,
        segments,
        frame,
        (dot.x, dot.y),
        others,
    )


def country_label(text, anchor, drawing, taken, segments, frame) -> Label | None:
    """A country's name centred on its point, or moved a little where that is taken."""
    size = drawing.size("country")
    ascent, descent = text_extent(size)
    width = text_width(text, size)
    x, y = anchor
    if frame.grown(width).distance(anchor) > 0:
        return None  # the country lies off this map
    step = ascent + descent
    candidates = [
        (x + dx * width / 2, y + dy * step, "middle")
        for dy, dx in ((0, 0), (-1, 0), (1, 0), (-2, 0), (2, 0), (0, -1), (0, 1), (-1, -1), (1, 1))
    ]
    label = best_label(text, candidates, width, ascent, descent, drawing, taken, segments, frame)
    if label:
        label.kind = "country"
    return label


def best_label(
    text, candidates, width, ascent, descent, drawing, taken, segments, frame, own=None, others=()
):
    """The first candidate that stays on the map and hides nothing, crossing the fewest
    lines; a place's name must also be clearly nearer its own dot than any other
    (`NEARER` times), or it would seem to name the wrong one."""
    halo = drawing.size("halo") / 2
    gap = drawing.size("gap") / 2
    inner = frame.grown(-halo)
    best, fewest = None, None
    for x, y, anchor in candidates:
        x, y = round(x, 1), round(y, 1)
        start = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        box = Box(start, y - ascent, start + width, y + descent)
        padded = box.grown(halo)
        if not padded.within(frame if inner.right <= inner.left else inner):
            continue
        probe = padded.grown(gap)
        if any(probe.overlaps(other) for other in taken):
            continue
        if own and any(box.distance(point) < NEARER * box.distance(own) for point in others):
            continue
        crossings = sum(padded.crosses(a, b) for a, b in segments)
        if fewest is None or crossings < fewest:
            best, fewest = Label(text, x, y, anchor, padded), crossings
            if crossings == 0:
                break
    return best
