"""Redacted copies for sharing: faces or areas blurred or blacked out, the original untouched.

An investigator marks one or more areas (rectangles in the picture's or the frame's own
pixels) on a photo or a clip, and chooses a blur or a solid box. The areas are checked first
(:func:`parse_redaction`: inside the frame, at least one, whole numbers), so bad input stores
nothing. The copy is then made from the original's bytes, which are only read, and taken into
the vault through the same intake as an upload (:func:`vigil.evidence.intake.receive`): it is
a new evidence item of the same store, incident and case, ``derived_from`` the original with
``derivation = REDACTED``, hashed on the way in, its first custody event saying what was done
and by whom. The original's own custody log says a redacted copy was made from it.

A photo is decoded and encoded again by OpenCV, so none of its metadata (EXIF, GPS, the
camera's serial number) reaches the copy; its orientation is applied to the pixels first, as
the browser shows it. A clip is decoded and re-encoded with PyAV as H.264 MP4 (what browsers
play, and what OpenCV's own writer cannot produce without a system FFmpeg), each frame keeping
its timestamp; the sound is not copied (voices identify people too). Clips take a while, so
:mod:`vigil.evidence.redaction_jobs` does them in the background.

Face suggestions come from OpenCV's bundled Haar cascade when the installed OpenCV ships it;
nothing is downloaded, and without it the investigator draws every area.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

import av
import cv2
import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from vigil.core import taskruns
from vigil.core.models import User
from vigil.core.roles import Capability, require
from vigil.evidence import custody, intake
from vigil.evidence.models import CustodyAction, Derivation, EvidenceItem
from vigil.evidence.storage import EvidenceStore, LocalEvidenceStore, store_from_settings

logger = logging.getLogger(__name__)

MAX_AREAS = 50
# Photos OpenCV decodes; a GIF's first frame is redacted and kept as PNG. A JPEG copy keeps
# full colour resolution (4:4:4) at high quality, so only the hidden areas lose detail.
_JPEG = [
    cv2.IMWRITE_JPEG_QUALITY,
    95,
    cv2.IMWRITE_JPEG_SAMPLING_FACTOR,
    cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444,
]
IMAGE_FORMATS: dict[str, tuple[str, str, list[int]]] = {
    "image/jpeg": (".jpg", "image/jpeg", _JPEG),
    "image/png": (".png", "image/png", []),
    "image/webp": (".webp", "image/webp", [cv2.IMWRITE_WEBP_QUALITY, 92]),
    "image/gif": (".png", "image/png", []),
}
VIDEO_TYPES = frozenset(
    {"video/mp4", "video/quicktime", "video/webm", "video/x-matroska", "video/x-msvideo"}
)
SOLID_COLOUR = (0, 0, 0)
BY = "\N{MULTIPLICATION SIGN}"  # as in "100 by 80 px", written with the sign
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class RedactionStyle(models.TextChoices):
    BLUR = "blur", "Blur"
    SOLID = "solid", "Solid black box"


class RedactionRefused(Exception):
    """The item cannot be redacted here (its kind, or it is deleted); the message says why."""


@dataclass(frozen=True)
class Area:
    """A rectangle in the picture's own pixels: left, top, width and height."""

    x: int
    y: int
    width: int
    height: int

    def describe(self) -> str:
        return f"x {self.x:,}, y {self.y:,}, {self.width:,} {BY} {self.height:,} px"

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.width, self.height]


@dataclass(frozen=True)
class FrameSize:
    """How big the picture (or a frame of the clip) is, and how long the clip runs."""

    width: int
    height: int
    duration_s: float | None = None


@dataclass(frozen=True)
class Redaction:
    """What to hide, how, and (for a clip) when: no times means the whole clip."""

    areas: tuple[Area, ...]
    style: RedactionStyle
    start_s: float | None = None
    end_s: float | None = None

    def covers(self, at: float | None) -> bool:
        """Whether the frame shown at ``at`` seconds is redacted."""
        if at is None:
            return True
        if self.start_s is not None and at < self.start_s:
            return False
        return self.end_s is None or at <= self.end_s

    def when_words(self) -> str:
        if self.start_s is None and self.end_s is None:
            return "over the whole clip"
        start = _seconds(self.start_s or 0.0)
        return (
            f"from {start} to {_seconds(self.end_s)}"
            if self.end_s is not None
            else (f"from {start} to the end")
        )

    def as_arguments(self) -> dict[str, Any]:
        """JSON-safe, for a task run's arguments (see :func:`from_arguments`)."""
        return {
            "areas": [area.as_list() for area in self.areas],
            "style": self.style.value,
            "start_s": self.start_s,
            "end_s": self.end_s,
        }


def from_arguments(arguments: Mapping[str, Any]) -> Redaction:
    return Redaction(
        areas=tuple(Area(*map(int, area)) for area in arguments["areas"]),
        style=RedactionStyle(arguments["style"]),
        start_s=arguments.get("start_s"),
        end_s=arguments.get("end_s"),
    )


def _seconds(value: float | None) -> str:
    return "the end" if value is None else f"{value:,.3f}".rstrip("0").rstrip(".") + " s"


# --- what can be redacted, and the form's input -----------------------------------------


def kind_of(item: EvidenceItem) -> str | None:
    """ "image" or "video" when Vigil can redact the item, else None."""
    if item.media_type in IMAGE_FORMATS:
        return "image"
    if item.media_type in VIDEO_TYPES:
        return "video"
    return None


def check_redactable(item: EvidenceItem) -> str:
    kind = kind_of(item)
    if item.is_deleted:
        raise RedactionRefused(f"{item.number} is deleted; a deleted item is not copied.")
    if kind is None:
        what = item.file_type.label if item.file_type else f"a file of type {item.media_type}"
        raise RedactionRefused(
            f"{item.number} is {what}; Vigil redacts JPEG, PNG, WebP and GIF pictures "
            "and MP4, MOV, WebM, MKV and AVI clips."
        )
    return kind


def parse_areas(text: str, size: FrameSize) -> tuple[Area, ...]:
    """Areas written one a line as "x, y, width, height" (the page's script writes them)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"areas": "Mark at least one area to hide."})
    if len(lines) > MAX_AREAS:
        raise ValidationError({"areas": f"At most {MAX_AREAS} areas in one copy."})
    return tuple(_area(number, line, size) for number, line in enumerate(lines, start=1))


def _area(number: int, line: str, size: FrameSize) -> Area:
    values = [part for part in re.split(r"[\s,;]+", line) if part]
    if len(values) != 4 or not all(_NUMBER.fullmatch(value) for value in values):
        raise ValidationError(
            {"areas": f'Area {number}: "{line}" is not four numbers: x, y, width, height.'}
        )
    x, y, width, height = (round(float(value)) for value in values)
    if width < 1 or height < 1:
        raise ValidationError({"areas": f"Area {number}: width and height must be at least 1."})
    if x < 0 or y < 0 or x + width > size.width or y + height > size.height:
        raise ValidationError(
            {
                "areas": f"Area {number} ({x}, {y}, {width} {BY} {height}) goes outside the "
                f"{size.width:,} {BY} {size.height:,} px frame."
            }
        )
    return Area(x, y, width, height)


def parse_redaction(data: Mapping[str, Any], size: FrameSize, *, kind: str) -> Redaction:
    """The form's areas, style and (for a clip) time range, or every field's error at once."""
    errors: dict[str, list[str]] = {}
    areas: tuple[Area, ...] = ()
    try:
        areas = parse_areas(str(data.get("areas", "")), size)
    except ValidationError as error:
        errors.update(error.message_dict)
    style_value = str(data.get("style", "") or RedactionStyle.BLUR)
    if style_value not in RedactionStyle.values:
        errors["style"] = ["Choose blur or a solid box."]
    start_s = end_s = None
    if kind == "video":
        start_s = _time_field(data, "start_s", errors)
        end_s = _time_field(data, "end_s", errors)
        _check_range(start_s, end_s, size.duration_s, errors)
    if errors:
        raise ValidationError(errors)
    return Redaction(areas, RedactionStyle(style_value), start_s, end_s)


def _time_field(data: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> float | None:
    raw = str(data.get(name, "") or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        errors[name] = [f'"{raw}" is not a number of seconds.']
        return None
    if not 0 <= value < 10**7:
        errors[name] = ["Give seconds from the start of the clip (0 or more)."]
        return None
    return value


def _check_range(
    start_s: float | None,
    end_s: float | None,
    duration_s: float | None,
    errors: dict[str, list[str]],
) -> None:
    if start_s is not None and end_s is not None and end_s <= start_s:
        errors["end_s"] = ["The end must come after the start."]
    if duration_s is not None and start_s is not None and start_s >= duration_s:
        errors["start_s"] = [f"The clip is only {_seconds(duration_s)} long."]


# --- reading the original ----------------------------------------------------------------


def image_of(item: EvidenceItem, store: EvidenceStore | None = None) -> np.ndarray:
    """The photo's pixels (BGR), turned as its EXIF orientation says, as a browser shows it."""
    with (store or store_from_settings()).open(item.sha256) as source:
        data = source.read()
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise RedactionRefused(f"{item.number}'s picture could not be decoded.")
    return np.asarray(image, dtype=np.uint8)


@contextlib.contextmanager
def local_file(item: EvidenceItem, store: EvidenceStore | None = None) -> Iterator[Path]:
    """A path to the item's bytes: the file itself in a local store (opened read-only by the
    caller), else a private temporary copy under the data directory, removed afterwards."""
    store = store or store_from_settings()
    if isinstance(store, LocalEvidenceStore):
        yield store.path_for(item.sha256)
        return
    with scratch_dir() as folder:
        target = folder / "original"
        with store.open(item.sha256) as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        yield target


@contextlib.contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private folder under the data directory, removed afterwards; inside a task run it
    is the run's scratch too, so a worker killed midway leaves nothing behind for good."""
    root = Path(settings.DATA_DIR) / "redaction"
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root) as folder:
        taskruns.own_scratch(Path(folder))
        yield Path(folder)


def clip_size(path: Path) -> FrameSize:
    """The clip's frame size and length, from its headers."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise RedactionRefused("The file has no video stream to redact.")
            stream = container.streams.video[0]
            _refuse_rotated(_rotation(container))
            duration = None
            if stream.duration is not None and stream.time_base is not None:
                duration = float(stream.duration * stream.time_base)
            elif container.duration is not None:
                duration = container.duration / av.time_base
            return FrameSize(stream.codec_context.width, stream.codec_context.height, duration)
    except av.FFmpegError as error:
        raise RedactionRefused(f"The clip could not be read: {error}") from None


def _rotation(container: Any) -> int:
    """Degrees the first frame is to be turned for showing (a phone held upright)."""
    for frame in container.decode(video=0):
        return int(getattr(frame, "rotation", 0) or 0)
    return 0


def _refuse_rotated(degrees: int) -> None:
    # A browser shows such a clip turned, so the areas drawn on it would not fall where they
    # were drawn on the stored frames: refused rather than leave a face uncovered.
    if degrees % 360:
        raise RedactionRefused(
            f"The clip is stored turned by {degrees}° and shown upright; Vigil cannot redact "
            "a turned clip yet. Add an upright working copy (transcoded) and redact that."
        )


def size_of(item: EvidenceItem, kind: str, store: EvidenceStore | None = None) -> FrameSize:
    if kind == "image":
        height, width = image_of(item, store).shape[:2]
        return FrameSize(width, height)
    with local_file(item, store) as path:
        return clip_size(path)


# --- hiding the areas --------------------------------------------------------------------


def hide(image: np.ndarray, areas: tuple[Area, ...], style: RedactionStyle) -> np.ndarray:
    """A copy of ``image`` with every area blurred beyond recognition or filled black.

    The blur is a coarse mosaic blurred again: a plain Gaussian blur of a face can be partly
    undone, a mosaic of blocks a sixth of the area wide keeps no detail to recover."""
    canvas = image.copy()
    for area in areas:
        region = canvas[area.y : area.y + area.height, area.x : area.x + area.width]
        if style == RedactionStyle.SOLID:
            region[:] = SOLID_COLOUR
        else:
            region[:] = _mosaic(region)
    return canvas


def _mosaic(region: np.ndarray) -> np.ndarray:
    height, width = region.shape[:2]
    block = max(8, max(width, height) // 6)
    small = cv2.resize(
        region,
        (max(1, width // block), max(1, height // block)),
        interpolation=cv2.INTER_AREA,
    )
    coarse = cv2.resize(small, (width, height), interpolation=cv2.INTER_NEAREST)
    kernel = block | 1  # odd
    return np.asarray(cv2.GaussianBlur(coarse, (kernel, kernel), 0), dtype=np.uint8)


# --- face suggestions --------------------------------------------------------------------


@cache
def face_finder() -> Any:
    """OpenCV's frontal-face Haar cascade when the installed OpenCV ships it, else None."""
    folder = getattr(getattr(cv2, "data", None), "haarcascades", "")
    path = Path(folder) / "haarcascade_frontalface_default.xml" if folder else None
    if path is None or not path.is_file():
        logger.info("no Haar face cascade in the installed OpenCV; face suggestions are off")
        return None
    finder = cv2.CascadeClassifier(str(path))  # type: ignore[attr-defined]
    return None if finder.empty() else finder


def suggest_faces(image: np.ndarray, finder: Any = None) -> list[Area]:
    """Boxes around the faces the cascade finds, widened a little and kept inside the frame."""
    finder = finder if finder is not None else face_finder()
    if finder is None:
        return []
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    found = finder.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24))
    height, width = image.shape[:2]
    areas = []
    for x, y, w, h in found:
        pad = round(0.15 * max(w, h))
        left, top = max(0, int(x) - pad), max(0, int(y) - pad)
        right, bottom = min(width, int(x + w) + pad), min(height, int(y + h) + pad)
        areas.append(Area(left, top, right - left, bottom - top))
    return areas[:MAX_AREAS]


# --- making the copy ---------------------------------------------------------------------


def redact_image(
    user: User, item: EvidenceItem, redaction: Redaction, store: EvidenceStore | None = None
) -> EvidenceItem:
    """The redacted copy of a photo, taken into the vault as a derived item."""
    require(user, Capability.INVESTIGATE)
    if check_redactable(item) != "image":
        raise RedactionRefused(f"{item.number} is not a picture.")
    store = store or store_from_settings()
    image = hide(image_of(item, store), redaction.areas, redaction.style)
    suffix, media_type, params = IMAGE_FORMATS[item.media_type]
    ok, encoded = cv2.imencode(suffix, image, params)
    if not ok:
        raise RedactionRefused("The redacted picture could not be encoded.")
    data = encoded.tobytes()
    notes = "Metadata (EXIF, GPS) not copied."
    return add_copy(
        user, item, io.BytesIO(data), len(data), redaction, suffix, media_type, notes, store
    )


def redact_clip(
    source: Path,
    target: Path,
    redaction: Redaction,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, bool]:
    """Write ``source`` to ``target`` as H.264 MP4 with the areas hidden in the frames the
    time range covers; every frame keeps its timestamp. (Frames written, had sound.)"""
    with av.open(str(source)) as inp:
        stream = inp.streams.video[0]
        stream.thread_type = "AUTO"
        had_sound = bool(inp.streams.audio)
        total = stream.frames or 0
        base = stream.time_base
        origin = float(stream.start_time * base) if stream.start_time and base else 0.0
        with av.open(str(target), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            encoder = _encoder_for(out, stream)
            written = _copy_frames(inp, stream, out, encoder, redaction, origin, total, progress)
            out.mux(encoder.encode(None))
    return written, had_sound


def _encoder_for(out: Any, stream: Any) -> Any:
    rate = stream.average_rate or stream.guessed_rate or Fraction(25)
    encoder = out.add_stream("libx264", rate=Fraction(rate).limit_denominator(1000))
    width, height = stream.codec_context.width, stream.codec_context.height
    encoder.width, encoder.height = width - width % 2, height - height % 2  # yuv420p: even
    encoder.pix_fmt = "yuv420p"
    encoder.time_base = stream.time_base
    encoder.options = {"preset": "veryfast", "crf": "20"}
    return encoder


def _copy_frames(
    inp: Any,
    stream: Any,
    out: Any,
    encoder: Any,
    redaction: Redaction,
    origin: float,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> int:
    written, last_pts = 0, -1
    for frame in inp.decode(stream):
        at = None if frame.time is None else frame.time - origin
        image = frame.to_ndarray(format="bgr24")[: encoder.height, : encoder.width]
        if redaction.covers(at):
            image = hide(image, redaction.areas, redaction.style)
        copy = av.VideoFrame.from_ndarray(np.ascontiguousarray(image), format="bgr24")
        pts = frame.pts if frame.pts is not None and frame.pts > last_pts else last_pts + 1
        copy.pts, copy.time_base, last_pts = pts, stream.time_base, pts
        out.mux(encoder.encode(copy))
        written += 1
        if progress is not None and written % 25 == 0:
            progress(written, max(total, written))
    return written


def add_copy(
    user: User,
    original: EvidenceItem,
    body: Any,
    size: int,
    redaction: Redaction,
    suffix: str,
    media_type: str,
    notes: str,
    store: EvidenceStore | None = None,
) -> EvidenceItem:
    """Take the redacted bytes in as a new item derived from ``original``, and note the copy
    in the original's custody log."""
    copy = EvidenceItem(
        created_by=user,
        sha256="0" * 64,
        size=0,
        store=original.store,
        incident=original.incident,
        case=original.case,
        source=original.source,
        acquired_by=str(user)[:200],
        acquired_at=timezone.now(),
        camera=original.camera,
        camera_clock_offset_s=original.camera_clock_offset_s,
        recorder_clock_offset_s=original.recorder_clock_offset_s,
        media_type=media_type,
        original_filename=copy_filename(original.original_filename, suffix),
        derived_from=original,
        derivation=Derivation.REDACTED,
        description=describe(user, original, redaction, notes),
    )
    copy.full_clean(exclude=["number", "sha256", "size", "stored_in"])
    copy = intake.receive(copy, body, size, store)
    custody.log(
        original,
        CustodyAction.VIEWED,
        purpose=f"Read to make the redacted copy {copy.number}; this item is unchanged.",
        details={
            "redacted_copy": copy.number,
            "areas": len(redaction.areas),
            "sha256": original.sha256,
        },
    )
    return copy


def copy_filename(name: str, suffix: str) -> str:
    stem = PurePosixPath(name).stem or "evidence"
    return f"{stem[: 255 - len(suffix) - 9]}-redacted{suffix}"


def describe(user: User, original: EvidenceItem, redaction: Redaction, notes: str) -> str:
    """The copy's description, also the purpose of its first custody event."""
    count = len(redaction.areas)
    done = "blurred" if redaction.style == RedactionStyle.BLUR else "covered with a solid box"
    when = f" {redaction.when_words()}" if original.is_video else ""
    areas = "; ".join(
        f"area {number}: {area.describe()}" for number, area in enumerate(redaction.areas, 1)
    )
    plural = "area" if count == 1 else "areas"
    return (
        f"Derived (redacted) from {original.number} by {user}: {count} {plural} {done}{when}"
        f" ({areas}). {notes} The original {original.number} is unchanged."
    )
