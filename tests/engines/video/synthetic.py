"""A test double for the detector: finds the dark rectangles of the synthetic scenes
(``vigil.engines.video.scenes``) and calls them people, so the whole pipeline runs on real
frames with an exactly known truth; the ONNX detector is tested on real footage in
``test_detector.py``."""

from __future__ import annotations

import cv2
import numpy as np

from vigil.engines.video.detector import Detection
from vigil.engines.video.geometry import Box
from vigil.engines.video.motion import Motion


class ShapeDetector:
    """Finds the dark rectangles and calls them people."""

    name = "shapes"

    def detect(self, frame: np.ndarray, motion: Motion) -> list[Detection]:
        grey = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        _, dark = cv2.threshold(grey, 60, 255, cv2.THRESH_BINARY_INV)
        contours, _ = cv2.findContours(dark, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        height, width = grey.shape
        found = []
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            if w * h >= 20:
                box = Box(x / width, y / height, (x + w) / width, (y + h) / height)
                found.append(Detection(box, 0.9, "person"))
        return found
