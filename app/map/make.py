#!/usr/bin/env python3
"""Draws the overview page's map outlines: `europe.txt`, read by `app/src/pages/overview.rs`.

Source: Natural Earth 1:50m admin-0 countries (public domain), as TopoJSON in the npm package
`world-atlas` 2.0.2 (ISC licence, Mike Bostock). Run from this folder:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 -m venv venv && venv/bin/pip install pycountry==24.6.1
    venv/bin/python make.py package/countries-50m.json > europe.txt

What it does: decodes the TopoJSON arcs, projects every ring with the Lambert azimuthal
equal-area projection centred on 52° N 10° E (as EPSG:3035, Europe's statistical maps), keeps
the rings that reach into the frame, clamps their points to a margin around it (what lies
outside is hidden by the SVG's view box anyway), simplifies them (Douglas–Peucker, 0.6 px),
drops islands smaller than 4 px² and writes each country as relative SVG path commands in
whole pixels. One line a country: ISO 3166-1 alpha-2 code, label x, label y, path.
"""
import json
import math
import sys

import pycountry

WIDTH, HEIGHT = 640, 560
# The frame in projected metres (x east, y north), around Iceland, the Canaries' latitude,
# the Urals' foothills and the North Cape.
X0, X1 = -2_900_000, 3_050_000
Y0, Y1 = -2_350_000, 2_850_000
MARGIN = 8  # pixels kept outside the frame, so clamped edges stay out of sight
LON0, LAT0 = math.radians(10), math.radians(52)


def project(lon, lat):
    lam, phi = math.radians(lon), math.radians(lat)
    k = math.sqrt(2 / (1 + math.sin(LAT0) * math.sin(phi) + math.cos(LAT0) * math.cos(phi) * math.cos(lam - LON0)))
    x = 6_371_000 * k * math.cos(phi) * math.sin(lam - LON0)
    y = 6_371_000 * k * (math.cos(LAT0) * math.sin(phi) - math.sin(LAT0) * math.cos(phi) * math.cos(lam - LON0))
    return ((x - X0) / (X1 - X0) * WIDTH, (Y1 - y) / (Y1 - Y0) * HEIGHT)


def simplify(points, tolerance):
    if len(points) < 3:
        return points
    first, last = points[0], points[-1]
    dx, dy = last[0] - first[0], last[1] - first[1]
    length = math.hypot(dx, dy)
    best, index = -1.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i][0] - first[0], points[i][1] - first[1]
        d = abs(px * dy - py * dx) / length if length else math.hypot(px, py)
        if d > best:
            best, index = d, i
    if best <= tolerance:
        return [first, last]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def area(ring):
    return 0.5 * sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1]))


def main(path):
    topo = json.load(open(path))
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring_points(indexes):
        points = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    for geometry in topo["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        if "id" in geometry:
            country = pycountry.countries.get(numeric=geometry["id"])
            code = country.alpha_2 if country else None
        else:
            code = {"Kosovo": "XK"}.get(name)
        if code is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings, largest = [], (0.0, None)
        for polygon in polygons:
            for n, indexes in enumerate(polygon):
                ring = [project(lon, lat) for lon, lat in ring_points(indexes)]
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                if max(xs) < 0 or min(xs) > WIDTH or max(ys) < 0 or min(ys) > HEIGHT:
                    continue
                ring = [
                    (min(max(x, -MARGIN), WIDTH + MARGIN), min(max(y, -MARGIN), HEIGHT + MARGIN)) for x, y in ring
                ]
                ring = simplify(ring, 0.6)
                ring = [(round(x), round(y)) for x, y in ring]
                ring = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
                if len(ring) < 4 or abs(area(ring)) < 4:
                    continue
                rings.append(ring)
                visible = [(x, y) for x, y in ring if 0 <= x <= WIDTH and 0 <= y <= HEIGHT]
                if n == 0 and abs(area(ring)) > largest[0] and len(visible) > len(ring) / 2:
                    largest = (abs(area(ring)), ring)
        if not rings:
            continue
        d = []
        for ring in rings:
            x, y = ring[0]
            d.append(f"M{x} {y}")
            for nx, ny in ring[1:-1] if ring[-1] == ring[0] else ring[1:]:
                d.append(f"l{nx - x} {ny - y}")
                x, y = nx, ny
            d.append("z")
        path = "".join(d).replace(" -", "-")
        if largest[1]:
            ring = largest[1]
            a = area(ring)
            cx = sum((p[0] + q[0]) * (p[0] * q[1] - q[0] * p[1]) for p, q in zip(ring, ring[1:] + ring[:1])) / (6 * a)
            cy = sum((p[1] + q[1]) * (p[0] * q[1] - q[0] * p[1]) for p, q in zip(ring, ring[1:] + ring[:1])) / (6 * a)
            label = f"{round(cx)} {round(cy)}"
        else:
            label = "- -"
        print(f"{code} {label} {path}")


if __name__ == "__main__":
    main(sys.argv[1])
