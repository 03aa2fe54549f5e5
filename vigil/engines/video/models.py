"""Installed detector models, and the detector a camera config asks for.

Models live in ``$VIGIL_DATA_DIR/models/``: ``NAME.onnx`` with ``NAME.json`` beside it (its
SHA-256, where it came from, its labels). Installing copies a local file or fetches a URL, and
checks the SHA-256 before the model is usable; nothing is ever downloaded while analysing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from vigil.engines.video.config import DetectorConfig
from vigil.engines.video.detector import Detector, MotionOnly, OnnxDetector
from vigil.engines.video.errors import ModelError

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
WEAK_SHARE = 0.5  # weak detections, down to this share of min_confidence, keep tracks alive
CHUNK = 1 << 20
COCO_LABELS = Path(__file__).with_name("coco.names")


@dataclass(frozen=True)
class InstalledModel:
    name: str
    path: Path
    sha256: str
    source: str
    installed_at: str
    labels: list[str]
    family: str  # the output decoder: fastestdet, yolov5, yolox, yolov8


def models_dir() -> Path:
    """Where models are installed: ``$VIGIL_DATA_DIR/models`` (``./var/models`` by default)."""
    return Path(os.environ.get("VIGIL_DATA_DIR") or "var").expanduser().absolute() / "models"


def installed(folder: Path | None = None) -> list[InstalledModel]:
    folder = folder or models_dir()
    if not folder.is_dir():
        return []
    return [_read(meta) for meta in sorted(folder.glob("*.json"))]


def find(name: str, folder: Path | None = None) -> InstalledModel | None:
    folder = folder or models_dir()
    meta = folder / f"{name}.json"
    return _read(meta) if NAME.match(name) and meta.is_file() else None


def install(
    name: str,
    source: str,
    sha256: str | None = None,
    labels: Path | None = None,
    folder: Path | None = None,
) -> InstalledModel:
    """Copy ``source`` (a file path or an http(s) URL) in as model ``name``.

    A URL needs ``sha256``; a local file is hashed and, when ``sha256`` is given, checked.
    The file is written under a temporary name and renamed only once it checks out.
    """
    if not NAME.match(name):
        raise ModelError(name, "a model name is lower-case letters, digits, '.', '_' or '-'")
    remote = source.lower().startswith(("http://", "https://"))
    if remote and not sha256:
        raise ModelError(source, "a model fetched from a URL needs --sha256 to be checked against")
    folder = folder or models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            digest = _copy(source, out, remote)
        if sha256 and digest != sha256.lower():
            raise ModelError(source, f"SHA-256 is {digest}, expected {sha256.lower()}")
        label_list = _labels(labels)
        # Refuses a file it could not run, or whose output it could not decode.
        family = OnnxDetector(Path(temporary), label_list, wanted=label_list[:1]).name
        target = folder / f"{name}.onnx"
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    model = InstalledModel(
        name=name,
        path=target,
        sha256=digest,
        source=source,
        installed_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        labels=label_list,
        family=family,
    )
    meta = {k: v for k, v in model.__dict__.items() if k != "path"}
    (folder / f"{name}.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return model


def verify(model: InstalledModel) -> bool:
    """Whether the installed file still has the hash it was installed with."""
    with model.path.open("rb") as handle:
        return _hash(handle) == model.sha256


def detector_for(config: DetectorConfig, folder: Path | None = None) -> Detector:
    """The detector a config names: ``motion``, an installed model, or an ONNX file path."""
    if config.model == "motion":
        return MotionOnly()
    model = find(config.model, folder)
    if model is not None:
        if not verify(model):
            raise ModelError(
                config.model, "the installed file no longer matches its SHA-256; reinstall it"
            )
        path, labels = model.path, model.labels
    elif config.model.endswith(".onnx") or os.sep in config.model:
        path, labels = Path(config.model), _labels(None)
        if not path.is_file():
            raise ModelError("detector.model", f"no model file at {path}")
    else:
        names = ", ".join(m.name for m in installed(folder)) or "none"
        raise ModelError(
            "detector.model",
            f"no installed model named {config.model!r} (installed: {names}; "
            "install one with `vigil video models install NAME --from FILE`, or use 'motion')",
        )
    return OnnxDetector(
        path, labels, config.labels, min_confidence=config.min_confidence * WEAK_SHARE
    )


def _copy(source: str, out: BinaryIO, remote: bool) -> str:
    if remote:
        stream: BinaryIO = urllib.request.urlopen(source, timeout=60)  # noqa: S310 (http(s) only)
    else:
        if not Path(source).is_file():
            raise ModelError(source, "no such file")
        stream = Path(source).open("rb")  # noqa: SIM115 (closed below)
    with stream:
        return _hash(stream, out)


def _hash(stream: BinaryIO, out: BinaryIO | None = None) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
    return digest.hexdigest()


def _labels(path: Path | None) -> list[str]:
    """Class names, one a line: the given file, else COCO's 80 (what the shipped models use)."""
    text = (path or COCO_LABELS).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _read(meta: Path) -> InstalledModel:
    data = json.loads(meta.read_text(encoding="utf-8"))
    return InstalledModel(path=meta.with_suffix(".onnx"), **data)
