"""Uploading a POS data set as a ZIP: streamed to disk, size-limited, unpacked safely.

The ZIP holds the contract's tables (``transactions.csv``, ``line_items.parquet``, a folder
``line_items/`` of parts…), at its top level or inside one folder. Nothing else is unpacked:
an entry with an absolute path, ``..``, a link, or a name that is not a contract table is
refused. So is a ZIP bomb: limits an operator sets (``VIGIL_POS_ZIP_*``, docs/configuration.md,
"Upload limits") cap the number of members, each member's size, the total, and how much
more a member unpacks to than it takes in the ZIP. They are checked against the sizes the
ZIP declares before anything is written, and again against the bytes actually written, since
declared sizes can lie. The upload and its unpacked folder live under
``$VIGIL_DATA_DIR/pos/uploads`` and are removed when the upload is refused. Refusals name the
member and the limit, never a path on the server.
"""

from __future__ import annotations

import bisect
import shutil
import stat
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from django.conf import settings

from vigil.engines.pos.contract import BY_NAME
from vigil.pos.imports import ImportRefused

READ_SIZE = 1024 * 1024
# bzip2 and LZMA decompress a whole read at once, however big it comes out, so a small
# member could fill the server's memory before a byte is counted; Deflate (what every ZIP
# tool uses by default) and no compression are read in bounded pieces.
READABLE_METHODS = {zipfile.ZIP_STORED: "none", zipfile.ZIP_DEFLATED: "Deflate"}
ENCRYPTED_FLAG = 0x1
NOTHING_KEPT = "nothing was kept"


@dataclass(frozen=True)
class ZipLimits:
    """What an uploaded ZIP may unpack to; each field is the setting named in its refusals."""

    unpacked: int
    member_bytes: int
    members: int
    ratio: int

    @classmethod
    def from_settings(cls) -> ZipLimits:
        """Read at each upload rather than at import, so a settings override (tests) applies."""
        return cls(
            unpacked=settings.POS_ZIP_MAX_UNPACKED,
            member_bytes=settings.POS_ZIP_MAX_MEMBER_BYTES,
            members=settings.POS_ZIP_MAX_MEMBERS,
            ratio=settings.POS_ZIP_MAX_RATIO,
        )


@dataclass(frozen=True)
class Member:
    """One table to unpack: its name in the ZIP, where it goes, and what the ZIP says of it.

    ``declared`` is kept here, when the ZIP is planned, so nothing that happens to the
    ``ZipInfo`` later changes what the written bytes are compared with. ``compressed`` is the
    most compressed bytes the member can really have (see :func:`_room`).
    """

    info: zipfile.ZipInfo
    target: Path
    declared: int
    compressed: int

    @property
    def name(self) -> str:
        return self.info.filename


def uploads_root() -> Path:
    return Path(settings.DATA_DIR) / "pos" / "uploads"


def max_upload_bytes() -> int:
    return settings.POS_UPLOAD_MAX_BYTES


def receive(body: BinaryIO, content_length: int | None) -> Path:
    """Unpack the uploaded ZIP into a new folder and return it (the ZIP itself is removed)."""
    limit = max_upload_bytes()
    if content_length is None:
        raise ImportRefused("Send the ZIP as the request body, with a Content-Length.")
    if content_length <= 0 or content_length > limit:
        raise ImportRefused(
            f"The ZIP must be between 1 byte and {limit:,} bytes "
            f"(VIGIL_POS_UPLOAD_MAX_BYTES); {NOTHING_KEPT}."
        )
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
                    f"{NOTHING_KEPT}. Send it again."
                )
            try:
                out.write(chunk)
            except OSError as error:  # str(error) would name the file on the server
                raise ImportRefused(
                    f"The server could not store the ZIP ({error.strerror}); {NOTHING_KEPT}."
                ) from None
            remaining -= len(chunk)


def unpack(archive: Path, folder: Path) -> None:
    """Unpack only contract tables into ``folder`` (made here), within the ZIP limits.

    Every entry and its declared sizes are checked before anything is written; the bytes
    actually written are then counted against the same limits. The caller removes ``folder``
    when this refuses.
    """
    limits = ZipLimits.from_settings()
    with _opened(archive) as opened:
        members = _plan(opened, archive.stat().st_size, limits)
        folder.mkdir()
        total = 0
        for member in members:
            try:
                total += _extract(opened, member, folder / member.target, total, limits)
            except OSError as error:  # str(error) would name the file on the server
                raise ImportRefused(
                    f"{member.name}: could not be written on the server ({error.strerror}); "
                    f"{NOTHING_KEPT}."
                ) from None


@contextmanager
def _opened(archive: Path) -> Iterator[zipfile.ZipFile]:
    """The ZIP, or a refusal when its table of contents cannot be read. Damage inside one
    member is found (and named) only when that member is read."""
    try:
        opened = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise ImportRefused(
            f"The upload is not a ZIP file (or its table of contents is damaged); {NOTHING_KEPT}."
        ) from None
    with opened:
        yield opened


def _plan(opened: zipfile.ZipFile, archive_size: int, limits: ZipLimits) -> list[Member]:
    """The members to unpack, refused as a whole if any entry or declared size is wrong."""
    entries = [info for info in opened.infolist() if not info.is_dir()]
    if not entries:
        raise ImportRefused("The ZIP is empty.")
    if len(entries) > limits.members:
        raise ImportRefused(
            f"The ZIP holds {len(entries):,} files, more than {limits.members:,} "
            f"(VIGIL_POS_ZIP_MAX_MEMBERS); {NOTHING_KEPT}."
        )
    starts = sorted({info.header_offset for info in opened.infolist()} | {archive_size})
    members = [
        Member(info, target, info.file_size, min(info.compress_size, _room(info, starts)))
        for info, target in _targets(entries)
    ]
    _check_declared(members, limits)
    return members


def _room(info: zipfile.ZipInfo, starts: list[int]) -> int:
    """How many bytes lie between this member's header and the next one (or the ZIP's end).

    The declared compressed size can lie to make a bomb look tame; where the member sits in
    the file cannot, so the ratio is measured against the smaller of the two.
    """
    following = bisect.bisect_right(starts, info.header_offset)
    return starts[following] - info.header_offset if following < len(starts) else 0


def _targets(entries: list[zipfile.ZipInfo]) -> list[tuple[zipfile.ZipInfo, Path]]:
    """Where each entry goes, the one folder around them all taken off; only contract tables."""
    parts = [_checked(info) for info in entries]
    prefixes = {
        path.parts[0] for path in parts if len(path.parts) > 1 and _table(path) != path.parts[0]
    }
    strip = len(prefixes) == 1 and all(len(path.parts) > 1 for path in parts)
    targets: list[tuple[zipfile.ZipInfo, Path]] = []
    seen: set[PurePosixPath] = set()
    for info, path in zip(entries, parts, strict=True):
        relative = PurePosixPath(*path.parts[1:]) if strip else path
        if _table(relative) is None:
            raise ImportRefused(
                f"{info.filename}: not a table of the POS data contract "
                "(expected e.g. transactions.csv, line_items.parquet or line_items/part-1.parquet)"
            )
        if relative in seen:
            raise ImportRefused(f"{info.filename}: is in the ZIP twice; {NOTHING_KEPT}.")
        seen.add(relative)
        targets.append((info, Path(*relative.parts)))
    return targets


def _checked(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or (len(name) > 1 and name[1] == ":"):
        raise ImportRefused(f"{info.filename}: a path outside the ZIP's folder is refused.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ImportRefused(f"{info.filename}: links are refused.")
    if info.flag_bits & ENCRYPTED_FLAG:
        raise ImportRefused(f"{info.filename}: is encrypted; upload a ZIP without a password.")
    if info.compress_type not in READABLE_METHODS:
        raise ImportRefused(
            f"{info.filename}: is compressed with a method Vigil does not unpack; "
            "make the ZIP with Deflate (the usual method) or no compression."
        )
    return path


def _table(path: PurePosixPath) -> str | None:
    """The contract table an entry belongs to, or None."""
    if len(path.parts) == 1 and path.suffix in {".csv", ".parquet"} and path.stem in BY_NAME:
        return path.stem
    if len(path.parts) == 2 and path.parts[0] in BY_NAME and path.suffix == ".parquet":
        return path.parts[0]
    return None


def _check_declared(members: list[Member], limits: ZipLimits) -> None:
    """Refuse before writing anything when the ZIP itself admits it breaks a limit."""
    total = 0
    for member in members:
        total += member.declared
        _check_limits(member, member.declared, total, limits)


def _check_limits(member: Member, size: int, total: int, limits: ZipLimits) -> None:
    """Refuse when ``member`` at ``size`` bytes (``total`` with those before it) breaks a limit.

    Used for the declared sizes and again for the bytes written, so both say the same thing.
    """
    if size > limits.member_bytes:
        raise ImportRefused(
            f"{member.name}: unpacks to more than {limits.member_bytes:,} bytes "
            f"(VIGIL_POS_ZIP_MAX_MEMBER_BYTES); {NOTHING_KEPT}."
        )
    if total > limits.unpacked:
        raise ImportRefused(
            f"{member.name}: takes the ZIP past {limits.unpacked:,} bytes unpacked in all "
            f"(VIGIL_POS_ZIP_MAX_UNPACKED); {NOTHING_KEPT}."
        )
    if size > limits.ratio * member.compressed:
        raise ImportRefused(
            f"{member.name}: unpacks to more than {limits.ratio:,} times its compressed size, "
            f"as a ZIP bomb does (VIGIL_POS_ZIP_MAX_RATIO); {NOTHING_KEPT}."
        )


def _extract(
    opened: zipfile.ZipFile, member: Member, destination: Path, before: int, limits: ZipLimits
) -> int:
    """Write one member, counting its bytes as they come; returns how many were written.

    Each piece is checked before it is written, so a member that breaks a limit stops with
    the limit's worth on disk at most (and the caller removes that).
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with _member_stream(opened, member) as source, destination.open("xb") as out:
        while chunk := _read(source, member):
            written += len(chunk)
            _check_written(member, written, before + written, limits)
            out.write(chunk)
    if written < member.declared:
        raise _damaged(member, f"it holds {written:,} of the {member.declared:,} bytes it declares")
    return written


def _check_written(member: Member, written: int, total: int, limits: ZipLimits) -> None:
    """The limits, against bytes really written. Python's zipfile stops a member at its
    declared size (and then fails its CRC check), so this is the guard that does not depend
    on that."""
    _check_limits(member, written, total, limits)
    if written > member.declared:
        raise _damaged(member, f"it holds more than the {member.declared:,} bytes it declares")


@contextmanager
def _member_stream(opened: zipfile.ZipFile, member: Member) -> Iterator[IO[bytes]]:
    """The member's bytes; its local header is read here, and damage there names it."""
    try:
        source = opened.open(member.info)
    except zipfile.BadZipFile as error:
        raise _damaged(member, f"its header is unreadable: {error}") from None
    with source:
        yield source


def _read(source: IO[bytes], member: Member) -> bytes:
    """The next piece of the member, or a refusal that names it when its data is damaged."""
    try:
        return source.read(READ_SIZE)
    except zipfile.BadZipFile as error:  # zipfile's only error while reading: a bad CRC
        reason = "CRC check failed" if "CRC" in str(error) else str(error)
        raise _damaged(member, reason) from None
    except (zlib.error, EOFError):
        raise _damaged(member, "its compressed data is corrupt or cut short") from None


def _damaged(member: Member, reason: str) -> ImportRefused:
    return ImportRefused(
        f"{member.name}: damaged in the ZIP ({reason}); {NOTHING_KEPT}. "
        "Make the ZIP again and upload it."
    )
