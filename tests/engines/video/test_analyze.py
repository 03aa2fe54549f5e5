"""``vigil video analyze`` per the contract, on the shared clip with FastestDet."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.shared_data import shared_data
from vigil.cli import main

# Where people stand: at the table in the middle of the room (feet on the floor in front
# of it). Nobody ever stands on the wall in the top-left corner.
CAMERA = """
name: table-cam
fps: 5
detector: {model: fastestdet, min_confidence: 0.4, labels: [person]}
zones:
  - {name: table, kind: high_value, polygon: [[0.35, 0.6], [0.8, 0.6], [0.8, 1.0], [0.35, 1.0]]}
  - {name: wall, kind: restricted, polygon: [[0.0, 0.0], [0.2, 0.0], [0.2, 0.4], [0.0, 0.4]]}
rules:
  - {type: intrusion, zone: table, cooldown_seconds: 0}
  - {type: intrusion, zone: wall, cooldown_seconds: 0}
  - {type: loitering, zone: table, seconds: 5}
"""


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, fastestdet) -> tuple[dict, Path]:
    folder = tmp_path_factory.mktemp("analysis")
    (folder / "camera.yaml").write_text(CAMERA)
    clip = shared_data("video/one-by-one-person-detection.mp4")
    code = main(
        [
            "video",
            "analyze",
            str(clip),
            "--config",
            str(folder / "camera.yaml"),
            "--model",
            str(fastestdet.path),
            "--json",
            str(folder / "result.json"),
            "--snapshots",
            str(folder / "snapshots"),
        ]
    )
    assert code == 0
    return json.loads((folder / "result.json").read_text()), folder


def test_the_result_has_the_contract_shape(analysed):
    result, _ = analysed
    assert result["source"] == {
        "file": "one-by-one-person-detection.mp4",
        "width": 768,
        "height": 432,
        "fps": 10.0,
        "frames": 1394,
        "duration_s": 139.4,
    }
    analysis = result["analysis"]
    assert analysis["fps"] == 5 and analysis["frames_analyzed"] == 697
    assert 0 < analysis["frames_with_motion"] <= 697
    assert analysis["detector"] == "fastestdet"
    assert set(result["tracks"][0]) >= {
        "track_id",
        "label",
        "first_seen_s",
        "last_seen_s",
        "max_confidence",
        "zones",
    }
    assert set(result["events"][0]) >= {"rule", "zone", "at_s", "until_s", "track_ids", "snapshot"}


def test_the_six_people_who_walk_in_one_at_a_time_are_six_stable_tracks(analysed):
    result, _ = analysed
    tracks = result["tracks"]
    assert [t["track_id"] for t in tracks] == [1, 2, 3, 4, 5, 6]
    assert all(t["label"] == "person" and t["max_confidence"] > 0.8 for t in tracks)
    assert all(t["last_seen_s"] - t["first_seen_s"] > 10 for t in tracks)  # no broken tracks
    for earlier, later in itertools.pairwise(tracks):
        assert earlier["last_seen_s"] < later["first_seen_s"]  # one at a time, never re-numbered


def test_the_zone_where_people_stand_fires_once_per_visit_and_the_empty_one_never(analysed):
    result, _ = analysed
    table = [e for e in result["events"] if e["rule"] == "intrusion"]
    assert {e["zone"] for e in table} == {"table"}
    assert [e["track_ids"] for e in table] == [[1], [2], [3], [4], [5], [6]]
    assert all(t["zones"] == ["table"] for t in result["tracks"])


def test_loitering_starts_five_seconds_after_each_arrival(analysed):
    result, _ = analysed
    arrivals = {e["track_ids"][0]: e["at_s"] for e in result["events"] if e["rule"] == "intrusion"}
    loitering = [e for e in result["events"] if e["rule"] == "loitering"]
    assert loitering
    for event in loitering:
        assert event["at_s"] == pytest.approx(arrivals[event["track_ids"][0]] + 5, abs=0.3)


def test_each_event_has_a_snapshot_on_disk(analysed):
    result, folder = analysed
    for event in result["events"]:
        snapshot = folder / event["snapshot"]
        assert snapshot.read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG


def test_a_bad_config_exits_2_naming_the_field(tmp_path, capsys):
    config = tmp_path / "camera.yaml"
    config.write_text("name: x\nrules: [{type: loitering, zone: door, seconds: 3}]\n")
    clip = shared_data("video/people-detection.gif")
    assert main(["video", "analyze", str(clip), "--config", str(config)]) == 2
    assert "rules[0].zone: no zone named 'door'" in capsys.readouterr().err


def test_a_corrupt_file_exits_2_naming_the_file(tmp_path, capsys):
    corrupt = tmp_path / "export.mp4"
    corrupt.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    assert main(["video", "analyze", str(corrupt), "--model", "motion"]) == 2
    assert "export.mp4" in capsys.readouterr().err


def test_a_model_that_is_not_installed_exits_2_saying_how_to_install_one(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path))
    clip = shared_data("video/people-detection.gif")
    assert main(["video", "analyze", str(clip), "--model", "yolo"]) == 2
    assert "vigil video models install" in capsys.readouterr().err


def test_motion_only_analysis_runs_without_a_model(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VIGIL_DATA_DIR", str(tmp_path))
    clip = shared_data("video/worker-zone-detection.gif")
    out = tmp_path / "r.json"
    assert main(["video", "analyze", str(clip), "--model", "motion", "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["analysis"]["detector"] == "motion"
    assert result["analysis"]["frames_with_motion"] > 0
    assert "events come from motion alone" in capsys.readouterr().out
