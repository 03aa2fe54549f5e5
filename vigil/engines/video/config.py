"""A camera's analysis settings, as one strict pydantic model tree.

The same tree is read from YAML by ``vigil video analyze`` and the worker, and edited in the
app, so a mistake is caught in one place: unknown keys are refused, every field has a title
and a description (the app's editor shows them), and an error names the field by its path,
like ``rules[1].zone``. Coordinates are fractions of the frame (0..1), so a config survives a
change of stream resolution.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from vigil.engines.video.errors import ConfigError

Point = tuple[
    Annotated[float, Field(ge=0.0, le=1.0)],
    Annotated[float, Field(ge=0.0, le=1.0)],
]
ZoneKind = Literal["exit", "restricted", "high_value", "register", "other"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DetectorConfig(Strict):
    model: str = Field(
        "fastestdet",
        title="Model",
        description="An installed model's name, the path of an ONNX file, or 'motion' to "
        "raise events from motion alone (no person detection).",
    )
    min_confidence: float = Field(
        0.4,
        ge=0.0,
        le=1.0,
        title="Minimum confidence",
        description="Detections below this are dropped.",
    )
    labels: list[str] = Field(
        default_factory=lambda: ["person"],
        min_length=1,
        title="Labels",
        description="Object classes to keep (names from the model's label list).",
    )


class MotionConfig(Strict):
    threshold: int = Field(
        25,
        ge=1,
        le=255,
        title="Pixel threshold",
        description="Grey-level change that counts as motion.",
    )
    min_area: float = Field(
        0.002,
        ge=0.0,
        le=1.0,
        title="Minimum area",
        description="Smallest moving region, as a fraction of the frame, that wakes the detector.",
    )
    recheck_seconds: float = Field(
        5.0,
        ge=0.0,
        title="Re-check interval",
        description="Run the detector this often even without motion, so people standing still "
        "are still seen (0 turns the re-check off).",
    )


class ZoneConfig(Strict):
    name: str = Field(
        min_length=1, max_length=64, title="Name", description="Unique on the camera."
    )
    kind: ZoneKind = Field("other", title="Kind", description="What the area is.")
    polygon: list[Point] = Field(
        min_length=3,
        title="Polygon",
        description="Corners as [x, y] fractions of the frame width and height.",
    )


class TimeWindow(Strict):
    days: list[Weekday] = Field(
        default_factory=lambda: list(WEEKDAYS),
        title="Days",
        description="Days the window opens on.",
    )
    start: dt.time = Field(title="From", description="Local time the window opens (HH:MM).")
    end: dt.time = Field(
        title="To", description="Local time it closes; earlier than From means past midnight."
    )

    def contains(self, moment: dt.datetime) -> bool:
        """Whether ``moment`` (local wall-clock) falls in the window."""
        now = moment.time()
        day = WEEKDAYS[moment.weekday()]
        if self.start <= self.end:
            return day in self.days and self.start <= now < self.end
        # Past midnight: the evening part belongs to ``day``, the morning part to the day before.
        yesterday = WEEKDAYS[(moment.weekday() - 1) % 7]
        return (day in self.days and now >= self.start) or (
            yesterday in self.days and now < self.end
        )


Schedule = Literal["always", "open_hours", "closed_hours"] | list[TimeWindow]


class RuleBase(Strict):
    schedule: Schedule = Field(
        "always",
        title="Schedule",
        description="When the rule is armed: always, only while the store is open, only while "
        "it is closed, or a list of time windows.",
    )
    cooldown_seconds: float = Field(
        30.0,
        ge=0.0,
        title="Cooldown",
        description="After an event, the same rule and zone stay quiet this long.",
    )


class IntrusionRule(RuleBase):
    type: Literal["intrusion"] = Field(title="Type", description="Anyone inside the zone.")
    zone: str = Field(title="Zone", description="The zone's name.")


class LoiteringRule(RuleBase):
    type: Literal["loitering"] = Field(title="Type", description="One person dwelling too long.")
    zone: str = Field(title="Zone", description="The zone's name.")
    seconds: float = Field(gt=0, title="Dwell time", description="Seconds in the zone that count.")


class CrowdingRule(RuleBase):
    type: Literal["crowding"] = Field(title="Type", description="Many people arriving at once.")
    zone: str = Field(title="Zone", description="The zone's name.")
    people: int = Field(ge=2, title="People", description="How many distinct people enter.")
    within_seconds: float = Field(
        gt=0, title="Within", description="The window, in seconds, they enter within."
    )


class LineCrossingRule(RuleBase):
    type: Literal["line_crossing"] = Field(title="Type", description="Crossing a line.")
    name: str = Field(min_length=1, max_length=64, title="Name", description="The line's name.")
    line: tuple[Point, Point] = Field(
        title="Line", description="Two points; 'in' is crossing from its left side to its right."
    )
    direction: Literal["in", "out", "both"] = Field(
        "both", title="Direction", description="Which crossings count."
    )


class TamperingRule(RuleBase):
    type: Literal["tampering"] = Field(
        title="Type", description="The view blacked out, covered, moved or out of focus."
    )
    seconds: float = Field(
        3.0, gt=0, title="Persistence", description="How long the condition must last."
    )


class OfflineRule(RuleBase):
    type: Literal["offline"] = Field(title="Type", description="No frames from the camera.")
    seconds: float = Field(
        30.0, gt=0, title="Timeout", description="Seconds without a frame before it is offline."
    )


Rule = Annotated[
    IntrusionRule | LoiteringRule | CrowdingRule | LineCrossingRule | TamperingRule | OfflineRule,
    Field(discriminator="type"),
]


class ClipConfig(Strict):
    pre_seconds: float = Field(
        5.0, ge=0, le=60, title="Before", description="Seconds of video kept before an event."
    )
    post_seconds: float = Field(
        10.0, ge=0, le=120, title="After", description="Seconds of video kept after it starts."
    )


class CameraConfig(Strict):
    name: str = Field(min_length=1, max_length=64, title="Name", description="The camera's name.")
    store: str = Field(
        "", title="Store", description="The store's code; empty takes the worker's default."
    )
    source: str = Field(
        "",
        title="Stream",
        description="rtsp://, http(s):// or a file path (kept secret in the app).",
    )
    fps: float = Field(
        5.0, gt=0, le=60, title="Analysis rate", description="Frames analysed per second."
    )
    detector: DetectorConfig = Field(
        default=DetectorConfig(), title="Detector", description="Object detection."
    )
    motion: MotionConfig = Field(
        default=MotionConfig(), title="Motion gate", description="Motion detection."
    )
    zones: list[ZoneConfig] = Field(
        default_factory=list, title="Zones", description="Areas the rules watch."
    )
    rules: list[Rule] = Field(
        default_factory=list, title="Rules", description="What raises events."
    )
    masks: list[list[Point]] = Field(
        default_factory=list,
        title="Masks",
        description="Polygons where motion and detections are ignored (a clock, a screen, trees).",
    )
    inertia: int = Field(
        2,
        ge=1,
        le=50,
        title="Inertia",
        description="Analysed frames a person must be in a zone before they count as in it.",
    )
    hours: list[TimeWindow] | None = Field(
        None,
        title="Opening hours",
        description="When the store trades (a window per day or group of days), for rules "
        "scheduled on open or closed hours. The app fills it from the store's hours.",
    )
    clip: ClipConfig = Field(
        default=ClipConfig(), title="Clips", description="Video kept with each event."
    )

    @field_validator("masks")
    @classmethod
    def _masks_are_polygons(cls, masks: list[list[Point]]) -> list[list[Point]]:
        for mask in masks:
            if len(mask) < 3:
                raise ValueError("a mask needs at least 3 corners")
        return masks

    @model_validator(mode="after")
    def _names_resolve(self) -> CameraConfig:
        names = [zone.name for zone in self.zones]
        if len(set(names)) != len(names):
            raise ValueError("two zones have the same name")
        for index, rule in enumerate(self.rules):
            zone = getattr(rule, "zone", None)
            if zone is not None and zone not in names:
                known = ", ".join(names) or "none"
                raise ValueError(f"rules[{index}].zone: no zone named {zone!r} (zones: {known})")
            if rule.schedule in ("open_hours", "closed_hours") and self.hours is None:
                raise ValueError(
                    f"rules[{index}].schedule: {rule.schedule} needs the camera's 'hours'"
                )
        return self


def parse(data: object, origin: str = "config") -> CameraConfig:
    """Validate a mapping as a camera config; errors name the field and what was expected."""
    try:
        return CameraConfig.model_validate(data)
    except ValidationError as error:
        raise ConfigError(origin, describe(error)) from None


def load(path: Path) -> CameraConfig:
    """Read a camera config from a YAML file."""
    return parse(read_yaml(path, "name, fps, zones, rules …"), str(path))


def read_yaml(path: Path, expected: str) -> dict[str, object]:
    """A YAML file's mapping of settings; errors name the file, and the line when the YAML is
    broken. ``expected`` lists the settings, for the message when it is not a mapping."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(str(path), f"cannot be read: {error.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(str(path), f"is not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise ConfigError(str(path), f"must be a mapping of settings ({expected})")
    return data


def describe(error: ValidationError) -> str:
    """Pydantic's errors as ``field.path: message`` lines, in the config's own terms."""
    lines = []
    for item in error.errors():
        path = _path(item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "is not a setting here (check the spelling)"
        lines.append(f"{path}: {message}" if path else message)
    return "; ".join(lines)


_RULE_TYPES = frozenset(
    {"intrusion", "loitering", "crowding", "line_crossing", "tampering", "offline"}
)


def _path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _RULE_TYPES or "[" in part:
            continue  # a union member's tag (``loitering``, ``list[TimeWindow]``), not a field
        else:
            text += f".{part}" if text else str(part)
    return text
