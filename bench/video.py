"""The video engine benchmark: ``python -m bench video``.

Everything runs pinned to one CPU core (``sched_setaffinity``), with ONNX Runtime and OpenCV
told to use one thread, because the targets are per core:

- **detector**: milliseconds per frame for each back end (FastestDet through ONNX Runtime,
  and the motion-only back end), pre- and post-processing included, on the frames of
  ``video/one-by-one-person-detection.mp4`` (768x432). Target: FastestDet <= 5 ms.
- **pipeline**: frames per second of the whole pipeline (decode, motion gate, detector,
  tracker, zone rules) over every frame of that clip.
- **cameras per core**: the same clip scaled to 1280x720 and re-encoded as H.264 at 10 fps (a
  typical 720p store camera), analysed at 5 fps with motion gating; every frame must still be
  decoded. Seconds of video per second of CPU is how many such cameras one core sustains.
  Target: >= 10.

The model is installed from ``../shared/data/models/FastestDet.onnx`` into a temporary data
directory with ``vigil video models install --from``, as an operator would.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

import cv2

from vigil.engines.video import capture, config, models
from vigil.engines.video.clips import BufferedFrame, jpeg, write_mp4
from vigil.engines.video.detector import Detector, MotionOnly
from vigil.engines.video.motion import Motion, MotionGate
from vigil.engines.video.pipeline import Pipeline

SHARED = Path(
    os.environ.get("VIGIL_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
CLIP = "video/one-by-one-person-detection.mp4"
MODEL = "models/FastestDet.onnx"
DETECTOR_FRAMES = 300
CAMERA = {
    "name": "bench",
    "detector": {"model": "fastestdet", "min_confidence": 0.4},
    "zones": [{"name": "table", "kind": "high_value",
               "polygon": [[0.35, 0.6], [0.8, 0.6], [0.8, 1.0], [0.35, 1.0]]}],
    "rules": [{"type": "intrusion", "zone": "table"},
              {"type": "loitering", "zone": "table", "seconds": 5}],
}  # fmt: skip


def shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        raise SystemExit(f"bench video: {path} is missing (set VIGIL_SHARED_DATA)")
    return path


def one_core() -> None:
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    cv2.setNumThreads(1)


def run(base: Path | None) -> list[tuple[str, float, str, str, str]]:
    one_core()
    with tempfile.TemporaryDirectory(prefix="vigil-bench-video-", dir=base) as work:
        folder = Path(work)
        model = models.install("fastestdet", str(shared(MODEL)), folder=folder / "models")
        fastestdet = models.detector_for(config.DetectorConfig(), folder=folder / "models")
        clip = shared(CLIP)
        frames = [f.image for f in capture.read_file(clip, 10.0)][:DETECTOR_FRAMES]
        rows = [
            _detector_row("detector: FastestDet", fastestdet, frames, "<= 5 ms"),
            _detector_row("detector: motion-only", MotionOnly(), frames, "-"),
            _gate_row(frames),
        ]
        source = capture.probe(clip)
        camera = config.parse({**CAMERA, "fps": source.fps})
        began = time.perf_counter()
        pipeline = Pipeline(camera, fastestdet)
        for frame in capture.read_file(clip, source.fps):
            pipeline.process(frame.image, frame.at)
        elapsed = time.perf_counter() - began
        rows.append((
            "pipeline, every frame", pipeline.counters.frames / elapsed, "frames/s", "-",
            f"{source.width}x{source.height}, {pipeline.counters.frames} frames, decode to "
            f"rules, detector on {pipeline.counters.detector_runs}",
        ))  # fmt: skip
        wide = _as_720p(clip, folder / "720p.mp4")
        camera = config.parse({**CAMERA, "fps": 5})
        began = time.perf_counter()
        pipeline = Pipeline(camera, fastestdet)
        for frame in capture.read_file(wide, 5.0):
            pipeline.process(frame.image, frame.at)
        elapsed = time.perf_counter() - began
        duration = capture.probe(wide).duration_s
        counters = pipeline.counters
        rows.append((
            "720p cameras at 5 fps per core", duration / elapsed, "cameras", ">= 10",
            f"{duration:.0f} s of 1280x720 H.264 at 10 fps in {elapsed:.1f} s; "
            f"{counters.frames} analysed, {counters.with_motion} with motion, "
            f"detector on {counters.detector_runs}",
        ))  # fmt: skip
        del model
    return rows


def _detector_row(
    name: str, detector: Detector, frames: list, target: str
) -> tuple[str, float, str, str, str]:
    motion = Motion([], 0.0)
    detector.detect(frames[0], motion)  # warm up (first ONNX run allocates)
    timings = []
    for image in frames:
        began = time.perf_counter()
        detector.detect(image, motion)
        timings.append((time.perf_counter() - began) * 1000)
    detail = f"median of {len(frames)} frames of 768x432, one core (p95 "
    detail += f"{statistics.quantiles(timings, n=20)[18]:.1f} ms)"
    return (name, statistics.median(timings), "ms/frame", target, detail)


def _gate_row(frames: list) -> tuple[str, float, str, str, str]:
    """The motion gate, which every analysed frame goes through before any detector."""
    gate = MotionGate(config.MotionConfig())
    timings = []
    for image in frames:
        began = time.perf_counter()
        gate.update(image)
        timings.append((time.perf_counter() - began) * 1000)
    detail = f"median of {len(frames)} frames of 768x432 (downscaled to 160 px wide)"
    return ("motion gate", statistics.median(timings), "ms/frame", "-", detail)


def _as_720p(clip: Path, target: Path) -> Path:
    """The clip scaled to 1280x720 and encoded as H.264 at 10 fps (done once per run)."""
    frames = [
        BufferedFrame(frame.at, jpeg(cv2.resize(frame.image, (1280, 720))))
        for frame in capture.read_file(clip, 10.0)
    ]
    return write_mp4(frames, target, fps=10)
