"""The ONNX detector on real footage, and choosing a decoder from a model's shapes."""

from __future__ import annotations

import pytest

from tests.shared_data import shared_data
from vigil.engines.video import capture, models
from vigil.engines.video.config import DetectorConfig
from vigil.engines.video.detector import layout_of
from vigil.engines.video.errors import ModelError
from vigil.engines.video.motion import Motion

NO_MOTION = Motion([], 0.0)


def test_fastestdet_finds_the_person_at_the_table(fastestdet):
    detector = models.detector_for(
        DetectorConfig(model="fastestdet"), folder=fastestdet.path.parent
    )
    clip = shared_data("video/one-by-one-person-detection.mp4")
    frame = next(f for f in capture.read_file(clip, 1.0) if f.at >= 30)
    people = [d for d in detector.detect(frame.image, NO_MOTION) if d.confidence >= 0.4]
    assert len(people) == 1
    person = people[0]
    assert person.label == "person"
    assert person.confidence > 0.7
    # The person stands at the table in the middle of the frame, head near the top,
    # feet low in the frame.
    assert 0.4 < person.box.foot[0] < 0.75
    assert person.box.y1 < 0.15 and person.box.y2 > 0.75


def test_only_the_configured_labels_come_back(fastestdet):
    # The clip's window scores as a "tvmonitor" in every frame.
    detector = models.detector_for(
        DetectorConfig(model="fastestdet", labels=["tvmonitor"]), folder=fastestdet.path.parent
    )
    clip = shared_data("video/one-by-one-person-detection.mp4")
    frame = next(iter(capture.read_file(clip, 1.0)))
    assert {d.label for d in detector.detect(frame.image, NO_MOTION)} == {"tvmonitor"}


def test_a_label_the_model_does_not_know_is_an_error(fastestdet):
    with pytest.raises(ModelError, match="shoplifter not among the model's labels"):
        models.detector_for(
            DetectorConfig(model="fastestdet", labels=["shoplifter"]),
            folder=fastestdet.path.parent,
        )


@pytest.mark.parametrize(
    ("input_shape", "output_shape", "family"),
    [
        ([1, 3, 352, 352], [1, 85, 22, 22], "fastestdet"),
        ([1, 3, 640, 640], [1, 25200, 85], "yolov5"),
        ([1, 3, 640, 640], [1, 8400, 85], "yolox"),
        ([1, 3, 640, 640], [1, 84, 8400], "yolov8"),
        ([1, 3, 416, 416], [1, 3549, 85], "yolox"),
    ],
)
def test_the_decoder_is_chosen_from_the_output_shape(input_shape, output_shape, family):
    assert layout_of(input_shape, output_shape, 80).family == family


def test_an_unknown_output_shape_is_a_clear_error():
    with pytest.raises(ModelError, match=r"output shape \[1, 1000\] is not one Vigil can decode"):
        layout_of([1, 3, 224, 224], [1, 1000], 80)


def test_a_model_with_a_dynamic_input_size_is_refused():
    with pytest.raises(ModelError, match="fixed size"):
        layout_of([1, 3, "height", "width"], [1, 84, 8400], 80)
