"""Synthetic camera scenes: dark rectangles ("people") moving over a textured store floor.

A scene is a list of walkers, each a function from seconds to a box in frame fractions (or
None while off screen). The demo uses them to give its cameras real alerts made by the real
pipeline, and the tests to run every rule on frames whose truth is exactly known.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import cv2
import numpy as np

WIDTH, HEIGHT = 320, 180
Walker = Callable[[float], tuple[float, float, float, float] | None]


def background() -> np.ndarray:
    """Shelving and floor tiles: texture, as in a store, so defocus has edges to lose."""
    image = np.full((HEIGHT, WIDTH, 3), 170, dtype=np.uint8)
    for x in range(0, WIDTH, 16):
        cv2.rectangle(image, (x, 0), (x + 7, HEIGHT // 2), (120, 130, 140), -1)
    for y in range(HEIGHT // 2, HEIGHT, 12):
        cv2.line(image, (0, y), (WIDTH, y), (110, 120, 130), 2)
    return image


def frames(
    walkers: Sequence[Walker], seconds: float, fps: float = 5.0
) -> Iterator[tuple[np.ndarray, float]]:
    base = background()
    for index in range(round(seconds * fps)):
        at = index / fps
        image = base.copy()
        for walker in walkers:
            box = walker(at)
            if box is not None:
                x1, y1, x2, y2 = box
                cv2.rectangle(
                    image,
                    (round(x1 * WIDTH), round(y1 * HEIGHT)),
                    (round(x2 * WIDTH), round(y2 * HEIGHT)),
                    (30, 20, 10),
                    -1,
                )
        yield image, at


def walk(
    start: float,
    end: float,
    from_xy: tuple[float, float],
    to_xy: tuple[float, float],
    size: tuple[float, float] = (0.08, 0.3),
) -> Walker:
    """A person whose feet go from ``from_xy`` to ``to_xy`` between ``start`` and ``end`` s."""

    def position(at: float) -> tuple[float, float, float, float] | None:
        if not start <= at <= end:
            return None
        share = (at - start) / (end - start) if end > start else 0.0
        x = from_xy[0] + (to_xy[0] - from_xy[0]) * share
        y = from_xy[1] + (to_xy[1] - from_xy[1]) * share
        return (x - size[0] / 2, y - size[1], x + size[0] / 2, y)

    return position


def dwell(start: float, end: float, at_xy: tuple[float, float], sway: float = 0.02) -> Walker:
    """A person standing at ``at_xy``, shifting their weight a little (as people do)."""

    def position(at: float) -> tuple[float, float, float, float] | None:
        if not start <= at <= end:
            return None
        x = at_xy[0] + sway * np.sin(at * 2.0)
        return (x - 0.04, at_xy[1] - 0.3, x + 0.04, at_xy[1])

    return position
