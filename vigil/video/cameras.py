"""Cameras in the app: their settings checked by the engine's own schema, and the config a
worker pulls, completed with what the app knows (the store, its time zone and hours)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from vigil.core.models import Store, User
from vigil.core.roles import Capability, require
from vigil.engines.video import config as engine_config
from vigil.engines.video.errors import ConfigError
from vigil.video.models import Camera

WEEKDAYS = engine_config.WEEKDAYS  # Monday first, as Django's and the engine's
# Settings the app owns: the engine config must not carry its own copy of them.
APP_OWNED = ("name", "store", "source", "hours")


def checked_config(camera: Camera, settings: Mapping[str, Any]) -> dict[str, Any]:
    """``settings`` validated as the worker will see them (with the store's hours), stored
    without the fields the app owns."""
    owned = [key for key in APP_OWNED if key in settings]
    if owned:
        raise ValidationError(
            {"config": f"Set {', '.join(owned)} on the camera, not in its config."}
        )
    hours = store_hours(camera.store)
    try:
        engine_config.parse({**settings, "name": camera.name or "new", **hours}, "config")
    except ConfigError as error:
        problem = error.problem.replace(
            "needs the camera's 'hours'", "needs the store's opening hours (set them first)"
        )
        raise ValidationError({"config": problem}) from None
    return dict(settings)


def store_hours(store: Store) -> dict[str, Any]:
    """The store's opening hours as the engine's ``hours`` (nothing when none are set)."""
    windows = [
        {
            "days": [WEEKDAYS[hours.weekday]],
            "start": hours.opens.isoformat("minutes"),
            "end": hours.closes.isoformat("minutes"),
        }
        for hours in store.opening_hours.all()
    ]
    return {"hours": windows} if windows else {}


def create_camera(user: User, store: Store, fields: Mapping[str, Any]) -> Camera:
    require(user, Capability.RECORD)
    return update_camera(user, Camera(store=store), fields)


def update_camera(user: User, camera: Camera, changes: Mapping[str, Any]) -> Camera:
    require(user, Capability.RECORD)
    if changes.get("name"):
        camera.name = changes["name"]
    for key, value in changes.items():
        if value is None or key == "name":
            continue
        if key in ("registers", "doors"):
            value = ", ".join(part.strip() for part in value if part.strip())
        if key == "config":
            value = checked_config(camera, value)
        setattr(camera, key, value)
    camera.full_clean()
    camera.save()
    return camera


def set_zones(user: User, camera: Camera, zones: list[dict[str, Any]]) -> Camera:
    """Replace the camera's zones (the zone editor's save). Rules that name a removed zone
    make this fail, naming the rule, rather than leave the worker a config it refuses."""
    return update_camera(user, camera, {"config": {**camera.config, "zones": zones}})


def worker_config(camera: Camera) -> dict[str, Any]:
    """What ``vigil video worker`` runs for this camera: its settings plus the store's code,
    the stream and the store's opening hours (for rules armed only while open or closed)."""
    return {
        **camera.config,
        "name": camera.name,
        "store": camera.store.code,
        "source": camera.source,
        **store_hours(camera.store),
    }


def cameras_on_register(store: Store, register_id: str) -> list[Camera]:
    """The cameras that see a register (for pulling video of a POS exception)."""
    if not register_id:
        return []
    found = Camera.objects.filter(store=store).order_by("name")
    return [camera for camera in found if register_id in camera.listed("registers")]
