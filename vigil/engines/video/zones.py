"""Who is in which zone: a person is in a zone by the bottom-centre of their box (where they
stand, not where their head is), and only after ``inertia`` analysed frames in a row, so a box
that flickers across an edge does not count as an entry and an exit each frame."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from vigil.engines.video.config import ZoneConfig
from vigil.engines.video.geometry import Polygon
from vigil.engines.video.tracker import Track


@dataclass
class Occupancy:
    """One zone's state after a frame."""

    inside: dict[int, float] = field(default_factory=dict)  # track id -> when it entered
    entered: list[int] = field(default_factory=list)  # ids that became "in" on this frame
    seen: dict[int, float] = field(default_factory=dict)  # id -> last frame it was seen inside

    def last_seen(self) -> float | None:
        """When anyone inside was last actually seen (a track may coast through a gap)."""
        return max((self.seen[i] for i in self.inside if i in self.seen), default=None)


@dataclass
class _Presence:
    inside: bool = False
    streak: int = 0  # consecutive frames on the other side of the edge
    streak_started: float = 0.0


class ZoneWatcher:
    def __init__(self, zones: Sequence[ZoneConfig], inertia: int) -> None:
        self.zones = {zone.name: Polygon(zone.polygon) for zone in zones}
        self.inertia = inertia
        self.occupancy = {name: Occupancy() for name in self.zones}
        self._presence: dict[tuple[int, str], _Presence] = {}

    def update(self, seen: Iterable[Track], live_ids: set[int], at: float) -> dict[str, Occupancy]:
        """Fold in the tracks seen on this frame; forget tracks no longer alive."""
        for occupancy in self.occupancy.values():
            occupancy.entered = []
        for track in seen:
            for name, polygon in self.zones.items():
                self._step(track, name, polygon.contains(track.box.foot), at)
        for key in [key for key in self._presence if key[0] not in live_ids]:
            del self._presence[key]
            self.occupancy[key[1]].inside.pop(key[0], None)
            self.occupancy[key[1]].seen.pop(key[0], None)
        return self.occupancy

    def _step(self, track: Track, name: str, foot_inside: bool, at: float) -> None:
        presence = self._presence.setdefault((track.track_id, name), _Presence())
        if foot_inside:
            self.occupancy[name].seen[track.track_id] = at
        if foot_inside == presence.inside:
            presence.streak = 0
            return
        if presence.streak == 0:
            presence.streak_started = at
        presence.streak += 1
        if presence.streak < self.inertia:
            return
        presence.inside, presence.streak = foot_inside, 0
        occupancy = self.occupancy[name]
        if foot_inside:
            occupancy.inside[track.track_id] = presence.streak_started
            occupancy.entered.append(track.track_id)
            track.zones.add(name)
        else:
            occupancy.inside.pop(track.track_id, None)
            occupancy.seen.pop(track.track_id, None)
