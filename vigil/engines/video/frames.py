"""Small helpers on decoded frames (BGR ``uint8`` arrays) shared by the stages."""

from __future__ import annotations

import cv2
import numpy as np

WORK_WIDTH = 160  # pixels: enough to see a person move or a lens covered, cheap to compare


def small_grey(frame: np.ndarray, width: int = WORK_WIDTH) -> np.ndarray:
    """A grey copy ``width`` pixels wide, the aspect kept: what the cheap checks look at.

    Grey first, then area resampling (which averages, so fine texture does not alias into
    false motion): a third of the work of resizing the colour frame."""
    height = max(1, round(frame.shape[0] * width / frame.shape[1]))
    grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY) if frame.ndim == 3 else frame
    return cv2.resize(grey, (width, height), interpolation=cv2.INTER_AREA)
