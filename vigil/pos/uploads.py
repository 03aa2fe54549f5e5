"""Uploading a POS data set as a ZIP: streamed to disk, size-limited, unpacked safely.

The ZIP holds the contract's tables (``transactions.csv``, ``line_items.parquet``, a folder
``line_items/`` of parts…), at its top level or inside one folder. Nothing else is unpacked:
an entry with an absolute path, ``..``, a link, or a name that is not a contract table is
refused, and so is a ZIP that would unpack to more than ``POS_UPLOAD_MAX_UNPACKED`` bytes
(a ZIP bomb). The upload and its unpacked folder live under ``$VIGIL_DATA_DIR/pos/uploads``
and are removed when the upload is refused.
"""

from __future__ import annotations

import shutil
import stat
import uuid
import zipfile
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings

from vigil.engines.pos.contract import BY_NAME
from vigil.pos.imports import ImportRefused

READ_SIZE = 1024 * 1024
MAX_ENTRIES = 10_000


def uploads_root() -> Path:
    return Path(settings.DATA_DIR) / "pos" / "uploads"


def max_upload_bytes() -> int:
    return int(getattr(settings, "POS_UPLOAD_MAX_BYTES", 2 * 1024**3))


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "POS_UPLOAD_MAX_UNPACKED", 20 * 1024**3))


def receive(body: BinaryIO, content_length: int | None) -> Path:
    """Unpack the uploaded ZIP into a new folder and return it (the ZIP itself is removed)."""
    limit = max_upload_bytes()
    if content_length is None:
        raise ImportRefused("Send the ZIP as the request body, with a Content-Length.")
    if content_length <= 0 or content_length > limit:
        raise ImportRefused(f"The ZIP must be between 1 byte and {limit:,} bytes.")
    root = uploads_root()
    root.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    archive, folder = root / f"{name}.zip", root / name
    try:
        _save(body, content_length, archive)
        unpack(archive, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        archive.unlink(missing_ok=True)
    return folder


def _save(body: BinaryIO, length: int, target: Path) -> None:
    remaining = length
    with target.open("xb") as out:
        while remaining > 0:
            try:
                chunk = body.read(min(READ_SIZE, remaining))
            except OSError:
                chunk = b""
            if not chunk:
                raise ImportRefused(
                    f"The upload was cut off after {length - remaining:,} of {length:,} bytes; "
                    "nothing was kept. Send it again."
                )
            out.write(chunk)
            remaining -= len(chunk)


def unpack(archive: Path, folder: Path) -> None:
    """Unpack only contract tables, checking every entry before writing any."""
    try:
        with zipfile.ZipFile(archive) as opened:
            entries = [info for info in opened.infolist() if not info.is_dir()]
            targets = _plan(entries)
            folder.mkdir()
            for info, relative in targets:
                destination = folder / relative
                destination.parent.mkdir(parents=True, exist_ok=True)
                with opened.open(info) as source, destination.open("xb") as out:
                    shutil.copyfileobj(source, out, READ_SIZE)
    except zipfile.BadZipFile:
        raise ImportRefused("The upload is not a ZIP file (or it is damaged).") from None


def _plan(entries: list[zipfile.ZipInfo]) -> list[tuple[zipfile.ZipInfo, Path]]:
    if not entries:
        raise ImportRefused("The ZIP is empty.")
    if len(entries) > MAX_ENTRIES:
        raise ImportRefused(f"The ZIP holds more than {MAX_ENTRIES:,} files.")
    if sum(info.file_size for info in entries) > max_unpacked_bytes():
        raise ImportRefused("The ZIP would unpack to more than the allowed size.")
    parts = [_checked(info) for info in entries]
    prefixes = {
        path.parts[0] for path in parts if len(path.parts) > 1 and _table(path) != path.parts[0]
    }
    strip = len(prefixes) == 1 and all(len(path.parts) > 1 for path in parts)
    plan = []
    for info, path in zip(entries, parts, strict=True):
        relative = PurePosixPath(*path.parts[1:]) if strip else path
        if _table(relative) is None:
            raise ImportRefused(
                f"{info.filename}: not a table of the POS data contract "
                "(expected e.g. transactions.csv, line_items.parquet or line_items/part-1.parquet)"
            )
        plan.append((info, Path(*relative.parts)))
    return plan


def _checked(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":"):
        raise ImportRefused(f"{info.filename}: a path outside the ZIP's folder is refused.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ImportRefused(f"{info.filename}: links are refused.")
    return path


def _table(path: PurePosixPath) -> str | None:
    """The contract table an entry belongs to, or None."""
    if len(path.parts) == 1 and path.suffix in {".csv", ".parquet"} and path.stem in BY_NAME:
        return path.stem
    if len(path.parts) == 2 and path.parts[0] in BY_NAME and path.suffix == ".parquet":
        return path.parts[0]
    return None
