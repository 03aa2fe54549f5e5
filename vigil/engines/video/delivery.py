"""Getting events from the worker to the app without losing one.

Every message (an event, its clip, a heartbeat) is first written to a spool folder on disk,
atomically (a temporary name, fsync, rename), and only then sent. A delivery thread sends the
spooled messages oldest first and deletes each file only once the receiver has acknowledged
it: an HTTP 2xx from the app, or MQTT's PUBACK at QoS 1. While the app or the broker is down
the files wait, and the thread retries with back-off; a worker restarted later sends what the
last one left. Receivers treat a message's ``uid`` as idempotent, so a message sent twice (the
acknowledgement lost on the way back) does no harm.

The wire format is in ``docs/video.md``.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any, Protocol

logger = logging.getLogger(__name__)

FIRST_RETRY_S = 1.0
LONGEST_RETRY_S = 60.0
HTTP_TIMEOUT_S = 20.0
_sequence = count()


class DeliveryError(Exception):
    """The receiver could not take a message now; it stays spooled and is tried again."""


class Rejected(Exception):
    """The receiver refused a message for good (4xx other than auth or throttling)."""


@dataclass(frozen=True)
class Message:
    kind: str  # event, clip, health
    store: str
    camera: str
    body: dict[str, Any]
    attachment: bytes = b""  # the MP4 of a clip

    def to_json(self) -> dict[str, Any]:
        data = {"kind": self.kind, "store": self.store, "camera": self.camera, **self.body}
        if self.attachment:
            data["clip_mp4_b64"] = base64.b64encode(self.attachment).decode("ascii")
        return data


class Sink(Protocol):
    def send(self, message: Message) -> None: ...


class Spool:
    """A folder of messages waiting to be delivered, oldest first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "rejected").mkdir(exist_ok=True)
        self._lock = threading.Lock()

    def put(self, message: Message) -> Path:
        name = f"{time.time_ns():020d}-{os.getpid()}-{next(_sequence):06d}-{message.kind}"
        header = {
            "kind": message.kind,
            "store": message.store,
            "camera": message.camera,
            "body": message.body,
        }
        with self._lock:
            if message.attachment:
                _write_atomic(self.folder / f"{name}.bin", message.attachment)
            _write_atomic(self.folder / f"{name}.json", json.dumps(header).encode("utf-8"))
        return self.folder / f"{name}.json"

    def pending(self) -> list[Path]:
        return sorted(self.folder.glob("*.json"))

    def read(self, path: Path) -> Message:
        header = json.loads(path.read_text(encoding="utf-8"))
        attachment = path.with_suffix(".bin")
        return Message(
            kind=header["kind"],
            store=header["store"],
            camera=header["camera"],
            body=header["body"],
            attachment=attachment.read_bytes() if attachment.exists() else b"",
        )

    def done(self, path: Path) -> None:
        path.with_suffix(".bin").unlink(missing_ok=True)
        path.unlink(missing_ok=True)

    def reject(self, path: Path, reason: str) -> None:
        """Set aside a message the receiver refuses for good, with why, for a person to see."""
        target = self.folder / "rejected" / path.name
        os.replace(path, target)
        attachment = path.with_suffix(".bin")
        if attachment.exists():
            os.replace(attachment, target.with_suffix(".bin"))
        target.with_suffix(".reason").write_text(reason + "\n", encoding="utf-8")


class Courier(threading.Thread):
    """Sends spooled messages through a sink, in order, retrying with back-off."""

    def __init__(
        self,
        spool: Spool,
        sink: Sink,
        stopping: threading.Event,
        on_state: Callable[[str], None] = lambda state: None,
    ) -> None:
        super().__init__(name="vigil-courier", daemon=True)
        self.spool = spool
        self.sink = sink
        self.stopping = stopping
        self.on_state = on_state
        self.wake = threading.Event()

    def run(self) -> None:
        delay = FIRST_RETRY_S
        while not self.stopping.is_set():
            try:
                self.deliver_pending()
                delay = FIRST_RETRY_S
                self.on_state("delivering")
                self.wake.wait(1.0)
            except DeliveryError as error:
                self.on_state(f"receiver unreachable: {error}")
                logger.warning("delivery paused (%s); retrying in %.0f s", error, delay)
                self.stopping.wait(delay)
                delay = min(delay * 2, LONGEST_RETRY_S)
            self.wake.clear()

    def deliver_pending(self) -> int:
        """Send everything spooled now; stops at the first failure (order matters)."""
        sent = 0
        for path in self.spool.pending():
            if self.stopping.is_set():
                break
            try:
                self.sink.send(self.spool.read(path))
            except Rejected as error:
                logger.error("message %s refused: %s", path.name, error)
                self.spool.reject(path, str(error))
                continue
            self.spool.done(path)
            sent += 1
        return sent


class HttpSink:
    """POSTs messages to the app's API with the worker's token."""

    PATHS = {
        "event": "/api/v1/video/events",
        "clip": "/api/v1/video/clips",
        "health": "/api/v1/video/health",
    }

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token

    def send(self, message: Message) -> None:
        url = self.base_url + self.PATHS[message.kind]
        if message.kind == "clip":
            # The MP4 travels as the raw body (streamed into the evidence store there), its
            # description in the query string.
            fields = {"store": message.store, "camera": message.camera, **message.body}
            url += "?" + urllib.parse.urlencode(fields)
            data, content_type = message.attachment, "video/mp4"
        else:
            data = json.dumps(message.to_json()).encode("utf-8")
            content_type = "application/json"
        request = urllib.request.Request(  # noqa: S310 (the operator's http(s) app address)
            url,
            data=data,
            method="POST",
            headers={"Content-Type": content_type, "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            detail = error.read()[:300].decode("utf-8", "replace")
            if error.code in (401, 403, 408, 429) or error.code >= 500:
                raise DeliveryError(f"{url} answered {error.code}") from None
            raise Rejected(f"{url} answered {error.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as error:
            raise DeliveryError(f"{url}: {getattr(error, 'reason', error)}") from None


class MqttSink:
    """Publishes messages at QoS 1 to ``vigil/<store>/<camera>/<kind>s`` and waits for the
    broker's acknowledgement."""

    def __init__(self, host: str, port: int = 1883, username: str = "", password: str = "") -> None:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"vigil-worker-{os.getpid()}"
        )
        if username:
            self.client.username_pw_set(username, password)
        self.client.reconnect_delay_set(1, 30)
        self.host, self.port = host, port
        self._started = False

    def send(self, message: Message) -> None:
        import paho.mqtt.client as mqtt

        if not self._started:
            try:
                self.client.connect(self.host, self.port, keepalive=30)
            except OSError as error:
                raise DeliveryError(f"MQTT broker {self.host}:{self.port}: {error}") from None
            self.client.loop_start()
            self._started = True
        topic = f"vigil/{message.store}/{message.camera}/{message.kind}s"
        info = self.client.publish(topic, json.dumps(message.to_json()), qos=1)
        try:
            info.wait_for_publish(timeout=HTTP_TIMEOUT_S)
        except (RuntimeError, ValueError) as error:
            raise DeliveryError(f"MQTT publish to {topic}: {error}") from None
        if info.rc != mqtt.MQTT_ERR_SUCCESS or not info.is_published():
            raise DeliveryError(f"MQTT broker {self.host}:{self.port} did not acknowledge")

    def close(self) -> None:
        if self._started:
            self.client.loop_stop()
            self.client.disconnect()


def _write_atomic(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".part")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
