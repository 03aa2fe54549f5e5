"""A clip's frame rate, read from its MP4 / QuickTime boxes, for stepping frame by frame.

An investigator steps through a theft one frame at a time; a step must be one frame of
*this* clip (CCTV records at 5, 10, 12.5 or 25 fps, not the 30 a phone does). MP4 and MOV
files say it in their ``moov`` box: each video track's ``mdhd`` gives the time scale and its
``stts`` table how many samples last how many ticks, so the average rate is
``samples * timescale / ticks``.

Only the box headers and the ``moov`` box are read (with ranged reads, so a clip whose
``moov`` sits after gigabytes of ``mdat`` costs a few small reads), never the pictures. Any
other format, a fragmented MP4 with an empty ``stts``, or a damaged file gives None, and the
viewer steps 1/30 s instead.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Callable, Iterator

logger = logging.getLogger(__name__)

ReadAt = Callable[[int, int], bytes]  # (offset, length) -> at most length bytes
MAX_MOOV_BYTES = 32 * 1024 * 1024
MAX_TOP_LEVEL_BOXES = 64
ISO_MEDIA_TYPES = frozenset({"video/mp4", "video/quicktime"})


def frame_rate(read_at: ReadAt, size: int) -> float | None:
    """Frames per second of the first video track of an MP4/MOV of ``size`` bytes, or None."""
    try:
        moov = _moov(read_at, size)
        if moov is None:
            return None
        for track in _children(moov, b"trak"):
            rate = _track_rate(track)
            if rate is not None:
                return rate
    except (struct.error, ValueError) as error:
        logger.info("no frame rate in this clip: %s", error)
    return None


def _moov(read_at: ReadAt, size: int) -> bytes | None:
    offset = 0
    for _ in range(MAX_TOP_LEVEL_BOXES):
        if offset + 8 > size:
            return None
        header = read_at(offset, 16)
        box_size, kind, header_size = _box_header(header, size - offset)
        if kind == b"moov":
            if box_size > MAX_MOOV_BYTES:
                return None
            return read_at(offset + header_size, box_size - header_size)
        offset += box_size
    return None


def _box_header(header: bytes, room: int) -> tuple[int, bytes, int]:
    """(size of the whole box, its four-letter type, size of its header)."""
    box_size, kind = struct.unpack(">I4s", header[:8])
    header_size = 8
    if box_size == 1:
        (box_size,) = struct.unpack(">Q", header[8:16])
        header_size = 16
    elif box_size == 0:
        box_size = room  # the box runs to the end of the file
    if box_size < header_size or box_size > room:
        raise ValueError(f"box {kind!r} claims {box_size} bytes")
    return box_size, kind, header_size


def _boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(type, payload) of each box laid end to end in ``data``."""
    offset = 0
    while offset + 8 <= len(data):
        box_size, kind, header_size = _box_header(data[offset : offset + 16], len(data) - offset)
        yield kind, data[offset + header_size : offset + box_size]
        offset += box_size


def _children(data: bytes, wanted: bytes) -> Iterator[bytes]:
    return (payload for kind, payload in _boxes(data) if kind == wanted)


def _child(data: bytes, *path: bytes) -> bytes | None:
    for wanted in path:
        found = next(_children(data, wanted), None)
        if found is None:
            return None
        data = found
    return data


def _track_rate(track: bytes) -> float | None:
    media = _child(track, b"mdia")
    if media is None:
        return None
    handler = _child(media, b"hdlr")
    if handler is None or handler[8:12] != b"vide":
        return None  # a sound or subtitle track
    header = _child(media, b"mdhd")
    table = _child(media, b"minf", b"stbl", b"stts")
    if header is None or table is None:
        return None
    samples, ticks = _sample_times(table)
    timescale = _timescale(header)
    if not samples or not ticks or not timescale:
        return None
    return round(samples * timescale / ticks, 3)


def _timescale(mdhd: bytes) -> int:
    at = 20 if mdhd[0] == 1 else 12  # version 1 has 64-bit creation and modification times
    (timescale,) = struct.unpack(">I", mdhd[at : at + 4])
    return int(timescale)


def _sample_times(stts: bytes) -> tuple[int, int]:
    """(number of samples, their total duration in ticks) from a time-to-sample table."""
    (entries,) = struct.unpack(">I", stts[4:8])
    samples = ticks = 0
    for index in range(min(entries, (len(stts) - 8) // 8)):
        count, delta = struct.unpack(">II", stts[8 + 8 * index : 16 + 8 * index])
        samples += count
        ticks += count * delta
    return samples, ticks
