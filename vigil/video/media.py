"""Snapshots and clips received with alerts, kept by their SHA-256 under the data directory.

Names are the hash, never anything a sender chose, so no path comes from input. Clips stream
in with a size limit (``VIGIL_VIDEO_CLIP_MAX_BYTES``, 200 MiB by default) and are hashed as
they arrive; a cut-off or oversized upload leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from vigil.evidence.storage import human_size

READ_SIZE = 1 << 16
HEX = re.compile(r"^[0-9a-f]{64}$")
KINDS = {"snapshot": ".jpg", "clip": ".mp4"}


class MediaRefused(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "video"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(kind: str, sha256: str) -> Path:
    if not HEX.match(sha256):
        raise ValueError("not a SHA-256")
    return folder() / f"{sha256}{KINDS[kind]}"


def save_bytes(kind: str, data: bytes) -> str:
    """Keep ``data`` (a small snapshot); its SHA-256."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = path_of(kind, sha256)
    if not target.exists():
        _publish(kind, data, target)
    return sha256


def save_stream(kind: str, body: BinaryIO, length: int | None) -> tuple[str, int]:
    """Stream exactly ``length`` bytes in, hashing as they come; (SHA-256, size)."""
    limit = int(settings.VIDEO_CLIP_MAX_BYTES)
    if length is None:
        raise MediaRefused(411, "Send the clip as the request body with a Content-Length.")
    if length <= 0:
        raise MediaRefused(400, "The clip is empty.")
    if length > limit:
        raise MediaRefused(413, f"The clip is larger than the {human_size(limit)} limit.")
    digest = hashlib.sha256()
    handle, temporary = tempfile.mkstemp(dir=folder(), suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            remaining = length
            while remaining:
                chunk = body.read(min(READ_SIZE, remaining))
                if not chunk:
                    raise MediaRefused(400, "The clip upload was cut off; nothing was kept.")
                digest.update(chunk)
                out.write(chunk)
                remaining -= len(chunk)
        sha256 = digest.hexdigest()
        target = path_of(kind, sha256)
        if not target.exists():
            os.replace(temporary, target)
            target.chmod(0o444)
    finally:
        Path(temporary).unlink(missing_ok=True)
    return sha256, length


def _publish(kind: str, data: bytes, target: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=folder(), suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)
    target.chmod(0o444)
