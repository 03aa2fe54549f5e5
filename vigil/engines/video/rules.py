"""Zone and camera rules that turn what was seen into events.

Every rule works the same way: on each analysed frame it says whether its condition holds
and for whom. A condition that starts opens an event; while it lasts the same event is
extended (more people, a later ``until``) instead of a new event each frame, which is the
de-duplication; when it ends the event closes and the rule stays quiet for its cooldown.
A rule is armed only inside its schedule.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from vigil.engines.video.config import (
    CameraConfig,
    CrowdingRule,
    IntrusionRule,
    LineCrossingRule,
    LoiteringRule,
    OfflineRule,
    Rule,
    TamperingRule,
    TimeWindow,
)
from vigil.engines.video.geometry import segments_cross, side_of_line
from vigil.engines.video.tracker import Track
from vigil.engines.video.zones import Occupancy


@dataclass
class Event:
    """Something a rule saw, from ``at`` to ``until`` (seconds on the analysis clock)."""

    number: int
    rule: str
    zone: str  # the zone's or line's name; '' for the whole camera
    at: float
    until: float
    track_ids: list[int] = field(default_factory=list)
    detail: str = ""
    open: bool = True


@dataclass(frozen=True)
class Scene:
    """What one analysed frame tells the rules."""

    at: float
    local_time: dt.datetime | None  # wall-clock in the store, when known
    zones: dict[str, Occupancy]
    tracks: Sequence[Track]  # confirmed tracks seen on this frame
    view: str = ""  # tampering condition: '', blackout, defocus, moved
    seconds_without_frames: float = 0.0


class Episodes:
    """Open, extend and close one event per key (a zone, a condition), with a cooldown."""

    def __init__(self, rule: str, cooldown: float, counter: EventCounter) -> None:
        self.rule = rule
        self.cooldown = cooldown
        self.counter = counter
        self.current: dict[str, Event] = {}
        self.quiet_until: dict[str, float] = {}
        # For conditions that must last (tampering): which one, and since when.
        self.condition_since: tuple[str, float] | None = None

    def step(
        self,
        key: str,
        active: bool,
        at: float,
        ids: Sequence[int] = (),
        since: float | None = None,
        detail: str = "",
        until: float | None = None,
    ) -> list[Event]:
        """Changes this frame: an event opened, or one closed (returned once, closed).

        ``since`` backdates the start (when the condition really began), ``until`` is when
        it was last observed (default: now)."""
        until = at if until is None else until
        event = self.current.get(key)
        if active and event is not None:
            event.until = until
            event.track_ids.extend(i for i in ids if i not in event.track_ids)
            return []
        if active and at >= self.quiet_until.get(key, float("-inf")):
            event = Event(
                self.counter.next(),
                self.rule,
                key,
                since if since is not None else at,
                until,
                sorted(set(ids)),
                detail,
            )
            self.current[key] = event
            return [event]
        if not active and event is not None:
            return [self.close(key)]
        return []

    def close(self, key: str) -> Event:
        event = self.current.pop(key)
        event.open = False
        self.quiet_until[key] = event.until + self.cooldown
        return event

    def close_all(self) -> list[Event]:
        return [self.close(key) for key in list(self.current)]


class EventCounter:
    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def armed(rule: Rule, local_time: dt.datetime | None, hours: list[TimeWindow] | None) -> bool:
    """Whether the rule's schedule covers this moment. Without a wall-clock (a recording of
    unknown start), every rule is armed, so nothing is hidden from an investigator."""
    schedule = rule.schedule
    if local_time is None or schedule == "always":
        return True
    if schedule in ("open_hours", "closed_hours"):
        assert hours is not None  # the config refuses these schedules without hours
        is_open = any(window.contains(local_time) for window in hours)
        return is_open == (schedule == "open_hours")
    assert not isinstance(schedule, str)
    return any(window.contains(local_time) for window in schedule)


class RuleEngine:
    """All of one camera's rules; ``update`` returns the events opened or closed this frame."""

    def __init__(self, config: CameraConfig) -> None:
        self.config = config
        self.counter = EventCounter()
        self.episodes = [
            Episodes(rule.type, rule.cooldown_seconds, self.counter) for rule in config.rules
        ]
        self._crowd_entries: dict[int, deque[tuple[float, int]]] = {}
        self._feet: dict[int, tuple[float, float]] = {}
        self._crossed: dict[tuple[int, int], float] = {}  # (rule index, track) -> last crossing

    def update(self, scene: Scene) -> list[Event]:
        changes: list[Event] = []
        for index, rule in enumerate(self.config.rules):
            episodes = self.episodes[index]
            if not armed(rule, scene.local_time, self.config.hours):
                changes += episodes.close_all()
                continue
            changes += self._apply(index, rule, episodes, scene)
        self._feet.update({t.track_id: t.box.foot for t in scene.tracks})
        return changes

    def finish(self) -> list[Event]:
        """Close whatever is still open (the end of a file, a worker stopping)."""
        return [event for episodes in self.episodes for event in episodes.close_all()]

    def _apply(self, index: int, rule: Rule, episodes: Episodes, scene: Scene) -> list[Event]:
        at = scene.at
        if isinstance(rule, IntrusionRule):
            zone = scene.zones[rule.zone]
            since = min(zone.inside.values()) if zone.inside else None
            return episodes.step(
                rule.zone, bool(zone.inside), at, list(zone.inside), since, until=zone.last_seen()
            )
        if isinstance(rule, LoiteringRule):
            zone = scene.zones[rule.zone]
            # Dwell as observed: a track coasting after its person left the frame does not
            # keep accumulating time.
            dwelling = {
                i: t for i, t in zone.inside.items() if zone.seen.get(i, t) - t >= rule.seconds
            }
            since = min(dwelling.values()) + rule.seconds if dwelling else None
            return episodes.step(
                rule.zone, bool(dwelling), at, list(dwelling), since, until=zone.last_seen()
            )
        if isinstance(rule, CrowdingRule):
            entries = self._crowd_entries.setdefault(index, deque())
            entries.extend((at, i) for i in scene.zones[rule.zone].entered)
            while entries and at - entries[0][0] > rule.within_seconds:
                entries.popleft()
            people = {i for _, i in entries}
            return episodes.step(
                rule.zone,
                len(people) >= rule.people,
                at,
                sorted(people),
                detail=f"{len(people)} people entered within {rule.within_seconds:g} s",
            )
        if isinstance(rule, LineCrossingRule):
            return self._crossings(index, rule, episodes, scene)
        if isinstance(rule, TamperingRule):
            return self._lasting(episodes, scene.view, at, rule.seconds)
        if isinstance(rule, OfflineRule):
            offline = scene.seconds_without_frames >= rule.seconds
            return episodes.step("", offline, at, detail="no frames from the camera")
        raise TypeError(f"no handler for rule {rule!r}")

    def _lasting(
        self, episodes: Episodes, condition: str, at: float, seconds: float
    ) -> list[Event]:
        """An event once ``condition`` has held for ``seconds`` without a break."""
        if not condition:
            episodes.condition_since = None
            return episodes.step("", False, at)
        if episodes.condition_since is None or episodes.condition_since[0] != condition:
            episodes.condition_since = (condition, at)
        since = episodes.condition_since[1]
        return episodes.step("", at - since >= seconds, at, since=since, detail=condition)

    def _crossings(
        self, index: int, rule: LineCrossingRule, episodes: Episodes, scene: Scene
    ) -> list[Event]:
        """One event per person per crossing (each closes at once); the cooldown applies
        per person, so someone stepping back and forth on the line counts once."""
        changes: list[Event] = []
        for track in scene.tracks:
            before = self._feet.get(track.track_id)
            after = track.box.foot
            if before is None or not segments_cross(rule.line, before, after):
                continue
            direction = "in" if side_of_line(rule.line, after) > 0 else "out"
            if rule.direction not in ("both", direction):
                continue
            last = self._crossed.get((index, track.track_id))
            if last is not None and scene.at - last < rule.cooldown_seconds:
                continue
            self._crossed[(index, track.track_id)] = scene.at
            event = Event(
                self.counter.next(),
                rule.type,
                rule.name,
                scene.at,
                scene.at,
                [track.track_id],
                direction,
                open=False,
            )
            changes.append(event)
        return changes
