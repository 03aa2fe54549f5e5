"""The live worker: events, clips and health reach the app; nothing is lost while it is down;
one broken camera does not stop the others; MQTT end to end with the local Mosquitto."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import av
import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from vigil.engines.video import worker
from vigil.engines.video.clips import RingBuffer, write_mp4
from vigil.engines.video.delivery import Spool
from vigil.engines.video.scenes import frames, walk

from .receiver import Receiver

EVENTS, CLIPS, HEALTH = "/api/v1/video/events", "/api/v1/video/clips", "/api/v1/video/health"


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> Path:
    """Six seconds of a person walking left to right, as an MP4 a camera could send."""
    buffer = RingBuffer(seconds=60)
    for image, at in frames([walk(0.5, 5.5, (0.1, 0.8), (0.9, 0.8))], 6.0, fps=10):
        buffer.add(image, at)
    return write_mp4(list(buffer.frames), tmp_path_factory.mktemp("rec") / "aisle.mp4", fps=10)


def camera(recording: Path, name: str = "aisle-7", **extra: object) -> dict:
    return {
        "name": name,
        "source": str(recording),
        "fps": 5,
        "detector": {"model": "motion"},
        "zones": [
            {"name": "right", "kind": "high_value", "polygon": [[0.5, 0], [1, 0], [1, 1], [0.5, 1]]}
        ],
        "rules": [{"type": "intrusion", "zone": "right"}],
        "clip": {"pre_seconds": 1, "post_seconds": 2},
        **extra,
    }


def settings(tmp_path: Path, cameras: list[dict], **extra: object) -> worker.WorkerConfig:
    return worker.WorkerConfig.model_validate(
        {
            "store": "S101",
            "spool": str(tmp_path / "spool"),
            "heartbeat_seconds": 1,
            "cameras": cameras,
            **extra,
        }
    )


def run_until_done(config: worker.WorkerConfig, done: Callable[[], bool], limit: float = 40):
    stopping = threading.Event()
    workers, courier = worker.start(config, stopping)
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            if not any(w.is_alive() for w in workers) and done():
                return workers
            time.sleep(0.2)
        raise AssertionError("the worker did not finish in time")
    finally:
        stopping.set()
        courier.join(timeout=5)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def token(monkeypatch):
    monkeypatch.setenv(worker.TOKEN_VARIABLE, "vgl_test_token")


def test_an_event_its_snapshot_its_clip_and_health_reach_the_app(tmp_path, recording, token):
    app = Receiver().start()
    try:
        config = settings(tmp_path, [camera(recording)], app={"url": app.url})
        run_until_done(config, lambda: bool(app.of(CLIPS)) and not Spool(config.spool).pending())
    finally:
        app.stop()
    events = [r.json() for r in app.of(EVENTS)]
    opened = events[0]
    assert (opened["store"], opened["camera"], opened["rule"], opened["zone"]) == (
        "S101",
        "aisle-7",
        "intrusion",
        "right",
    )
    assert opened["zone_kind"] == "high_value" and opened["open"] is True
    assert opened["snapshot_jpeg_b64"]
    closed = [e for e in events if e["uid"] == opened["uid"] and not e["open"]]
    assert closed and closed[-1]["ended_at"] > opened["started_at"]
    assert all(r.headers["Authorization"] == "Bearer vgl_test_token" for r in app.received)
    clip = app.of(CLIPS)[0]
    assert clip.query["uid"] == opened["uid"]
    assert clip.headers["Content-Type"] == "video/mp4"
    with av.open(__import__("io").BytesIO(clip.body)) as container:
        assert container.streams.video[0].codec_context.name == "h264"
    health = [r.json() for r in app.of(HEALTH)]
    assert health[0]["state"] in {"connected", "starting"}
    assert health[-1]["frames"] == 30 and health[-1]["detector"] == "motion"


def test_while_the_app_is_down_everything_is_spooled_and_delivered_when_it_returns(
    tmp_path, recording, token
):
    port = free_port()
    config = settings(tmp_path, [camera(recording)], app={"url": f"http://127.0.0.1:{port}"})
    spool = Spool(config.spool)
    run_until_done(config, lambda: any("clip" in p.name for p in spool.pending()))
    waiting = spool.pending()
    kinds = {path.name.rsplit("-", 1)[1] for path in waiting}
    assert kinds == {"event.json", "clip.json", "health.json"}
    app = Receiver(port=port).start()  # the app comes back
    try:
        stopping = threading.Event()
        courier = worker.Courier(spool, worker.sink_for(config), stopping)
        courier.start()
        deadline = time.monotonic() + 30
        while spool.pending() and time.monotonic() < deadline:
            time.sleep(0.2)
        stopping.set()
        courier.join(timeout=5)
    finally:
        app.stop()
    assert spool.pending() == []
    assert len(app.received) == len(waiting)  # none lost, none twice
    assert [r.path for r in app.received].count(CLIPS) == 1


def test_a_bad_camera_is_reported_and_the_others_still_run(tmp_path, recording, token):
    broken = camera(recording, name="door-1", zones=[], rules=[{"type": "intrusion", "zone": "x"}])
    unreachable = camera(recording, name="dock", source="rtsp://127.0.0.1:9/none")
    app = Receiver().start()
    try:
        config = settings(tmp_path, [broken, camera(recording), unreachable], app={"url": app.url})
        good, problems = worker.cameras_of(config)
        assert [c.name for c in good] == ["aisle-7", "dock"]
        assert problems == ["camera door-1: rules[0].zone: no zone named 'x' (zones: none)"]
        stopping = threading.Event()
        workers, courier = worker.start(config, stopping)
        aisle, dock = workers
        aisle.join(timeout=30)
        time.sleep(1.5)
        assert dock.is_alive() and dock.health.state == "disconnected"
        assert dock.health.detail == "cannot be opened as video (Connection refused)"
        stopping.set()
        dock.join(timeout=10)
        courier.join(timeout=5)
    finally:
        app.stop()
    assert any(r.json()["camera"] == "aisle-7" for r in app.of(EVENTS))
    assert any(
        r.json()["camera"] == "dock" and r.json()["state"] == "disconnected" for r in app.of(HEALTH)
    )


def test_events_and_clips_are_published_to_mqtt(tmp_path, recording):
    received: list[tuple[str, dict]] = []
    listener = mqtt.Client(CallbackAPIVersion.VERSION2)
    listener.on_message = lambda c, u, m: received.append((m.topic, json.loads(m.payload)))
    try:
        listener.connect("127.0.0.1", 1883)
    except OSError as error:
        pytest.fail(f"the local Mosquitto on 127.0.0.1:1883 is needed: {error}")
    listener.subscribe("vigil/S101/#", qos=1)
    listener.loop_start()
    try:
        time.sleep(0.3)
        config = settings(tmp_path, [camera(recording)], mqtt={"host": "127.0.0.1"})
        run_until_done(config, lambda: any(t.endswith("/clips") for t, _ in received))
    finally:
        listener.loop_stop()
        listener.disconnect()
    topics = {topic for topic, _ in received}
    assert {
        "vigil/S101/aisle-7/events",
        "vigil/S101/aisle-7/clips",
        "vigil/S101/aisle-7/healths",
    } <= topics
    clip = next(body for topic, body in received if topic.endswith("/clips"))
    assert clip["clip_mp4_b64"] and clip["uid"].startswith("aisle-7-")


RTSP_SERVER = Path(__file__).with_name("rtsp_server.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def serve_stream(recording: Path, port: int, protocol: str) -> subprocess.Popen:
    """A live source on loopback: GStreamer's RTSP server, or ffmpeg serving MPEG-TS over
    HTTP, both paced at the recording's own rate."""
    if protocol == "rtsp":
        probe = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('GstRtspServer', '1.0')"],
            capture_output=True,
        )
        if probe.returncode != 0:
            pytest.fail(
                "GStreamer's RTSP server is needed (apt-get install python3-gi "
                "gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good "
                "gstreamer1.0-plugins-bad)"
            )
        server = subprocess.Popen(
            [SYSTEM_PYTHON, str(RTSP_SERVER), str(port), str(recording)],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        assert server.stdout is not None and server.stdout.readline().strip() == b"ready"
        return server
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.fail("ffmpeg is needed to serve a live stream (apt-get install ffmpeg)")
    return subprocess.Popen(
        [
            ffmpeg,
            "-hide_banner",
            "-loglevel",
            "error",
            "-re",
            "-stream_loop",
            "-1",
            "-i",
            str(recording),
            "-c",
            "copy",
            "-f",
            "mpegts",
            "-listen",
            "1",
            f"http://127.0.0.1:{port}/cam",
        ],
        stdin=subprocess.DEVNULL,
    )


def wait_for(condition: Callable[[], bool], limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


@pytest.mark.parametrize("protocol", ["rtsp", "http"])
def test_a_live_stream_that_dies_is_reconnected_and_analysis_goes_on(tmp_path, recording, protocol):
    port = free_port()
    source = f"{protocol}://127.0.0.1:{port}/cam"
    config = worker.config.parse(camera(recording, source=source))
    stopping = threading.Event()
    spool = Spool(tmp_path / "spool")
    server = serve_stream(recording, port, protocol)
    time.sleep(0.5)
    camera_worker = worker.CameraWorker(config, "S101", ZoneInfo("UTC"), spool, stopping)
    camera_worker.start()
    try:
        wait_for(lambda: camera_worker.health.frames >= 10)
        server.kill()  # the camera drops off the network mid-stream
        server.wait()
        wait_for(lambda: camera_worker.health.state == "disconnected")
        frames_before = camera_worker.health.frames
        server = serve_stream(recording, port, protocol)  # and comes back
        wait_for(lambda: camera_worker.health.frames >= frames_before + 10)
        assert camera_worker.health.state == "connected"
        assert camera_worker.is_alive()
    finally:
        stopping.set()
        server.kill()
        server.wait()
        camera_worker.join(timeout=15)
    states = [
        json.loads(p.read_text())["body"]["state"]
        for p in spool.pending()
        if p.name.endswith("health.json")
    ]
    assert "disconnected" in states and states.count("connected") >= 2


def test_an_event_near_the_end_of_a_stream_still_gets_its_clip(tmp_path, recording):
    config = worker.config.parse(camera(recording, clip={"pre_seconds": 1, "post_seconds": 60}))
    spool = Spool(tmp_path / "spool")
    camera_worker = worker.CameraWorker(config, "S101", ZoneInfo("UTC"), spool, threading.Event())
    camera_worker.start()
    camera_worker.join(timeout=30)
    kinds = [path.name.rsplit("-", 1)[1] for path in spool.pending()]
    assert kinds.count("clip.json") == kinds.count("event.json") // 2 >= 1  # open + close each
    assert camera_worker.health.state == "disconnected"  # the file ended


def test_a_broken_worker_config_names_the_file_and_line(tmp_path):
    path = tmp_path / "worker.yaml"
    path.write_text("store: S101\ncameras: [\n  {name: a\n")
    with pytest.raises(worker.ConfigError) as caught:
        worker.load_worker_config(path)
    assert str(path) in str(caught.value) and "is not valid YAML at line" in caught.value.problem
    path.write_text("store: S101\n")
    with pytest.raises(worker.ConfigError, match="cameras: Field required"):
        worker.load_worker_config(path)
