"""Event clips are H.264 MP4 a browser plays; snapshots show the boxes."""

from __future__ import annotations

import av
import numpy as np

from vigil.engines.video.clips import RingBuffer, annotate, write_mp4
from vigil.engines.video.config import ZoneConfig
from vigil.engines.video.geometry import Box
from vigil.engines.video.scenes import frames, walk
from vigil.engines.video.tracker import Track


def test_the_ring_buffer_keeps_only_the_last_seconds():
    buffer = RingBuffer(seconds=2.0)
    for image, at in frames([], 5.0):
        buffer.add(image, at)
    assert buffer.frames[0].at == 2.8 and buffer.frames[-1].at == 4.8  # 2 s, ends included
    assert [f.at for f in buffer.since(4.4)] == [4.4, 4.6, 4.8]


def test_a_clip_is_baseline_h264_in_mp4_with_every_frame_at_its_time(tmp_path):
    buffer = RingBuffer(seconds=60)
    for image, at in frames([walk(0, 4, (0.1, 0.8), (0.9, 0.8))], 4.0):
        buffer.add(image, at)
    path = write_mp4(list(buffer.frames), tmp_path / "clip.mp4", fps=5)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert container.format.name.startswith("mov,mp4")
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.profile in {"Baseline", "Constrained Baseline"}
        decoded = list(container.decode(stream))
    assert len(decoded) == 20
    assert float(decoded[-1].pts * stream.time_base) == 3.8


def test_the_snapshot_draws_zones_and_boxes_without_touching_the_frame():
    image = np.full((180, 320, 3), 170, dtype=np.uint8)
    track = Track(Box(0.4, 0.2, 0.6, 0.9), "person", 0.9, 0.0, 0.0, track_id=7)
    zone = ZoneConfig(name="door", kind="exit", polygon=[(0.0, 0.0), (0.3, 0.0), (0.3, 0.3)])
    drawn = annotate(image, [track], [zone])
    assert (image == 170).all()
    assert (drawn != image).any(axis=2)[36:162, 128:192].any()  # the box
    assert (drawn != image).any(axis=2)[0:54, 0:96].any()  # the zone
