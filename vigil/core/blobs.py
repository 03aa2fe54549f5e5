"""Small write-once files kept by their SHA-256 under the data directory: camera snapshots and
clips, audit and hazard photos. (Evidence has its own vault, with custody; these become
evidence only when someone escalates them.)

Names are the hash, never anything a sender chose, so no path comes from input. Uploads
stream in with a size limit and are hashed as they arrive; a cut-off or oversized upload
leaves nothing behind. Files are read-only once in place.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings

from vigil.evidence.storage import human_size

READ_SIZE = 1 << 16
HEX = re.compile(r"^[0-9a-f]{64}$")


class BlobRefused(Exception):
    """An upload that was not kept; ``status`` is the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class BlobStore:
    """One kind of file: where it lives, its suffix and media type, and its size limit."""

    folder_name: str  # under DATA_DIR
    suffix: str
    content_type: str
    max_bytes: Callable[[], int]
    noun: str = "file"

    def folder(self) -> Path:
        path = Path(settings.DATA_DIR) / self.folder_name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def path_of(self, sha256: str) -> Path:
        if not HEX.match(sha256):
            raise ValueError("not a SHA-256")
        return self.folder() / f"{sha256}{self.suffix}"

    def save_bytes(self, data: bytes) -> str:
        """Keep ``data``; its SHA-256."""
        if len(data) > self.max_bytes():
            raise BlobRefused(413, self._too_large())
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_of(sha256)
        if not target.exists():
            handle, temporary = tempfile.mkstemp(dir=self.folder(), suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            self._publish(Path(temporary), target)
        return sha256

    def save_stream(self, body: BinaryIO, length: int | None) -> tuple[str, int]:
        """Stream exactly ``length`` bytes in, hashing as they come; (SHA-256, size)."""
        if length is None:
            raise BlobRefused(
                411, f"Send the {self.noun} as the request body with a Content-Length."
            )
        if length <= 0:
            raise BlobRefused(400, f"The {self.noun} is empty.")
        if length > self.max_bytes():
            raise BlobRefused(413, self._too_large())
        digest = hashlib.sha256()
        handle, temporary = tempfile.mkstemp(dir=self.folder(), suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                remaining = length
                while remaining:
                    chunk = body.read(min(READ_SIZE, remaining))
                    if not chunk:
                        raise BlobRefused(
                            400, f"The {self.noun} upload was cut off; nothing was kept."
                        )
                    digest.update(chunk)
                    out.write(chunk)
                    remaining -= len(chunk)
            sha256 = digest.hexdigest()
            target = self.path_of(sha256)
            if not target.exists():
                self._publish(Path(temporary), target)
        finally:
            Path(temporary).unlink(missing_ok=True)
        return sha256, length

    def _publish(self, temporary: Path, target: Path) -> None:
        os.replace(temporary, target)
        target.chmod(0o400)  # write-once, and Vigil's own user's alone

    def _too_large(self) -> str:
        return f"The {self.noun} is larger than the {human_size(self.max_bytes())} limit."
