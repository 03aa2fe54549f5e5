"""Photos from the phone's camera (floor-walk findings, fixes, hazards), kept by their SHA-256
under ``DATA_DIR/audits`` (see ``vigil.core.blobs``). The page sends the picture as the raw
request body; it is streamed in with a size limit, and its first bytes must show a picture
(JPEG, PNG, GIF, WebP or HEIC; see ``vigil.evidence.filetypes``) before anything is kept."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest

from vigil.core.blobs import BlobStore
from vigil.evidence.filetypes import (
    SNIFF_BYTES,
    FileKind,
    FileTypeRefused,
    Replayed,
    describe_kinds,
    detect,
    read_head,
)

PHOTO_MAX_BYTES = 20 * 1024**2  # a phone's full-resolution JPEG is 3-8 MB

PHOTOS = BlobStore("audits", ".img", "image/jpeg", lambda: PHOTO_MAX_BYTES, noun="photo")


def content_type_of(data: bytes) -> str | None:
    """The photo's media type from its first bytes; None when it is not a picture."""
    try:
        found = detect(data[:SNIFF_BYTES])
    except FileTypeRefused:
        return None
    return found.media_type if found.kind == FileKind.IMAGE else None


def check_photo(head: bytes) -> None:
    """Refuse a file whose first bytes are not a picture, saying what it is instead."""
    try:
        found = detect(head)
    except FileTypeRefused as refused:
        what = refused.what
    else:
        if found.kind == FileKind.IMAGE:
            return
        what = found.label
    pictures = describe_kinds([FileKind.IMAGE])
    raise ValidationError(f"That file is not a photo: it is {what}. Send {pictures}.")


def receive_photo(request: HttpRequest) -> str:
    """Keep the photo in the request body; its SHA-256. Not a picture: ValidationError."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    length = int(raw) if raw.isdigit() else None
    # Only a body of a size the store takes is looked at; any other is refused by it unread.
    head = read_head(request, length) if length and length <= PHOTO_MAX_BYTES else b""
    if head:
        check_photo(head)  # before a byte is kept: a refused file leaves nothing behind
    sha256, _ = PHOTOS.save_stream(Replayed(head, request), length)  # type: ignore[arg-type]
    return sha256


def photo_response(sha256: str) -> FileResponse:
    """The photo inline, with the media type its bytes show."""
    path = PHOTOS.path_of(sha256)
    with path.open("rb") as handle:
        content_type = content_type_of(handle.read(SNIFF_BYTES)) or "application/octet-stream"
    return FileResponse(path.open("rb"), content_type=content_type)
