"""Every rule on synthetic scenes, through the whole pipeline: motion gate, tracker, zones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import cv2
import numpy as np
import pytest

from vigil.engines.video import config
from vigil.engines.video.pipeline import Pipeline
from vigil.engines.video.rules import Event
from vigil.engines.video.scenes import Walker, background, dwell, frames, walk

from .synthetic import ShapeDetector

RIGHT_HALF = [[0.5, 0.0], [1.0, 0.0], [1.0, 1.0], [0.5, 1.0]]
TOP_LEFT = [[0.0, 0.0], [0.2, 0.0], [0.2, 0.3], [0.0, 0.3]]
ACROSS = walk(0.0, 8.0, (0.1, 0.8), (0.9, 0.8))  # left to right along the floor


def camera(rules: list[dict], **extra: object) -> config.CameraConfig:
    zones = [
        {"name": "right", "kind": "high_value", "polygon": RIGHT_HALF},
        {"name": "corner", "kind": "restricted", "polygon": TOP_LEFT},
    ]
    return config.parse({"name": "test", "fps": 5, "zones": zones, "rules": rules, **extra})


def run(
    settings: config.CameraConfig,
    scene: Iterable[tuple[np.ndarray, float]],
    started_at: dt.datetime | None = None,
) -> list[Event]:
    pipeline = Pipeline(settings, ShapeDetector(), started_at)
    events: dict[int, Event] = {}
    for image, at in scene:
        for event in pipeline.process(image, at).events:
            events[event.number] = event
    for event in pipeline.finish():
        events[event.number] = event
    return sorted(events.values(), key=lambda e: e.at)


def people(walkers: Sequence[Walker], seconds: float) -> Iterable[tuple[np.ndarray, float]]:
    return frames(walkers, seconds)


class TestIntrusion:
    def test_fires_when_someone_walks_into_the_zone_and_lasts_while_they_are_in_it(self):
        events = run(camera([{"type": "intrusion", "zone": "right"}]), people([ACROSS], 10))
        assert len(events) == 1
        event = events[0]
        assert (event.rule, event.zone) == ("intrusion", "right")
        assert 3.6 <= event.at <= 4.8  # feet cross x=0.5 at 4 s; inertia adds a frame
        assert 7.0 <= event.until <= 8.4
        assert len(event.track_ids) == 1
        assert not event.open

    def test_a_zone_nobody_walks_into_stays_quiet(self):
        events = run(camera([{"type": "intrusion", "zone": "corner"}]), people([ACROSS], 10))
        assert events == []

    def test_the_same_person_in_the_zone_is_one_event_not_one_a_frame(self):
        stay = dwell(0.0, 10.0, (0.75, 0.8))
        events = run(camera([{"type": "intrusion", "zone": "right"}]), people([stay], 10))
        assert len(events) == 1

    def test_cooldown_keeps_a_second_visit_soon_after_quiet(self):
        first = walk(0.0, 3.0, (0.6, 0.8), (0.9, 0.8))
        second = walk(10.0, 13.0, (0.6, 0.8), (0.9, 0.8))
        rules = [{"type": "intrusion", "zone": "right", "cooldown_seconds": 30}]
        assert len(run(camera(rules), people([first, second], 15))) == 1
        rules = [{"type": "intrusion", "zone": "right", "cooldown_seconds": 1}]
        assert len(run(camera(rules), people([first, second], 15))) == 2


class TestLoitering:
    RULE = {"type": "loitering", "zone": "right", "seconds": 3.0}

    def test_one_person_dwelling_past_the_limit_raises_it_from_when_the_limit_passed(self):
        events = run(camera([self.RULE]), people([dwell(1.0, 9.0, (0.75, 0.8))], 10))
        assert len(events) == 1
        assert events[0].rule == "loitering"
        assert 4.0 <= events[0].at <= 5.0  # entered at about 1.2 s (inertia), plus 3 s
        assert events[0].until >= 8.0

    def test_walking_through_is_not_loitering(self):
        brisk = walk(0.0, 4.0, (0.1, 0.8), (0.9, 0.8))  # two seconds in the zone
        assert run(camera([self.RULE]), people([brisk], 10)) == []


class TestCrowding:
    RULE = {"type": "crowding", "zone": "right", "people": 3, "within_seconds": 4}

    @staticmethod
    def arrivals(count: int, apart: float) -> list[Walker]:
        return [
            walk(i * apart, i * apart + 3.0, (0.55 + 0.12 * i, 0.3), (0.55 + 0.12 * i, 0.95))
            for i in range(count)
        ]

    def test_three_people_entering_within_the_window_is_a_crowd(self):
        events = run(camera([self.RULE]), people(self.arrivals(3, 0.6), 8))
        assert [e.rule for e in events] == ["crowding"]
        assert len(events[0].track_ids) == 3
        assert events[0].detail.startswith("3 people entered")

    def test_two_people_or_people_spread_out_in_time_are_not(self):
        assert run(camera([self.RULE]), people(self.arrivals(2, 0.6), 8)) == []
        assert run(camera([self.RULE]), people(self.arrivals(3, 5.0), 20)) == []


class TestLineCrossing:
    # A vertical line at x = 0.5, drawn top to bottom: its right side (in image
    # coordinates, y down) is the left of the frame.
    LINE = [[0.5, 0.1], [0.5, 1.0]]

    def rule(self, direction: str, cooldown: float = 10.0) -> dict:
        return {
            "type": "line_crossing",
            "name": "door",
            "line": self.LINE,
            "direction": direction,
            "cooldown_seconds": cooldown,
        }

    def test_each_crossing_is_an_event_with_its_direction(self):
        back = walk(10.0, 18.0, (0.9, 0.8), (0.1, 0.8))
        events = run(camera([self.rule("both", cooldown=0)]), people([ACROSS, back], 20))
        assert [e.detail for e in events] == ["out", "in"]
        assert all(e.zone == "door" and e.at == e.until for e in events)

    def test_a_direction_filter_keeps_only_that_way(self):
        back = walk(10.0, 18.0, (0.9, 0.8), (0.1, 0.8))
        events = run(camera([self.rule("in", cooldown=0)]), people([ACROSS, back], 20))
        assert [e.detail for e in events] == ["in"]

    def test_stepping_back_and_forth_on_the_line_counts_once_within_the_cooldown(self):
        def shuffle(at: float) -> tuple[float, float, float, float]:
            x = 0.5 + 0.08 * np.sin(at * 3.0)
            return (x - 0.04, 0.5, x + 0.04, 0.8)

        events = run(camera([self.rule("both", cooldown=30)]), people([shuffle], 8))
        assert len(events) == 1


class TestTampering:
    RULE = {"type": "tampering", "seconds": 3.0}

    @staticmethod
    def scene(change, start: float, end: float, seconds: float = 12.0):
        for image, at in frames([ACROSS], seconds):
            yield (change(image) if start <= at < end else image), at

    def test_a_covered_lens_for_longer_than_the_limit_is_reported_as_blackout(self):
        def cover(image):
            return np.zeros_like(image)

        events = run(camera([self.RULE]), self.scene(cover, 4.0, 9.0))
        assert [(e.rule, e.detail) for e in events] == [("tampering", "blackout")]
        assert events[0].at == pytest.approx(4.0)
        assert events[0].until == pytest.approx(8.8)

    def test_a_brief_dark_moment_is_not(self):
        def cover(image):
            return np.zeros_like(image)

        assert run(camera([self.RULE]), self.scene(cover, 4.0, 5.0)) == []

    def test_a_defocused_view_is_reported(self):
        def smear(image):
            return cv2.GaussianBlur(image, (31, 31), 12)

        events = run(camera([self.RULE]), self.scene(smear, 4.0, 10.0))
        assert [e.detail for e in events] == ["defocus"]

    def test_a_camera_turned_to_another_scene_is_reported(self):
        def turned(image):
            other = np.full_like(image, 60)
            cv2.circle(other, (160, 90), 60, (240, 240, 240), -1)
            return other

        events = run(camera([self.RULE]), self.scene(turned, 4.0, 10.0))
        assert [e.detail for e in events] == ["moved"]


class TestOffline:
    def test_no_frames_for_longer_than_the_timeout_raises_offline_then_closes(self):
        settings = camera([{"type": "offline", "seconds": 10}])
        pipeline = Pipeline(settings, ShapeDetector())
        image = background()
        assert pipeline.process(image, 0.0).events == []
        assert pipeline.no_frame(5.0) == []
        opened = pipeline.no_frame(11.0)
        assert [(e.rule, e.open) for e in opened] == [("offline", True)]
        closed = pipeline.process(image, 40.0).events
        assert [(e.rule, e.open) for e in closed] == [("offline", False)]


class TestSchedules:
    RULE = {"type": "intrusion", "zone": "right", "schedule": "closed_hours"}
    HOURS = [{"start": "09:00", "end": "21:00"}]

    def test_a_closed_hours_rule_fires_after_closing(self):
        evening = dt.datetime(2026, 3, 14, 20, 59, 58)  # the person enters after 21:00
        events = run(camera([self.RULE], hours=self.HOURS), people([ACROSS], 10), evening)
        assert len(events) == 1

    def test_and_is_quiet_while_the_store_is_open(self):
        morning = dt.datetime(2026, 3, 14, 10, 0, 0)
        assert run(camera([self.RULE], hours=self.HOURS), people([ACROSS], 10), morning) == []

    def test_time_windows_can_span_midnight(self):
        rule = {
            "type": "intrusion",
            "zone": "right",
            "schedule": [{"days": ["fri"], "start": "22:00", "end": "06:00"}],
        }
        friday_night = dt.datetime(2026, 3, 14, 1, 0, 0)  # Saturday 01:00, Friday's window
        saturday_night = dt.datetime(2026, 3, 15, 1, 0, 0)  # Sunday 01:00: not armed
        assert len(run(camera([rule]), people([ACROSS], 10), friday_night)) == 1
        assert run(camera([rule]), people([ACROSS], 10), saturday_night) == []

    def test_without_a_start_time_scheduled_rules_are_armed_throughout(self):
        assert len(run(camera([self.RULE], hours=self.HOURS), people([ACROSS], 10))) == 1


class TestMotionGate:
    def test_something_that_never_moves_is_never_tracked(self):
        still = dwell(0.0, 10.0, (0.75, 0.8), sway=0.0)  # a mannequin, there from the start
        events = run(camera([{"type": "intrusion", "zone": "right"}]), people([still], 10))
        assert events == []

    def test_detections_under_a_mask_are_ignored(self):
        rules = [{"type": "intrusion", "zone": "right"}]
        events = run(camera(rules, masks=[RIGHT_HALF]), people([ACROSS], 10))
        assert events == []

    def test_the_detector_runs_only_on_frames_with_motion_and_re_checks(self):
        settings = camera([], motion={"recheck_seconds": 2.0})
        pipeline = Pipeline(settings, ShapeDetector())
        image = background()
        for index in range(50):  # 10 s of an empty, still scene at 5 fps
            pipeline.process(image, index / 5)
        assert pipeline.counters.with_motion == 0
        assert pipeline.counters.detector_runs == 5  # at 0, 2, 4, 6 and 8 s
