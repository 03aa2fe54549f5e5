"""One camera's analysis, frame by frame: motion gate → detector → tracker → zones → rules.

The live worker and ``vigil video analyze`` both feed frames to a :class:`Pipeline`; only
where the frames come from and where the events go differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from vigil.engines.video.config import CameraConfig
from vigil.engines.video.detector import Detection, Detector
from vigil.engines.video.geometry import Polygon
from vigil.engines.video.motion import Motion, MotionGate
from vigil.engines.video.rules import Event, RuleEngine, Scene
from vigil.engines.video.tampering import TamperWatch
from vigil.engines.video.tracker import Track, Tracker
from vigil.engines.video.zones import ZoneWatcher

LOST_AFTER_SECONDS = 3.0  # a track unseen this long is finished


@dataclass
class FrameResult:
    """What one frame produced: the people seen, and events opened or closed."""

    at: float
    motion: Motion
    detected: bool  # whether the detector ran on this frame
    tracks: list[Track]
    events: list[Event] = field(default_factory=list)


@dataclass
class Counters:
    frames: int = 0
    with_motion: int = 0
    detector_runs: int = 0


class Pipeline:
    def __init__(
        self,
        config: CameraConfig,
        detector: Detector,
        started_at: dt.datetime | None = None,
    ) -> None:
        """``started_at`` is the local wall-clock time of ``at == 0``; schedules need it."""
        self.config = config
        self.detector = detector
        self.started_at = started_at
        self.gate = MotionGate(config.motion, config.masks)
        self.tamper = TamperWatch()
        self.tracker = Tracker(
            config.detector.min_confidence,
            lost_after_frames=max(1, round(LOST_AFTER_SECONDS * config.fps)),
        )
        self.zones = ZoneWatcher(config.zones, config.inertia)
        self.rules = RuleEngine(config)
        self.masks = [Polygon(mask) for mask in config.masks]
        self.counters = Counters()
        self._last_detection = float("-inf")
        self._last_frame: float | None = None

    def process(self, image: np.ndarray, at: float) -> FrameResult:
        """Analyse one frame taken ``at`` seconds after the start."""
        self.counters.frames += 1
        motion = self.gate.update(image)
        view = self.tamper.check(image).condition
        if motion.any:
            self.counters.with_motion += 1
        recheck = self.config.motion.recheck_seconds
        due = bool(recheck) and at - self._last_detection >= recheck
        detected = not view and (motion.any or due)
        seen: list[Track] = []
        if detected:
            self.counters.detector_runs += 1
            self._last_detection = at
            detections = [d for d in self.detector.detect(image, motion) if self._unmasked(d)]
            seen = self.tracker.update(detections, at, may_start=lambda d: motion.touches(d.box))
            live = {t.track_id for t in self.tracker.tracks if t.confirmed}
            self.zones.update(seen, live, at)
        self._last_frame = at
        scene = Scene(
            at=at,
            local_time=self._local(at),
            zones=self.zones.occupancy,
            tracks=seen,
            view=view,
        )
        return FrameResult(at, motion, detected, seen, self.rules.update(scene))

    def no_frame(self, at: float) -> list[Event]:
        """The source gave nothing by ``at`` (live only): lets the offline rule fire."""
        since = 0.0 if self._last_frame is None else at - self._last_frame
        scene = Scene(
            at=at,
            local_time=self._local(at),
            zones=self.zones.occupancy,
            tracks=[],
            seconds_without_frames=since,
        )
        return self.rules.update(scene)

    def finish(self) -> list[Event]:
        return self.rules.finish()

    def _unmasked(self, detection: Detection) -> bool:
        return not any(mask.contains(detection.box.foot) for mask in self.masks)

    def _local(self, at: float) -> dt.datetime | None:
        return None if self.started_at is None else self.started_at + dt.timedelta(seconds=at)


@dataclass
class Recording:
    """Every event a run of frames produced (closed at the end), with a snapshot of each
    taken on the frame it opened on."""

    events: dict[int, Event] = field(default_factory=dict)
    pictures: dict[int, bytes] = field(default_factory=dict)

    def in_order(self) -> list[Event]:
        return sorted(self.events.values(), key=lambda e: (e.at, e.number))


def record(
    pipeline: Pipeline,
    frames: Iterable[tuple[np.ndarray, float]],
    each_frame: Callable[[np.ndarray, float], object] = lambda image, at: None,
) -> Recording:
    """Run ``frames`` through ``pipeline`` to the end (offline analysis, the demo)."""
    from vigil.engines.video.clips import annotate, jpeg

    found = Recording()
    for image, at in frames:
        each_frame(image, at)
        result = pipeline.process(image, at)
        for event in result.events:
            if event.number not in found.events:
                picture = annotate(image, result.tracks, pipeline.config.zones)
                found.pictures[event.number] = jpeg(picture)
            found.events[event.number] = event
    for event in pipeline.finish():
        found.events[event.number] = event
    return found
