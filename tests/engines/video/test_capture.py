"""Reading files at the analysis rate, and clear errors for what cannot be read."""

from __future__ import annotations

import itertools

import pytest

from tests.shared_data import shared_data
from vigil.engines.video import capture
from vigil.engines.video.errors import SourceError


def test_an_mp4_is_described_and_sampled_at_the_analysis_rate():
    clip = shared_data("video/one-by-one-person-detection.mp4")
    info = capture.probe(clip)
    assert (info.width, info.height, info.fps, info.frames) == (768, 432, 10.0, 1394)
    assert info.duration_s == pytest.approx(139.4)
    frames = list(capture.read_file(clip, 5.0))
    assert len(frames) == 697  # every second frame of 1,394
    assert [round(f.at, 1) for f in frames[:4]] == [0.0, 0.2, 0.4, 0.6]
    assert frames[0].image.shape == (432, 768, 3)


def test_an_animated_gif_with_its_own_frame_delays_is_sampled_by_time():
    clip = shared_data("video/worker-zone-detection.gif")
    frames = list(capture.read_file(clip, 5.0))
    gaps = [b.at - a.at for a, b in itertools.pairwise(frames)]
    assert len(frames) == 24
    assert all(0.15 <= gap <= 0.25 for gap in gaps)


def test_a_truncated_file_is_a_clear_error(tmp_path):
    clip = shared_data("video/one-by-one-person-detection.mp4")
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(clip.read_bytes()[:4096])
    with pytest.raises(SourceError) as caught:
        list(capture.read_file(broken, 5.0))
    assert str(broken) in str(caught.value)


def test_a_file_that_is_not_video_is_a_clear_error(tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("these are not frames\n")
    with pytest.raises(SourceError, match="cannot be opened as video"):
        capture.probe(text)


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        capture.probe(tmp_path / "nothing.mp4")


def test_passwords_are_kept_out_of_messages():
    assert capture.redact("rtsp://admin:secret@10.0.0.5/stream1") == "rtsp://***@10.0.0.5/stream1"
    assert capture.redact("rtsp://10.0.0.5/stream1") == "rtsp://10.0.0.5/stream1"
