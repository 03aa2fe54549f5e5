"""Stable ids for the people a detector sees, frame after frame: ByteTrack's association.

ByteTrack's insight is to use the low-confidence detections too: a person half hidden by a
shelf scores low, and dropping those boxes is what breaks tracks and re-numbers people. So
detections are matched in two rounds: confident ones against every live track, then the weak
ones against the tracks still unmatched. Only a confident detection starts a track, and a new
track gets its id once it has been seen on two frames running, so one stray box never becomes
a "person". A constant-velocity prediction carries a track across short gaps.

Written here rather than taken from Roboflow's ``trackers`` package: that package requires
the GUI build of OpenCV (which clashes with the headless build a server needs) and
``supervision`` with matplotlib, for about 150 lines of logic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from vigil.engines.video.detector import Detection
from vigil.engines.video.geometry import Box

MATCH_IOU = 0.2  # first round: confident detections
WEAK_MATCH_IOU = 0.4  # second round: weak detections need a closer fit
CONFIRM_HITS = 2
VELOCITY_SMOOTHING = 0.5


@dataclass
class Track:
    """One object followed across frames. ``track_id`` is 0 until the track is confirmed."""

    box: Box
    label: str
    confidence: float
    first_seen: float
    last_seen: float
    track_id: int = 0
    hits: int = 1
    missed: int = 0
    max_confidence: float = 0.0
    velocity: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    zones: set[str] = field(default_factory=set)

    @property
    def confirmed(self) -> bool:
        return self.track_id > 0

    def predicted(self) -> Box:
        steps = self.missed + 1
        dx1, dy1, dx2, dy2 = (v * steps for v in self.velocity)
        return Box(self.box.x1 + dx1, self.box.y1 + dy1, self.box.x2 + dx2, self.box.y2 + dy2)

    def hit(self, detection: Detection, at: float) -> None:
        old, new = self.box, detection.box
        steps = self.missed + 1
        delta = (
            (new.x1 - old.x1) / steps,
            (new.y1 - old.y1) / steps,
            (new.x2 - old.x2) / steps,
            (new.y2 - old.y2) / steps,
        )
        self.velocity = tuple(  # type: ignore[assignment]
            VELOCITY_SMOOTHING * d + (1 - VELOCITY_SMOOTHING) * v
            for d, v in zip(delta, self.velocity, strict=True)
        )
        self.box = new
        self.confidence = detection.confidence
        self.max_confidence = max(self.max_confidence, detection.confidence)
        self.last_seen = at
        self.hits += 1
        self.missed = 0


class Tracker:
    """Keeps tracks across frames; ``update`` returns the confirmed ones seen this frame."""

    def __init__(self, min_confidence: float, lost_after_frames: int = 15) -> None:
        self.min_confidence = min_confidence
        self.lost_after_frames = lost_after_frames
        self.tracks: list[Track] = []
        self.finished: list[Track] = []
        self._next_id = 1

    def update(
        self,
        detections: Sequence[Detection],
        at: float,
        may_start: Callable[[Detection], bool] = lambda _: True,
    ) -> list[Track]:
        """Match this frame's detections to tracks. ``may_start`` decides whether an
        unmatched confident detection may start a new track (the motion gate's say)."""
        strong = [d for d in detections if d.confidence >= self.min_confidence]
        weak = [d for d in detections if d.confidence < self.min_confidence]
        live = list(self.tracks)
        unmatched_strong, unmatched_tracks = self._match(live, strong, MATCH_IOU, at)
        _, unmatched_tracks = self._match(unmatched_tracks, weak, WEAK_MATCH_IOU, at)
        for track in unmatched_tracks:
            track.missed += 1
        for detection in unmatched_strong:
            if may_start(detection):
                self.tracks.append(
                    Track(
                        detection.box,
                        detection.label,
                        detection.confidence,
                        first_seen=at,
                        last_seen=at,
                        max_confidence=detection.confidence,
                    )
                )
        self._retire()
        return [t for t in self.tracks if t.confirmed and t.last_seen == at]

    def _match(
        self, tracks: list[Track], detections: list[Detection], threshold: float, at: float
    ) -> tuple[list[Detection], list[Track]]:
        pairs = sorted(
            (
                (track.predicted().iou(detection.box), t_index, d_index)
                for t_index, track in enumerate(tracks)
                for d_index, detection in enumerate(detections)
                if detection.label == track.label
            ),
            reverse=True,
        )
        used_tracks: set[int] = set()
        used_detections: set[int] = set()
        for overlap, t_index, d_index in pairs:
            if overlap < threshold:
                break
            if t_index in used_tracks or d_index in used_detections:
                continue
            used_tracks.add(t_index)
            used_detections.add(d_index)
            track = tracks[t_index]
            track.hit(detections[d_index], at)
            if not track.confirmed and track.hits >= CONFIRM_HITS:
                track.track_id = self._next_id
                self._next_id += 1
        return (
            [d for i, d in enumerate(detections) if i not in used_detections],
            [t for i, t in enumerate(tracks) if i not in used_tracks],
        )

    def _retire(self) -> None:
        keep = []
        for track in self.tracks:
            limit = self.lost_after_frames if track.confirmed else 1
            if track.missed > limit:
                if track.confirmed:
                    self.finished.append(track)
            else:
                keep.append(track)
        self.tracks = keep

    def all_tracks(self) -> list[Track]:
        """Every confirmed track so far, finished or live, by id."""
        return sorted(
            [*self.finished, *(t for t in self.tracks if t.confirmed)], key=lambda t: t.track_id
        )
