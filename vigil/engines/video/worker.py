"""``vigil video worker``: many cameras, live, each in its own thread; events to the app.

Each camera runs capture → pipeline; its events (with a snapshot) are spooled at once, and
its clip (pre- and post-event seconds from a ring buffer) follows as a second message when
the post-event seconds have passed. Cameras fail alone: a bad config, a stream that will not
open or a crash in one camera is reported in that camera's health and the others go on.

The worker config (YAML)::

    store: S101                      # default store code for the cameras below
    app: {url: "http://127.0.0.1:8000"}   # token from VIGIL_WORKER_TOKEN, never in the file
    mqtt: {host: 127.0.0.1, port: 1883}   # instead of (or besides) app: publish to MQTT
    spool: /var/lib/vigil/spool      # default: $VIGIL_DATA_DIR/spool
    heartbeat_seconds: 30
    cameras:
      - {name: aisle-7, source: "rtsp://…", zones: […], rules: […]}
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import logging
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from rich.console import Console

from vigil.engines.video import capture, config, models
from vigil.engines.video.clips import BufferedFrame, RingBuffer, annotate, jpeg, write_mp4
from vigil.engines.video.delivery import Courier, HttpSink, Message, MqttSink, Sink, Spool
from vigil.engines.video.errors import ConfigError, VideoInputError
from vigil.engines.video.pipeline import Pipeline
from vigil.engines.video.rules import Event

logger = logging.getLogger(__name__)
TOKEN_VARIABLE = "VIGIL_WORKER_TOKEN"  # noqa: S105 (the variable's name, not a secret)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AppTarget(_Strict):
    url: str = Field(
        title="App address", description="The Vigil web app, e.g. https://vigil.example.com."
    )


class MqttTarget(_Strict):
    host: str = Field(title="Broker host", description="The MQTT broker's address.")
    port: int = Field(1883, ge=1, le=65535, title="Port", description="The broker's port.")
    username: str = Field("", title="User name", description="Empty for an open broker.")


class WorkerConfig(_Strict):
    store: str = Field("", title="Store", description="Default store code for the cameras.")
    timezone: str = Field(
        "UTC", title="Time zone", description="IANA name for schedules, e.g. America/Chicago."
    )
    app: AppTarget | None = Field(None, title="App", description="Send events over HTTP.")
    mqtt: MqttTarget | None = Field(None, title="MQTT", description="Publish events to MQTT.")
    spool: Path | None = Field(
        None, title="Spool", description="Folder for undelivered events (default in data dir)."
    )
    heartbeat_seconds: float = Field(
        30.0, gt=0, title="Heartbeat", description="Seconds between camera health reports."
    )
    cameras: list[dict[str, Any]] = Field(
        min_length=1, title="Cameras", description="Camera configs (see vigil video analyze)."
    )


@dataclass
class CameraHealth:
    state: str = "starting"  # starting, connected, disconnected, failed
    detail: str = ""
    frames: int = 0
    last_frame_at: str | None = None
    detector: str = ""


@dataclass
class _ClipJob:
    uid: str
    until: float
    frames: list[BufferedFrame] = field(default_factory=list)


class CameraWorker(threading.Thread):
    """One camera: frames in, spooled events, clips and health out."""

    def __init__(
        self,
        camera: config.CameraConfig,
        store: str,
        timezone: ZoneInfo,
        spool: Spool,
        stopping: threading.Event,
        heartbeat_seconds: float = 30.0,
    ) -> None:
        super().__init__(name=f"camera-{camera.name}", daemon=True)
        self.camera = camera
        self.store = store
        self.timezone = timezone
        self.spool = spool
        self.stopping = stopping
        self.heartbeat_seconds = heartbeat_seconds
        self.health = CameraHealth()
        self._uids: dict[int, str] = {}
        self._clips: list[_ClipJob] = []
        self._buffer = RingBuffer(camera.clip.pre_seconds)
        self._began = dt.datetime.now(dt.UTC)
        self._last_heartbeat = float("-inf")
        self.pipeline: Pipeline | None = None

    def run(self) -> None:
        try:
            detector = models.detector_for(self.camera.detector)
        except VideoInputError as error:
            self._fail(str(error))
            return
        if detector.name == "motion":
            logger.warning("camera %s: no detector model, running motion-only", self.camera.name)
        self.health.detector = detector.name
        local_start = self._began.astimezone(self.timezone).replace(tzinfo=None)
        self.pipeline = pipeline = Pipeline(self.camera, detector, local_start)
        try:
            for frame in self._frames():
                self._analyse(pipeline, frame.image, frame.at)
        except Exception as error:  # one camera's crash must not stop the others
            logger.exception("camera %s failed", self.camera.name)
            self._fail(f"{type(error).__name__}: {error}")
            return
        finally:
            # The stream ended or the worker is stopping: what is open closes, and clips
            # still collecting are written with what they have, so no event loses its clip.
            for event in pipeline.finish():
                self._send_event(event, None)
            self._finish_clips(everything=True)
        self._heartbeat(force=True)

    def _frames(self) -> Iterator[capture.Frame]:
        source = self.camera.source
        if capture.is_live(source):
            return capture.read_live(
                source,
                self.camera.fps,
                running=lambda: not self.stopping.is_set(),
                on_state=self._on_state,
                sleep=self.stopping.wait,
            )
        return self._paced_file(Path(source))

    def _paced_file(self, path: Path) -> Iterator[capture.Frame]:
        """A file played at its own speed, as if it were a camera (demos, tests)."""
        self._on_state("connected", path.name)
        began = time.monotonic()
        for frame in capture.read_file(path, self.camera.fps):
            wait = frame.at - (time.monotonic() - began)
            if wait > 0 and self.stopping.wait(wait):
                return
            if self.stopping.is_set():
                return
            yield frame
        self._on_state("disconnected", "the file ended")

    def _analyse(self, pipeline: Pipeline, image: np.ndarray, at: float) -> None:
        result = pipeline.process(image, at)
        self.health.frames += 1
        self.health.last_frame_at = self._wall(at)
        buffered = self._buffer.add(image, at)
        for job in self._clips:
            job.frames.append(buffered)
        for event in result.events:
            picture = None
            if event.number not in self._uids:
                picture = jpeg(annotate(image, result.tracks, self.camera.zones))
                uid = self._uid(event.number)
                self._clips.append(
                    _ClipJob(
                        uid,
                        at + self.camera.clip.post_seconds,
                        self._buffer.since(event.at - self.camera.clip.pre_seconds),
                    )
                )
            self._send_event(event, picture)
        self._finish_clips(at)
        self._heartbeat()

    def _uid(self, number: int) -> str:
        """The event's id for receivers (stable across its open and close messages)."""
        return self._uids.setdefault(number, f"{self.camera.name}-{uuid.uuid4().hex[:16]}")

    def _send_event(self, event: Event, picture: bytes | None) -> None:
        uid = self._uid(event.number)
        zone_kind = next((z.kind for z in self.camera.zones if z.name == event.zone), "")
        body: dict[str, Any] = {
            "uid": uid,
            "rule": event.rule,
            "zone": event.zone,
            "zone_kind": zone_kind,
            "started_at": self._wall(event.at),
            "ended_at": None if event.open else self._wall(event.until),
            "open": event.open,
            "track_ids": event.track_ids,
            "detail": event.detail,
            "detector": self.health.detector,
        }
        if picture is not None:
            body["snapshot_jpeg_b64"] = base64.b64encode(picture).decode("ascii")
        self.spool.put(Message("event", self.store, self.camera.name, body))

    def _finish_clips(self, at: float = 0.0, everything: bool = False) -> None:
        for job in [j for j in self._clips if everything or at >= j.until]:
            self._clips.remove(job)
            if not job.frames:
                continue
            folder = self.spool.folder / "clips"
            folder.mkdir(exist_ok=True)
            path = write_mp4(job.frames, folder / f"{job.uid}.mp4", self.camera.fps)
            body = {
                "uid": job.uid,
                "started_at": self._wall(job.frames[0].at),
                "ended_at": self._wall(job.frames[-1].at),
            }
            self.spool.put(Message("clip", self.store, self.camera.name, body, path.read_bytes()))
            path.unlink()

    def _on_state(self, state: str, detail: str) -> None:
        self.health.state, self.health.detail = state, detail
        logger.info("camera %s %s: %s", self.camera.name, state, detail)
        if state == "disconnected" and self.pipeline is not None:
            now = (dt.datetime.now(dt.UTC) - self._began).total_seconds()
            for event in self.pipeline.no_frame(now):
                self._send_event(event, None)
        self._heartbeat(force=True)

    def _heartbeat(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_heartbeat < self.heartbeat_seconds:
            return
        self._last_heartbeat = now
        body = {
            "uid": f"{self.camera.name}-health-{uuid.uuid4().hex[:16]}",
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **self.health.__dict__,
        }
        self.spool.put(Message("health", self.store, self.camera.name, body))

    def _fail(self, reason: str) -> None:
        self.health.state, self.health.detail = "failed", reason
        logger.error("camera %s: %s", self.camera.name, reason)
        self._heartbeat(force=True)

    def _wall(self, at: float) -> str:
        moment = self._began + dt.timedelta(seconds=at)
        return moment.isoformat(timespec="milliseconds")


def load_worker_config(path: Path) -> WorkerConfig:
    data = config.read_yaml(path, "store, app or mqtt, spool, cameras …")
    try:
        return WorkerConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(str(path), config.describe(error)) from None


def cameras_of(settings: WorkerConfig) -> tuple[list[config.CameraConfig], list[str]]:
    """The cameras whose configs are valid, and a problem line for each that is not."""
    good, problems = [], []
    for index, raw in enumerate(settings.cameras):
        name = raw.get("name", f"cameras[{index}]") if isinstance(raw, dict) else f"[{index}]"
        try:
            good.append(config.parse(raw, f"camera {name}"))
        except ConfigError as error:
            problems.append(str(error))
    return good, problems


def sink_for(settings: WorkerConfig) -> Sink:
    if settings.mqtt is not None:
        password = os.environ.get("VIGIL_MQTT_PASSWORD", "")
        return MqttSink(settings.mqtt.host, settings.mqtt.port, settings.mqtt.username, password)
    if settings.app is not None:
        token = os.environ.get(TOKEN_VARIABLE, "")
        if not token:
            raise ConfigError(
                TOKEN_VARIABLE, "is not set (an API token from the app's Tokens page)"
            )
        return HttpSink(settings.app.url, token)
    raise ConfigError("worker config", "needs app: {url: …} or mqtt: {host: …} to send events to")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, required=True, help="the worker's YAML config")


def run(args: argparse.Namespace, console: Console) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = load_worker_config(args.config)
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    workers, courier = start(settings, stopping, console)
    while not stopping.is_set() and any(w.is_alive() for w in workers):
        stopping.wait(1.0)
    stopping.set()
    for worker in workers:
        worker.join(timeout=10)
    courier.join(timeout=10)
    close = getattr(courier.sink, "close", None)
    if close is not None:
        close()  # an MQTT connection says goodbye to the broker
    return 0


def start(
    settings: WorkerConfig, stopping: threading.Event, console: Console | None = None
) -> tuple[list[CameraWorker], Courier]:
    """Start the courier and a thread per valid camera; report the invalid ones."""
    try:
        timezone = ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("timezone", f"{settings.timezone!r} is not an IANA time zone") from None
    spool = Spool(settings.spool or models.models_dir().parent / "spool")
    courier = Courier(spool, sink_for(settings), stopping)
    courier.start()
    cameras, problems = cameras_of(settings)
    for problem in problems:
        logger.error("%s (this camera is not started; the others are)", problem)
        if console:
            console.print(f"not started: {problem}", markup=False)
    workers = []
    for camera in cameras:
        store = camera.store or settings.store
        worker = CameraWorker(camera, store, timezone, spool, stopping, settings.heartbeat_seconds)
        worker.start()
        workers.append(worker)
    if console:
        console.print(f"watching {len(workers)} camera(s); spool {spool.folder}")
    return workers, courier
