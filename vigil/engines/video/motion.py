"""The motion gate: a cheap background model on a small grey copy of each frame.

Detection costs milliseconds a frame; this costs a fraction of one. The detector runs only on
frames with motion (plus a periodic re-check, so someone standing still is not forgotten),
and a new object must appear where something moved: a mannequin or a poster that a detector
scores as a person never starts a track.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from vigil.engines.video.config import MotionConfig, Point
from vigil.engines.video.frames import small_grey
from vigil.engines.video.geometry import Box, Polygon

DILATE_KERNEL = np.ones((3, 3), np.uint8)
LEARNING_RATE = 0.05  # how fast the background absorbs change (per analysed frame)


@dataclass(frozen=True)
class Motion:
    """What moved in one frame: regions in frame fractions, and the moving share of the frame."""

    regions: list[Box]
    fraction: float

    @property
    def any(self) -> bool:
        return bool(self.regions)

    def touches(self, box: Box, margin: float = 0.05) -> bool:
        """Whether ``box`` overlaps a moving region (grown by ``margin`` on each side)."""
        for region in self.regions:
            if (
                box.x1 <= region.x2 + margin
                and box.x2 >= region.x1 - margin
                and box.y1 <= region.y2 + margin
                and box.y2 >= region.y1 - margin
            ):
                return True
        return False


class MotionGate:
    """Finds moving regions frame by frame against a running-average background."""

    def __init__(self, config: MotionConfig, masks: Sequence[Sequence[Point]] = ()) -> None:
        self.config = config
        self.masks = [Polygon(mask) for mask in masks]
        self._background: np.ndarray | None = None
        self._keep: np.ndarray | None = None  # 0 under masks, 1 elsewhere

    def update(self, frame: np.ndarray) -> Motion:
        """Compare ``frame`` (BGR) with the background, then fold it into the background."""
        small = cv2.GaussianBlur(small_grey(frame), (5, 5), 0)
        if self._background is None or self._background.shape != small.shape:
            self._background = small.astype(np.float32)
            self._keep = self._unmasked(small.shape[1], small.shape[0])
            return Motion([], 0.0)
        difference = cv2.absdiff(small, cv2.convertScaleAbs(self._background))
        _, moving = cv2.threshold(difference, self.config.threshold, 255, cv2.THRESH_BINARY)
        if self._keep is not None:
            moving = cv2.bitwise_and(moving, self._keep)
        moving = cv2.dilate(moving, DILATE_KERNEL, iterations=2)
        cv2.accumulateWeighted(small.astype(np.float32), self._background, LEARNING_RATE)
        return _regions(moving, self.config.min_area)

    def _unmasked(self, width: int, height: int) -> np.ndarray | None:
        if not self.masks:
            return None
        keep: np.ndarray = np.full((height, width), 255, dtype=np.uint8)
        for mask in self.masks:
            keep = cv2.bitwise_and(keep, cv2.bitwise_not(mask.mask(width, height)))
        return keep


def _regions(moving: np.ndarray, min_area: float) -> Motion:
    height, width = moving.shape
    total = float(width * height)
    contours, _ = cv2.findContours(moving, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    regions = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if cv2.contourArea(contour) / total >= min_area:
            regions.append(Box(x / width, y / height, (x + w) / width, (y + h) / height))
    return Motion(regions, float(np.count_nonzero(moving)) / total)
