"""What an event carries for a person to look at: a snapshot with the boxes drawn, and a clip.

Clips come from a ring buffer of the last seconds of frames (kept as JPEG, about 100 kB a
720p frame instead of 2.7 MB raw), so an event's clip starts before the event did. They are
written as H.264 in MP4 (baseline profile, yuv420p, ``faststart``): the one format every
browser plays inline, which OpenCV's writer cannot produce without a system FFmpeg.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from vigil.engines.video.config import ZoneConfig
from vigil.engines.video.tracker import Track

JPEG_QUALITY = 85
BOX_COLOUR = (0, 200, 255)  # BGR amber: visible on most store scenes
ZONE_COLOUR = (255, 160, 0)


def annotate(image: np.ndarray, tracks: Iterable[Track], zones: Sequence[ZoneConfig]) -> np.ndarray:
    """A copy of the frame with zones outlined and each tracked box labelled with its id."""
    canvas = image.copy()
    height, width = canvas.shape[:2]
    for zone in zones:
        points = np.array([(x * width, y * height) for x, y in zone.polygon], dtype=np.int32)
        cv2.polylines(canvas, [points], isClosed=True, color=ZONE_COLOUR, thickness=2)
        cv2.putText(
            canvas,
            zone.name,
            tuple(points[0] + (4, 16)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5,
            ZONE_COLOUR,
            1,
            cv2.LINE_AA,
        )
    for track in tracks:
        x1, y1, x2, y2 = track.box.in_pixels(width, height)
        cv2.rectangle(canvas, (x1, y1), (x2, y2), BOX_COLOUR, 2)
        caption = f"#{track.track_id} {track.label} {track.confidence:.2f}"
        cv2.putText(
            canvas,
            caption,
            (x1, max(12, y1 - 4)),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.5,
            BOX_COLOUR,
            1,
            cv2.LINE_AA,
        )
    return canvas


def jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("the frame could not be encoded as JPEG")
    return data.tobytes()


@dataclass(frozen=True)
class BufferedFrame:
    at: float
    jpeg: bytes


class RingBuffer:
    """The last ``seconds`` of frames, as JPEG."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.frames: deque[BufferedFrame] = deque()

    def add(self, image: np.ndarray, at: float) -> BufferedFrame:
        frame = BufferedFrame(at, jpeg(image))
        self.frames.append(frame)
        while self.frames and at - self.frames[0].at > self.seconds:
            self.frames.popleft()
        return frame

    def since(self, at: float) -> list[BufferedFrame]:
        return [frame for frame in self.frames if frame.at >= at]


def write_mp4(frames: Sequence[BufferedFrame], path: Path, fps: float) -> Path:
    """Encode buffered frames as a browser-playable MP4, timed by their own timestamps."""
    if not frames:
        raise ValueError("a clip needs at least one frame")
    first = _decode(frames[0].jpeg)
    height, width = first.shape[:2]
    time_base = Fraction(1, 1000)
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1000))
        stream.width, stream.height = width - width % 2, height - height % 2
        stream.pix_fmt = "yuv420p"
        stream.time_base = time_base
        stream.options = {"preset": "veryfast", "crf": "23", "profile": "baseline"}
        last_pts = -1
        for frame in frames:
            image = _decode(frame.jpeg)
            image = image[: stream.height, : stream.width]
            video = av.VideoFrame.from_ndarray(image, format="bgr24")
            pts = max(last_pts + 1, round((frame.at - frames[0].at) * 1000))
            video.pts, video.time_base, last_pts = pts, time_base, pts
            container.mux(stream.encode(video))
        container.mux(stream.encode(None))
    return path


def _decode(data: bytes) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError("a buffered frame is not a readable JPEG")
    return np.asarray(image, dtype=np.uint8)
