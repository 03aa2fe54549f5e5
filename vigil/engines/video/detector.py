"""Object detection behind one interface, with back ends chosen by name.

- ``onnx``: an ONNX model run by ONNX Runtime. The output decoder is chosen from the model's
  output shape, so a model file is enough: FastestDet (1x85xHxW), YOLOv5 (1xNx85, three anchors
  per cell), YOLOX (1xNx(5+C), one per cell, decoded in the export) and YOLOv8 (1x(4+C)xN).
  An unknown shape is a clear error, not a silent guess.
- ``motion``: no model; each moving region is an "object". The worker falls back to it, and
  says so, when no model is installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from vigil.engines.video.errors import ModelError
from vigil.engines.video.geometry import Box
from vigil.engines.video.motion import Motion

NMS_IOU = 0.45
YOLO_STRIDES = (8, 16, 32)


@dataclass(frozen=True)
class Detection:
    box: Box
    confidence: float
    label: str


class Detector(Protocol):
    name: str

    def detect(self, frame: np.ndarray, motion: Motion) -> list[Detection]: ...


class MotionOnly:
    """Moving regions as detections labelled ``motion``: events without a model."""

    name = "motion"

    def detect(self, frame: np.ndarray, motion: Motion) -> list[Detection]:
        return [Detection(region, 1.0, "motion") for region in motion.regions]


@dataclass(frozen=True)
class Layout:
    """How to feed a model and read its output."""

    family: str  # fastestdet, yolov5, yolox, yolov8
    width: int
    height: int


class OnnxDetector:
    """A detector model run on the CPU (or a GPU provider where ONNX Runtime has one)."""

    def __init__(
        self,
        path: Path,
        labels: Sequence[str],
        wanted: Sequence[str] = ("person",),
        min_confidence: float = 0.4,
        threads: int = 1,
    ) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self.session = onnxruntime.InferenceSession(
                str(path), options, providers=onnxruntime.get_available_providers()
            )
        except Exception as error:  # ONNX Runtime raises its own untyped errors
            raise ModelError(str(path), f"is not a loadable ONNX model ({error})") from None
        self.labels = list(labels)
        unknown = [label for label in wanted if label not in self.labels]
        if unknown:
            raise ModelError(
                "detector.labels", f"{', '.join(unknown)} not among the model's labels"
            )
        self.wanted = np.array([self.labels.index(label) for label in wanted])
        self.min_confidence = min_confidence
        self.input_name = self.session.get_inputs()[0].name
        try:
            self.layout = layout_of(
                self.session.get_inputs()[0].shape,
                self.session.get_outputs()[0].shape,
                len(labels),
            )
        except ModelError as error:  # say which file it was
            raise ModelError(str(path), error.problem) from None
        self.name = self.layout.family

    def detect(self, frame: np.ndarray, motion: Motion) -> list[Detection]:
        blob, scale, pad = self._prepare(frame)
        output = self.session.run(None, {self.input_name: blob})[0]
        height, width = frame.shape[:2]
        if self.layout.family == "fastestdet":
            boxes, scores, classes = _decode_fastestdet(output[0])
            boxes *= np.array([width, height, width, height], dtype=np.float32)
        else:
            boxes, scores, classes = _decode_yolo(output[0], self.layout.family)
            boxes = (boxes - np.array([pad[0], pad[1], pad[0], pad[1]])) / scale
        keep = (scores >= self.min_confidence) & np.isin(classes, self.wanted)
        return _non_maximum(boxes[keep], scores[keep], classes[keep], width, height, self.labels)

    def _prepare(self, frame: np.ndarray) -> tuple[np.ndarray, float, tuple[float, float]]:
        size = (self.layout.width, self.layout.height)
        if self.layout.family == "fastestdet":
            # Stretched to the input, BGR scaled to 0..1, as the model was trained. A
            # bilinear resize then one scale-and-transpose: 0.5 ms on 768x432, where area
            # resampling alone costs 2 ms for no better detections.
            resized = cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)
            blob = cv2.dnn.blobFromImage(resized, 1 / 255.0)
            return blob, 1.0, (0.0, 0.0)
        # YOLO families: letterboxed (aspect kept, grey padding).
        height, width = frame.shape[:2]
        scale = min(size[0] / width, size[1] / height)
        resized = cv2.resize(frame, (round(width * scale), round(height * scale)))
        pad_x, pad_y = (size[0] - resized.shape[1]) / 2, (size[1] - resized.shape[0]) / 2
        canvas = np.full((size[1], size[0], 3), 114, dtype=np.uint8)
        top, left = int(pad_y), int(pad_x)
        canvas[top : top + resized.shape[0], left : left + resized.shape[1]] = resized
        if self.layout.family == "yolox":
            blob = canvas.transpose(2, 0, 1)[None].astype(np.float32)  # BGR, 0..255
        else:
            blob = canvas[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0
        return np.ascontiguousarray(blob), scale, (left, top)


def layout_of(
    input_shape: Sequence[object], output_shape: Sequence[object], classes: int
) -> Layout:
    """The model family, told from its input and output shapes."""
    if len(input_shape) != 4 or not all(isinstance(d, int) for d in input_shape[2:]):
        raise ModelError(
            "model", f"input shape {list(input_shape)} is not 1x3xHxW with a fixed size"
        )
    height, width = int(input_shape[2]), int(input_shape[3])  # type: ignore[call-overload]
    shape = [d if isinstance(d, int) else -1 for d in output_shape]
    cells = sum((width // s) * (height // s) for s in YOLO_STRIDES)
    if len(shape) == 4 and shape[1] == 5 + classes:
        return Layout("fastestdet", width, height)
    if len(shape) == 3 and shape[2] == 5 + classes and shape[1] == 3 * cells:
        return Layout("yolov5", width, height)
    if len(shape) == 3 and shape[2] == 5 + classes and shape[1] == cells:
        return Layout("yolox", width, height)
    if len(shape) == 3 and shape[1] == 4 + classes and shape[2] == cells:
        return Layout("yolov8", width, height)
    raise ModelError(
        "model",
        f"output shape {list(output_shape)} is not one Vigil can decode (FastestDet 1x{5 + classes}"
        f"xHxW, YOLOv5 1x{3 * cells}x{5 + classes}, YOLOX 1x{cells}x{5 + classes}, "
        f"YOLOv8 1x{4 + classes}x{cells})",
    )


def _decode_fastestdet(output: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """FastestDet's single 85xHxW map: objectness and class probabilities (already sigmoid and
    softmax in the export), then the box: cell offsets through tanh, size through sigmoid, as
    fractions of the whole image. The score is objectness x best class probability."""
    _, grid_h, grid_w = output.shape
    class_scores = output[5:]
    classes = class_scores.argmax(axis=0)
    scores = output[0] * class_scores.max(axis=0)
    rows, columns = np.meshgrid(np.arange(grid_h), np.arange(grid_w), indexing="ij")
    centre_x = (columns + np.tanh(output[1])) / grid_w
    centre_y = (rows + np.tanh(output[2])) / grid_h
    half_w = _sigmoid(output[3]) / 2
    half_h = _sigmoid(output[4]) / 2
    boxes = np.stack(
        [centre_x - half_w, centre_y - half_h, centre_x + half_w, centre_y + half_h], axis=-1
    )
    return boxes.reshape(-1, 4).astype(np.float32), scores.reshape(-1), classes.reshape(-1)


def _decode_yolo(output: np.ndarray, family: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of centre-x, centre-y, width, height in input pixels, then scores."""
    rows = output.T if family == "yolov8" else output
    if family == "yolov8":
        class_scores = rows[:, 4:]
        objectness = np.ones(len(rows), dtype=np.float32)
    else:
        class_scores = rows[:, 5:]
        objectness = rows[:, 4]
    classes = class_scores.argmax(axis=1)
    scores = objectness * class_scores.max(axis=1)
    centre, size = rows[:, 0:2], rows[:, 2:4]
    boxes = np.concatenate([centre - size / 2, centre + size / 2], axis=1)
    return boxes.astype(np.float32), scores.astype(np.float32), classes


def _non_maximum(
    boxes: np.ndarray,
    scores: np.ndarray,
    classes: np.ndarray,
    width: int,
    height: int,
    labels: Sequence[str],
) -> list[Detection]:
    """Boxes in pixels → detections in frame fractions, overlapping duplicates removed."""
    if len(boxes) == 0:
        return []
    rects = [[float(x1), float(y1), float(x2 - x1), float(y2 - y1)] for x1, y1, x2, y2 in boxes]
    kept = cv2.dnn.NMSBoxesBatched(rects, scores.tolist(), classes.tolist(), 0.0, NMS_IOU)
    detections = []
    for index in np.array(kept).reshape(-1):
        x1, y1, x2, y2 = (float(v) for v in boxes[index])
        box = Box(
            max(0.0, x1 / width),
            max(0.0, y1 / height),
            min(1.0, x2 / width),
            min(1.0, y2 / height),
        )
        detections.append(Detection(box, float(scores[index]), labels[int(classes[index])]))
    return sorted(detections, key=lambda d: -d.confidence)


def _sigmoid(values: np.ndarray) -> np.ndarray:
    result: np.ndarray = 1.0 / (1.0 + np.exp(-values))
    return result
