"""The app's side of MQTT: workers' messages, Frigate's events and EAS alarms from a broker.

``vigil video listen --as USER`` subscribes to

- ``vigil/<store>/<camera>/events``, ``…/clips`` and ``…/healths`` (what ``vigil video
  worker`` publishes when it is given a broker instead of the app's address);
- ``vigil/<store>/eas`` (EAS gate alarms bridged onto the broker);
- ``frigate/events`` and ``frigate/reviews`` (Frigate's own topics); an event that carries a
  recognised licence plate is also a plate read, checked against the watchlist
  (:mod:`vigil.video.platereads`).

Messages are taken at QoS 1 with a persistent session, so the broker keeps what arrives
while the listener is down. A message that cannot be used is logged with why, and the
listener goes on.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.http import Http404
from pydantic import ValidationError as SchemaError

from vigil.core.models import Store, User
from vigil.video import alerts, platereads, sources
from vigil.video.schemas import EasAlarmIn, WorkerEventIn, WorkerHealthIn

logger = logging.getLogger(__name__)

TOPICS = (
    "vigil/+/+/events",
    "vigil/+/+/clips",
    "vigil/+/+/healths",
    "vigil/+/eas",
    "frigate/events",
    "frigate/reviews",
)


class Listener:
    """Routes one MQTT message to the right intake, as ``user``."""

    def __init__(self, user: User, frigate_store: Store | None = None) -> None:
        self.user = user
        self.frigate_store = frigate_store

    def handle(self, topic: str, payload: bytes | bytearray) -> str:
        """Take one message; returns what was done (for the log), raises nothing."""
        try:
            data = json.loads(payload)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            return self._route(topic, data)
        except (ValueError, ValidationError, SchemaError, Http404, KeyError) as error:
            logger.warning("MQTT %s: message refused: %s", topic, error)
            return f"refused: {error}"

    def _route(self, topic: str, data: dict[str, Any]) -> str:
        parts = topic.split("/")
        if topic == "frigate/events":
            alert = sources.frigate_event(self.user, data, self.frigate_store)
            if alert is None or alert.camera is None:
                return "skipped"
            read = platereads.frigate_read(self.user, data, alert.camera)
            if read is None:
                return f"frigate event {alert.uid}"
            watched = " (watched)" if read.alert_id else ""
            return f"frigate event {alert.uid}; plate {read.normalised}{watched}"
        if topic == "frigate/reviews":
            alert = sources.frigate_review(self.user, data, self.frigate_store)
            return f"frigate review {alert.uid}" if alert else "skipped"
        if parts[0] == "vigil" and len(parts) == 3 and parts[2] == "eas":
            alarm = EasAlarmIn.model_validate({**data, "store": parts[1]}).dict()
            return f"eas {sources.eas_alarm(self.user, alarm).uid}"
        if parts[0] == "vigil" and len(parts) == 4:
            handler: dict[str, Callable[[dict[str, Any]], str]] = {
                "events": self._event,
                "clips": self._clip,
                "healths": self._health,
            }
            if parts[3] in handler:
                return handler[parts[3]]({**data, "store": parts[1], "camera": parts[2]})
        return "ignored"

    def _event(self, data: dict[str, Any]) -> str:
        fields = WorkerEventIn.model_validate(data).dict()
        fields["snapshot_jpeg"] = alerts.decode_snapshot(fields.pop("snapshot_jpeg_b64"))
        return f"event {alerts.receive_worker_event(self.user, fields).uid}"

    def _clip(self, data: dict[str, Any]) -> str:
        clip = base64.b64decode(data.get("clip_mp4_b64", ""), validate=True)
        alert = alerts.receive_clip(
            self.user,
            data["store"],
            str(data.get("uid", "")),
            io.BytesIO(clip),
            len(clip),
            data["camera"],
        )
        return f"clip of {alert.uid}"

    def _health(self, data: dict[str, Any]) -> str:
        health = alerts.receive_health(self.user, WorkerHealthIn.model_validate(data).dict())
        return f"health of {health.camera.name}: {health.state}"


def connect(url: str, listener: Listener, client_id: str = "vigil-app") -> Any:
    """A paho client subscribed to :data:`TOPICS`, delivering to ``listener``."""
    from urllib.parse import urlsplit

    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    parts = urlsplit(url)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
    if parts.username:
        client.username_pw_set(parts.username, parts.password or "")
    client.reconnect_delay_set(1, 30)

    def subscribe(client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        client.subscribe([(topic, 1) for topic in TOPICS])
        logger.info("listening on %s for %s", parts.hostname, ", ".join(TOPICS))

    def deliver(client: Any, userdata: Any, message: Any) -> None:
        # A long-running listener must not hold a database connection past its lifetime
        # (a restarted PostgreSQL, CONN_MAX_AGE), as a request would not.
        close_old_connections()
        logger.info("%s: %s", message.topic, listener.handle(message.topic, message.payload))

    client.on_connect = subscribe
    client.on_message = deliver
    client.connect(parts.hostname or "localhost", parts.port or 1883, keepalive=30)
    return client
