"""A developer's tool: builds static/maps/basemap.svg from Natural Earth country outlines.

The outlines come from the npm package world-atlas (Natural Earth, public
domain, as TopoJSON). The site never runs this: run it once, commit the result.

    make basemap                                                  # fetches world-atlas with npm
    .venv/bin/python -m tools.basemap --topojson countries-50m.json   # or from a file you have

The SVG holds one <path> per country (id "c-<ISO numeric>", data-name its
name), clipped to the map's area and projected with app.maps.project, so
routes drawn with the same projection line up with it.
"""

import argparse
import json
import math
import subprocess
import tarfile
import tempfile
from pathlib import Path

from app.maps import EAST, HEIGHT, NORTH, SOUTH, WEST, WIDTH, project

WORLD_ATLAS = "world-atlas@2.0.2"
RESOLUTION = "countries-50m.json"
SEA, LAND, BORDER = "#dce8f0", "#f4f1ea", "#8c8c8c"
# In basemap units (the map is 1000 wide): detail finer than this is invisible
# even when a route page zooms in, and would only make the file larger.
SIMPLIFY_TOLERANCE = 0.35

TARGET = Path(__file__).resolve().parents[1] / "static" / "maps" / "basemap.svg"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as lists of (longitude, latitude)."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(x, y) for x, y in arc])
            continue
        (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def geometry_rings(geometry: dict, arcs) -> list[list[tuple[float, float]]]:
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    return [ring_points(ring, arcs) for polygon in polygons for ring in polygon]


def clip_ring(points, west=WEST - 1, east=EAST + 1, south=SOUTH - 1, north=NORTH + 1):
    """Sutherland–Hodgman clipping of a ring to the map's rectangle (with a margin)."""
    edges = [
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    ]
    for inside, cross in edges:
        if not points:
            break
        clipped = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(cross(previous, point))
            previous = point
        points = clipped
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points, tolerance: float):
    """Douglas–Peucker: drop points closer than `tolerance` to the line they sit on."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = None, tolerance
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                gap = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                gap = math.hypot(x - x1, y - y1)
            if gap > distance:
                farthest, distance = index, gap
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def path_data(rings, tolerance: float = SIMPLIFY_TOLERANCE) -> str:
    parts = []
    for ring in rings:
        projected = []
        for longitude, latitude in ring:
            point = project(latitude, longitude)
            if not projected or projected[-1] != point:
                projected.append(point)
        projected = simplify(projected, tolerance)
        if len(projected) >= 3:
            parts.append(_relative_path(projected))
    return "".join(parts)


def _relative_path(points) -> str:
    """ "M x,y l dx,dy …z": relative steps are shorter to write than positions."""
    (x, y), steps = points[0], []
    for next_x, next_y in points[1:]:
        steps.append(f"{round(next_x - x, 1):g},{round(next_y - y, 1):g}")
        x, y = next_x, next_y
    return f"M{points[0][0]:g},{points[0][1]:g}l" + " ".join(steps) + "z"


def basemap_svg(topology: dict) -> str:
    arcs = decode_arcs(topology)
    paths = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        rings = [clip_ring(ring) for ring in geometry_rings(geometry, arcs)]
        data = path_data(ring for ring in rings if ring)
        if data:
            name = geometry.get("properties", {}).get("name", "")
            paths.append(
                f'<path id="c-{geometry.get("id", "")}" data-name="{_escape(name)}" d="{data}"/>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" '
        f'width="{WIDTH:g}" height="{HEIGHT:g}">\n'
        "<!-- Country outlines: Natural Earth (public domain), via the npm package "
        f"{WORLD_ATLAS}; built by `make basemap`. -->\n"
        f'<rect width="{WIDTH:g}" height="{HEIGHT:g}" fill="{SEA}"/>\n'
        f'<g fill="{LAND}" stroke="{BORDER}" stroke-width="0.6" stroke-linejoin="round">\n'
        + "\n".join(paths)
        + "\n</g>\n</svg>\n"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def fetch_world_atlas(folder: Path) -> Path:
    """Download world-atlas from the npm registry with npm itself, and unpack it."""
    result = subprocess.run(  # noqa: S603
        ["npm", "pack", WORLD_ATLAS, "--pack-destination", str(folder)],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = folder / result.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        archive.extract(f"package/{RESOLUTION}", folder, filter="data")
    return folder / "package" / RESOLUTION


def build_basemap(topojson: Path | None, target: Path = TARGET) -> int:
    """Write the basemap from Natural Earth country outlines; return its size in bytes."""
    with tempfile.TemporaryDirectory() as folder:
        source = topojson or fetch_world_atlas(Path(folder))
        svg = basemap_svg(json.loads(source.read_text()))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(svg)
    return len(svg.encode())


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build static/maps/basemap.svg (needs npm).")
    parser.add_argument("--topojson", type=Path, help="a world-atlas TopoJSON file instead of npm")
    topojson = parser.parse_args(arguments).topojson
    if topojson is not None and not topojson.is_file():
        parser.error(f"no such file: {topojson}")
    size = build_basemap(topojson)
    print(f"Wrote {TARGET} ({size // 1024} KiB)")


if __name__ == "__main__":
    main()
