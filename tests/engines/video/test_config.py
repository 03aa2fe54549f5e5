"""The camera config: the contract's example is accepted; mistakes name their field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vigil.engines.video import config
from vigil.engines.video.errors import ConfigError

CONTRACT_EXAMPLE = """
name: aisle-7
fps: 5                      # analysis rate; frames between are skipped
detector: {model: fastestdet, min_confidence: 0.4, labels: [person]}
zones:
  - name: high-value-aisle
    kind: high_value        # exit | restricted | high_value | register | other
    polygon: [[0.45, 0.0], [1.0, 0.0], [1.0, 1.0], [0.45, 1.0]]
  - name: left-displays
    kind: restricted
    polygon: [[0.0, 0.0], [0.3, 0.0], [0.3, 1.0], [0.0, 1.0]]
rules:
  - {type: intrusion, zone: left-displays, schedule: always}      # any person inside the zone
  - {type: loitering, zone: high-value-aisle, seconds: 2.0}       # one person dwelling longer
  - {type: crowding, zone: high-value-aisle, people: 5, within_seconds: 10}
masks: []                    # polygons where motion and detections are ignored
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "camera.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problem(data: dict) -> str:
    with pytest.raises(ConfigError) as caught:
        config.parse(data)
    return caught.value.problem


def test_the_contract_example_loads(tmp_path):
    camera = config.load(write(tmp_path, CONTRACT_EXAMPLE))
    assert camera.name == "aisle-7"
    assert [zone.kind for zone in camera.zones] == ["high_value", "restricted"]
    assert [rule.type for rule in camera.rules] == ["intrusion", "loitering", "crowding"]
    assert camera.inertia == 2


def test_every_field_has_a_title_and_a_description_for_the_app_editor():
    def check(model: type) -> None:
        for name, field in model.model_fields.items():
            assert field.title and field.description, f"{model.__name__}.{name}"

    for model in (
        config.CameraConfig,
        config.DetectorConfig,
        config.MotionConfig,
        config.ZoneConfig,
        config.IntrusionRule,
        config.LoiteringRule,
        config.CrowdingRule,
        config.LineCrossingRule,
        config.TamperingRule,
        config.OfflineRule,
        config.ClipConfig,
        config.TimeWindow,
    ):
        check(model)


def test_an_unknown_key_is_refused_by_its_path():
    assert problem({"name": "x", "detector": {"modle": "yolo"}}) == (
        "detector.modle: is not a setting here (check the spelling)"
    )


def test_a_coordinate_outside_the_frame_is_named():
    data = {"name": "x", "zones": [{"name": "a", "polygon": [[0, 0], [1, 0], [1.5, 1]]}]}
    assert problem(data).startswith("zones[0].polygon[2][0]: Input should be less than")


def test_a_rule_naming_a_missing_zone_lists_the_zones_there_are():
    data = {
        "name": "x",
        "zones": [{"name": "door", "polygon": [[0, 0], [1, 0], [1, 1]]}],
        "rules": [{"type": "loitering", "zone": "dor", "seconds": 3}],
    }
    assert problem(data) == "rules[0].zone: no zone named 'dor' (zones: door)"


def test_an_unknown_rule_type_is_named():
    assert "does not match any of the expected tags" in problem(
        {"name": "x", "rules": [{"type": "loiter"}]}
    )


def test_opening_hours_schedules_need_the_hours():
    data = {"name": "x", "rules": [{"type": "tampering", "schedule": "closed_hours"}]}
    assert problem(data) == "rules[0].schedule: closed_hours needs the camera's 'hours'"


def test_a_file_that_is_not_yaml_says_where(tmp_path):
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, "name: x\nzones: [\n"))
    assert "is not valid YAML at line" in caught.value.problem


def test_a_yaml_list_is_not_a_config(tmp_path):
    with pytest.raises(ConfigError, match="must be a mapping"):
        config.load(write(tmp_path, "- a\n- b\n"))


def test_a_window_past_midnight_belongs_to_the_evening_it_started():
    window = config.TimeWindow(days=["fri"], start=dt.time(22), end=dt.time(6))
    assert window.contains(dt.datetime(2026, 3, 13, 23, 0))  # Friday 23:00
    assert window.contains(dt.datetime(2026, 3, 14, 5, 59))  # Saturday 05:59
    assert not window.contains(dt.datetime(2026, 3, 14, 6, 0))
    assert not window.contains(dt.datetime(2026, 3, 14, 23, 0))  # Saturday evening
