"""``vigil video analyze FILE``: the live pipeline over a recorded file, as fast as it goes.

Per the contract (``docs/video.md``): options ``--config``, ``--model``, ``--fps``,
``--json`` and ``--snapshots``; Vigil adds ``--start`` (the recording's local start time, so
schedules apply) and ``--clips DIR`` (an MP4 per event). Prints a readable summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from vigil.engines.video import capture, config, models
from vigil.engines.video.clips import RingBuffer, write_mp4
from vigil.engines.video.detector import Detector
from vigil.engines.video.errors import ConfigError, SourceError
from vigil.engines.video.pipeline import Pipeline, record
from vigil.engines.video.rules import Event


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a video file: MP4, AVI, MKV, GIF, …")
    parser.add_argument("--config", type=Path, help="the camera's YAML config (zones, rules)")
    parser.add_argument("--model", help="an installed model's name or an ONNX file's path")
    parser.add_argument("--fps", type=float, help="analysis rate (overrides the config's)")
    parser.add_argument("--json", type=Path, dest="json_out", help="write the result here")
    parser.add_argument("--snapshots", type=Path, help="write each event's snapshot here")
    parser.add_argument("--clips", type=Path, help="write each event's MP4 clip here")
    parser.add_argument(
        "--start",
        type=_local_time,
        help="local time the recording began (YYYY-MM-DDTHH:MM[:SS]); without it, "
        "scheduled rules are armed throughout",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    camera = _camera(args)
    if not args.file.is_file():
        raise SourceError(str(args.file), "no such file")
    source = capture.probe(args.file)
    detector = models.detector_for(camera.detector)
    result = analyze(args.file, camera, detector, args.start, args.snapshots, args.clips)
    result["source"] = source.__dict__
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _summary(console, result, detector.name == "motion")
    return 0


def analyze(
    path: Path,
    camera: config.CameraConfig,
    detector: Detector,
    started_at: dt.datetime | None = None,
    snapshots: Path | None = None,
    clips: Path | None = None,
) -> dict[str, Any]:
    """Run the pipeline over ``path``; the contract's result, less ``source``."""
    began = time.perf_counter()
    pipeline = Pipeline(camera, detector, started_at)
    frames = ((frame.image, frame.at) for frame in capture.read_file(path, camera.fps))
    found = record(pipeline, frames)
    ordered = found.in_order()
    files = _write_snapshots(ordered, found.pictures, snapshots)
    if clips:
        _write_clips(path, camera, ordered, clips)
    counters = pipeline.counters
    return {
        "analysis": {
            "fps": camera.fps,
            "frames_analyzed": counters.frames,
            "frames_with_motion": counters.with_motion,
            "detector": detector.name,
            "detector_runs": counters.detector_runs,
            "elapsed_s": round(time.perf_counter() - began, 2),
            "schedules_applied": started_at is not None,
        },
        "tracks": [
            {
                "track_id": track.track_id,
                "label": track.label,
                "first_seen_s": round(track.first_seen, 2),
                "last_seen_s": round(track.last_seen, 2),
                "max_confidence": round(track.max_confidence, 3),
                "zones": sorted(track.zones),
            }
            for track in pipeline.tracker.all_tracks()
        ],
        "events": [
            {
                "rule": event.rule,
                "zone": event.zone,
                "at_s": round(event.at, 2),
                "until_s": round(event.until, 2),
                "track_ids": event.track_ids,
                "detail": event.detail,
                "snapshot": files.get(event.number),
            }
            for event in ordered
        ],
    }


def _camera(args: argparse.Namespace) -> config.CameraConfig:
    camera = config.load(args.config) if args.config else config.parse({"name": args.file.stem})
    changes: dict[str, Any] = {}
    if args.model:
        changes["detector"] = camera.detector.model_copy(update={"model": args.model})
    if args.fps is not None:
        if not 0 < args.fps <= 60:
            raise ConfigError("--fps", "must be more than 0 and at most 60")
        changes["fps"] = args.fps
    return camera.model_copy(update=changes) if changes else camera


def _write_snapshots(
    events: list[Event], pictures: dict[int, bytes], folder: Path | None
) -> dict[int, str]:
    if folder is None:
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for index, event in enumerate(events, start=1):
        target = folder / f"{index:04d}.jpg"
        target.write_bytes(pictures[event.number])
        names[event.number] = f"{folder.name}/{target.name}"
    return names


def _write_clips(
    path: Path, camera: config.CameraConfig, events: list[Event], folder: Path
) -> None:
    """A second, cheap pass: each event's stretch of the file, pre and post seconds around it."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [
        (index, event.at - camera.clip.pre_seconds, event.at + camera.clip.post_seconds)
        for index, event in enumerate(events, start=1)
    ]
    collected: dict[int, list[Any]] = {index: [] for index, _, _ in wanted}
    for frame in capture.read_file(path, camera.fps):
        for index, start, end in wanted:
            if start <= frame.at <= end:
                collected[index].append(RingBuffer(0).add(frame.image, frame.at))
    for index, frames in collected.items():
        if frames:
            write_mp4(frames, folder / f"{index:04d}.mp4", camera.fps)


def _local_time(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time like 2026-03-14T22:00") from None


def _summary(console: Console, result: dict[str, Any], motion_only: bool) -> None:
    source, analysis = result["source"], result["analysis"]
    console.print(
        f"{source['file']}: {source['duration_s']:.1f} s, {source['width']}x{source['height']}; "
        f"analysed {analysis['frames_analyzed']} frames at {analysis['fps']:g} fps "
        f"({analysis['frames_with_motion']} with motion) in {analysis['elapsed_s']:.1f} s "
        f"with {analysis['detector']}"
    )
    if motion_only:
        console.print("No detector model: events come from motion alone.")
    if not analysis["schedules_applied"]:
        console.print("Recording start unknown (--start): scheduled rules were armed throughout.")
    console.print(f"{len(result['tracks'])} tracks, {len(result['events'])} events")
    if result["events"]:
        table = Table("rule", "zone", "from s", "to s", "tracks", "detail")
        for event in result["events"]:
            table.add_row(
                event["rule"],
                event["zone"],
                f"{event['at_s']:.1f}",
                f"{event['until_s']:.1f}",
                ", ".join(str(i) for i in event["track_ids"]),
                event["detail"],
            )
        console.print(table)
