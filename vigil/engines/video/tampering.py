"""Camera tampering: the view blacked out or covered, moved to a new scene, or out of focus.

Each frame is reduced to three numbers on a small grey copy: brightness and contrast (a hand
or a bag over the lens makes the picture dark and flat), sharpness (the variance of the
Laplacian falls when the lens is smeared or defocused), and how much of the picture differs
from a slowly learnt reference (a camera turned to face a wall changes nearly all of it).
Sharpness and the reference are learnt while the view looks normal, so a store's own
lighting sets the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from vigil.engines.video.frames import small_grey

DARK = 20.0  # mean grey level below which the view is blacked out
FLAT = 3.0  # standard deviation below which the view is covered (nearly uniform)
BLUR_RATIO = 0.25  # sharpness under this share of the learnt baseline is defocus
CHANGED_SHARE = 0.65  # share of pixels far from the reference that means a new scene
PIXEL_CHANGE = 40  # grey levels that count as "far"
WARM_UP_FRAMES = 10  # frames to learn the baselines from
REFERENCE_RATE = 0.02


@dataclass(frozen=True)
class ViewCheck:
    """The view's condition in one frame: '' when normal, else blackout, defocus or moved."""

    condition: str
    brightness: float
    sharpness: float
    changed: float


class TamperWatch:
    """Learns a camera's normal view and reports frames where it is lost."""

    def __init__(self) -> None:
        self._reference: np.ndarray | None = None
        self._sharpness: float | None = None
        self._frames = 0

    def check(self, frame: np.ndarray) -> ViewCheck:
        grey = small_grey(frame)
        brightness, contrast = float(grey.mean()), float(grey.std())
        sharpness = float(cv2.Laplacian(grey, cv2.CV_32F).var())
        if self._reference is None or self._reference.shape != grey.shape:
            self._reference = grey.astype(np.float32)
        changed = (
            float(
                np.count_nonzero(
                    cv2.absdiff(grey, cv2.convertScaleAbs(self._reference)) > PIXEL_CHANGE
                )
            )
            / grey.size
        )
        condition = self._condition(brightness, contrast, sharpness, changed)
        if not condition:
            self._learn(grey, sharpness)
        return ViewCheck(condition, brightness, sharpness, changed)

    def _condition(
        self, brightness: float, contrast: float, sharpness: float, changed: float
    ) -> str:
        if brightness < DARK or contrast < FLAT:
            return "blackout"
        if self._frames < WARM_UP_FRAMES or self._sharpness is None:
            return ""
        if changed > CHANGED_SHARE:
            return "moved"
        if sharpness < BLUR_RATIO * self._sharpness:
            return "defocus"
        return ""

    def _learn(self, grey: np.ndarray, sharpness: float) -> None:
        self._frames += 1
        rate = 1.0 / self._frames if self._frames <= WARM_UP_FRAMES else REFERENCE_RATE
        self._sharpness = (
            sharpness
            if self._sharpness is None
            else (1 - rate) * self._sharpness + rate * sharpness
        )
        assert self._reference is not None
        cv2.accumulateWeighted(grey.astype(np.float32), self._reference, rate)
