"""Reading the shapes of a rendered diagram: where its edges run and where its icons sit.

Coordinates are Graphviz's, in the one transformed group that holds the whole picture,
so points and boxes compare directly.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
Point = tuple[float, float]
NUMBER_PAIR = re.compile(r"(-?[\d.]+),(-?[\d.]+)")
SAMPLES_PER_CURVE = 16


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def distance(self, point: Point) -> float:
        x, y = point
        dx = max(self.left - x, 0, x - self.right)
        dy = max(self.top - y, 0, y - self.bottom)
        return math.hypot(dx, dy)


def bezier_points(path_data: str) -> list[Point]:
    """The points of a Graphviz edge path, "M p C p p p p p p ...", with each cubic curve sampled."""
    points = [(float(x), float(y)) for x, y in NUMBER_PAIR.findall(path_data)]
    sampled = [points[0]]
    for start in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[start:start + 4]
        for step in range(1, SAMPLES_PER_CURVE + 1):
            t = step / SAMPLES_PER_CURVE
            sampled.append(tuple(  # type: ignore[arg-type]
                (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * d
                for a, b, c, d in zip(p0, p1, p2, p3, strict=True)
            ))
    return sampled


def edge_lines(svg: ET.Element) -> dict[str, list[Point]]:
    """Every drawn edge, by id, as a polyline."""
    lines = {}
    for group in svg.iter(f"{SVG}g"):
        path = group.find(f"{SVG}path")
        if "edge" in group.get("class", "").split() and path is not None:
            lines[group.get("id", "")] = bezier_points(path.get("d", ""))
    return lines


def icon_boxes(svg: ET.Element) -> dict[str, Box]:
    """The box of each node's icon, by node id."""
    boxes = {}
    for group in svg.iter(f"{SVG}g"):
        icon = group.find(f"{SVG}use")
        if icon is not None:
            x, y = float(icon.get("x", 0)), float(icon.get("y", 0))
            boxes[group.get("id", "")] = Box(x, y, x + float(icon.get("width", 0)), y + float(icon.get("height", 0)))
    return boxes


def crosses(a1: Point, a2: Point, b1: Point, b2: Point) -> Point | None:
    """Where segment a1-a2 properly crosses segment b1-b2, if it does."""
    (x1, y1), (x2, y2), (x3, y3), (x4, y4) = a1, a2, b1, b2
    denominator = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4)
    if abs(denominator) < 1e-9:
        return None
    t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / denominator
    u = ((x1 - x3) * (y1 - y2) - (y1 - y3) * (x1 - x2)) / denominator
    return (x1 + t * (x2 - x1), y1 + t * (y2 - y1)) if 0 < t < 1 and 0 < u < 1 else None


def crossings(lines: dict[str, list[Point]], near_an_end: float = 6.0) -> list[tuple[str, str]]:
    """Pairs of edges that cross, once per place. Where edges leave or reach the same node they
    meet near their ends, which is not a crossing."""
    found = []
    for (first, a), (second, b) in itertools.combinations(lines.items(), 2):
        ends = [a[0], a[-1], b[0], b[-1]]
        places: list[Point] = []
        for a1, a2 in itertools.pairwise(a):
            for b1, b2 in itertools.pairwise(b):
                point = crosses(a1, a2, b1, b2)
                if point is None or min(math.dist(point, end) for end in ends) < near_an_end:
                    continue
                if all(math.dist(point, seen) > near_an_end for seen in places):
                    places.append(point)
        found += [(first, second)] * len(places)
    return found
