"""HTTP byte ranges (RFC 9110 §14) for evidence served to a browser.

A ``<video>`` element seeks by asking for ``Range: bytes=N-``; without an answer of
``206 Partial Content`` it has to fetch the whole clip from the start. This module reads one
``Range`` header into a :class:`ByteRange` and streams that slice of the stored bytes.

Only a single range is honoured, which is all that players and download managers send. A
header that is not a single well-formed byte range is ignored, as the RFC allows, and the
whole file is the answer (200); a well-formed range that starts past the end is
unsatisfiable (416). Evidence is content-addressed, so its SHA-256 is a strong ETag, and an
``If-Range`` naming any other validator gets the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

# Small enough that a seek answers at once, big enough that a whole clip is few reads.
STREAM_CHUNK = 256 * 1024
_SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    """The Range header is well formed but asks for bytes the file does not have."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the range is outside the file's {size} bytes")
        self.size = size


@dataclass(frozen=True)
class ByteRange:
    """Bytes ``start`` to ``end`` of a file, both included (as HTTP counts them)."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def parse_range(header: str, size: int) -> ByteRange | None:
    """The one byte range ``header`` asks for in a file of ``size`` bytes, or None for all.

    Raises :class:`RangeNotSatisfiable` when the range lies wholly outside the file.
    """
    match = _SINGLE_RANGE.match(header.replace(" ", ""))
    if match is None:
        return None  # absent, another unit, several ranges or nonsense: the whole file
    first, last = match.groups()
    if not first:
        return _suffix(int(last), size) if last else None
    start = int(first)
    if last and int(last) < start:
        return None  # "bytes=9-3" is invalid syntax, which the RFC says to ignore
    if start >= size:
        raise RangeNotSatisfiable(size)
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)


def _suffix(length: int, size: int) -> ByteRange:
    """``bytes=-n``: the last ``n`` bytes (all of them when the file is shorter)."""
    if length == 0 or size == 0:
        raise RangeNotSatisfiable(size)
    return ByteRange(max(size - length, 0), size - 1)


def requested_range(request: HttpRequest, size: int, etag: str) -> ByteRange | None:
    """The range ``request`` asks for, honouring ``If-Range``; None for the whole file."""
    header = request.headers.get("Range", "")
    if not header:
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        return None  # the caller's copy is of other bytes (or dated): send all of these
    return parse_range(header, size)


def stream(source: BinaryIO, length: int) -> Iterator[bytes]:
    """Yield ``length`` bytes of ``source`` in chunks, closing it when done or abandoned."""
    try:
        left = length
        while left > 0:
            chunk = source.read(min(STREAM_CHUNK, left))
            if not chunk:
                break  # the store holds fewer bytes than recorded; verify will say so
            left -= len(chunk)
            yield chunk
    finally:
        source.close()


def partial_response(
    source: BinaryIO, byte_range: ByteRange | None, size: int, content_type: str
) -> StreamingHttpResponse:
    """A 200 with every byte, or a 206 with the slice that ``source`` starts at."""
    length = size if byte_range is None else byte_range.length
    response = StreamingHttpResponse(stream(source, length), content_type=content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if byte_range is not None:
        response.status_code = 206
        response["Content-Range"] = byte_range.content_range(size)
    return response


def not_satisfiable(size: int) -> HttpResponse:
    """416, saying how long the file is, so a player can ask again correctly."""
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{size}"
    response["Accept-Ranges"] = "bytes"
    return response
