"""Small helpers on decoded frames (BGR ``uint8`` arrays) shared by the stages."""

from __future__ import annotations

import cv2
import numpy as np

WORK_WIDTH = 160  # pixels: enough to see a person move or a lens covered, cheap to compare


def small_grey(frame: np.ndarray, width: int = WORK_WIDTH) -> np.ndarray:
    """A grey copy ``width`` pixels wide, the aspect kept: what the cheap checks look at."""
    height = max(1, round(frame.shape[0] * width / frame.shape[1]))
    small = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
    return cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
