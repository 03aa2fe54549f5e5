"""Frames from a file or a stream (RTSP, HTTP), decoded by PyAV's FFmpeg, sampled at the
analysis rate.

Frames are timed by their presentation timestamps, not counted, so a stream that drops
frames or a GIF with uneven delays is still sampled evenly. A live source that fails is
reopened with back-off (1 s doubling to 30 s) for as long as the worker runs; a file that
cannot be decoded is a :class:`SourceError` naming the cause.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from vigil.engines.video.errors import SourceError

logger = logging.getLogger(__name__)

LIVE_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://", "rtmp://")
OPEN_TIMEOUT_S = 10.0
FIRST_RETRY_S = 1.0
LONGEST_RETRY_S = 30.0


@dataclass(frozen=True)
class SourceInfo:
    """What a file says about itself."""

    file: str
    width: int
    height: int
    fps: float
    frames: int
    duration_s: float


@dataclass(frozen=True)
class Frame:
    image: np.ndarray  # BGR
    at: float  # seconds since the start of the source


def is_live(source: str) -> bool:
    return source.lower().startswith(LIVE_SCHEMES)


def probe(path: Path) -> SourceInfo:
    """Size, rate, frame count and duration of a video file."""
    container = _open(str(path))
    try:
        stream = container.streams.video[0]
        fps = float(stream.average_rate or stream.guessed_rate or 0)
        duration = _duration(container, stream)
        frames = stream.frames or (round(duration * fps) if fps else 0)
        return SourceInfo(path.name, stream.width, stream.height, fps, frames, duration)
    finally:
        container.close()


def read_file(path: Path, fps: float) -> Iterator[Frame]:
    """Every frame of ``path`` due at ``fps`` (the rest are decoded but not returned)."""
    container = _open(str(path))
    try:
        yield from _sampled(container, fps, str(path))
    finally:
        container.close()


def read_live(
    url: str,
    fps: float,
    running: Callable[[], bool] = lambda: True,
    on_state: Callable[[str, str], None] = lambda state, detail: None,
    sleep: Callable[[float], object] = time.sleep,
) -> Iterator[Frame]:
    """Frames from a stream, reconnecting with back-off until ``running()`` is false.

    ``on_state`` hears ``("connected", url)`` and ``("disconnected", reason)``, so the
    worker can report the camera's health. Timestamps continue across reconnections
    (seconds since this function started), so rules never see time go backwards.
    """
    started = time.monotonic()
    delay = FIRST_RETRY_S
    while running():
        try:
            container = _open(url, live=True)
        except SourceError as error:
            on_state("disconnected", error.problem)
            sleep(delay)
            delay = min(delay * 2, LONGEST_RETRY_S)
            continue
        on_state("connected", redact(url))
        delay = FIRST_RETRY_S
        offset = time.monotonic() - started
        try:
            for frame in _sampled(container, fps, url, running):
                yield Frame(frame.image, offset + frame.at)
            reason = "the stream ended"
        except SourceError as error:
            reason = error.problem
        finally:
            container.close()
        if running():
            on_state("disconnected", reason)
            sleep(delay)


def redact(url: str) -> str:
    """The address without its password, for logs and health pages."""
    scheme, _, rest = url.partition("://")
    if "@" not in rest:
        return url
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


def _open(source: str, live: bool = False) -> av.container.InputContainer:
    options = {"rtsp_transport": "tcp"} if source.lower().startswith("rtsp") else {}
    try:
        return av.open(source, options=options, timeout=OPEN_TIMEOUT_S if live else None)
    except FileNotFoundError:
        raise SourceError(source, "no such file") from None
    except av.error.FFmpegError as error:
        raise SourceError(redact(source), f"cannot be opened as video ({error.strerror})") from None


def _sampled(
    container: av.container.InputContainer,
    fps: float,
    label: str,
    running: Callable[[], bool] = lambda: True,
) -> Iterator[Frame]:
    if not container.streams.video:
        raise SourceError(redact(label), "has no video stream")
    stream = container.streams.video[0]
    stream.thread_type = "AUTO"
    step = 1.0 / fps
    due = 0.0
    first: float | None = None
    try:
        for decoded in container.decode(stream):
            if not running():
                return
            at = _seconds(decoded, stream)
            if first is None:
                first = at
            at -= first
            if at + 1e-6 < due:
                continue
            # The next frame due; after a gap (a dropped second), count again from here.
            due = due + step if due + step > at else at + step
            yield Frame(decoded.to_ndarray(format="bgr24"), at)
    except av.error.FFmpegError as error:
        raise SourceError(redact(label), f"cannot be decoded ({error.strerror})") from None


def _seconds(frame: av.VideoFrame, stream: av.video.stream.VideoStream) -> float:
    if frame.pts is not None and stream.time_base is not None:
        return float(frame.pts * stream.time_base)
    return float(frame.time or 0.0)


def _duration(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return 0.0
