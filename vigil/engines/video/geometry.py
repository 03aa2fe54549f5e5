"""Boxes, polygons and lines in frame fractions (0..1), the only coordinates rules see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

PointLike = Sequence[float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in frame fractions."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def foot(self) -> tuple[float, float]:
        """The bottom-centre: where a standing person touches the floor."""
        return ((self.x1 + self.x2) / 2, self.y2)

    @property
    def area(self) -> float:
        return max(0.0, self.x2 - self.x1) * max(0.0, self.y2 - self.y1)

    def iou(self, other: Box) -> float:
        width = min(self.x2, other.x2) - max(self.x1, other.x1)
        height = min(self.y2, other.y2) - max(self.y1, other.y1)
        if width <= 0 or height <= 0:
            return 0.0
        overlap = width * height
        return overlap / (self.area + other.area - overlap)

    def in_pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        return (
            round(self.x1 * width),
            round(self.y1 * height),
            round(self.x2 * width),
            round(self.y2 * height),
        )


class Polygon:
    """A polygon in frame fractions that answers "is this point inside?"."""

    def __init__(self, points: Sequence[PointLike]) -> None:
        self.points = [(float(x), float(y)) for x, y in points]
        self._contour = np.array(self.points, dtype=np.float32).reshape(-1, 1, 2)

    def contains(self, point: PointLike) -> bool:
        """Inside or on the edge (a foot on the boundary line is in)."""
        x, y = float(point[0]), float(point[1])
        return cv2.pointPolygonTest(self._contour, (x, y), False) >= 0

    def mask(self, width: int, height: int) -> np.ndarray:
        """A uint8 image, 255 inside the polygon, at the given pixel size."""
        image = np.zeros((height, width), dtype=np.uint8)
        pixels = np.array([(x * width, y * height) for x, y in self.points], dtype=np.int32)
        cv2.fillPoly(image, [pixels], 255)
        return image


def side_of_line(line: Sequence[PointLike], point: PointLike) -> int:
    """+1 when ``point`` is right of the directed line a→b (in image coordinates, y down),
    -1 when left, 0 when on it."""
    (ax, ay), (bx, by) = line[0], line[1]
    cross = (bx - ax) * (point[1] - ay) - (by - ay) * (point[0] - ax)
    return 1 if cross > 0 else -1 if cross < 0 else 0


def segments_cross(line: Sequence[PointLike], start: PointLike, end: PointLike) -> bool:
    """Whether the move start→end crosses the segment ``line`` (not just its extension)."""
    before, after = side_of_line(line, start), side_of_line(line, end)
    if before == after or before == 0 or after == 0:
        return False
    movement = (start, end)
    return side_of_line(movement, line[0]) != side_of_line(movement, line[1])
