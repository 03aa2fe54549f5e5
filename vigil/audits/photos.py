"""Photos from the phone's camera (floor-walk findings, fixes, hazards), kept by their SHA-256
under ``DATA_DIR/audits`` (see ``vigil.core.blobs``). The page sends the picture as the raw
request body; it is streamed in with a size limit and must start like a JPEG, PNG or HEIC."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest

from vigil.core.blobs import BlobStore

PHOTO_MAX_BYTES = 20 * 1024**2  # a phone's full-resolution JPEG is 3-8 MB
JPEG, PNG, HEIC = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"ftyphei"

PHOTOS = BlobStore("audits", ".img", "image/jpeg", lambda: PHOTO_MAX_BYTES, noun="photo")


def content_type_of(data: bytes) -> str | None:
    """The photo's media type from its first bytes; None when it is not a picture."""
    if data.startswith(JPEG):
        return "image/jpeg"
    if data.startswith(PNG):
        return "image/png"
    if data[4:11] == HEIC:
        return "image/heic"
    return None


def receive_photo(request: HttpRequest) -> str:
    """Keep the photo in the request body; its SHA-256. Not a picture: ValidationError."""
    raw = request.META.get("CONTENT_LENGTH") or ""
    sha256, _ = PHOTOS.save_stream(request, int(raw) if raw.isdigit() else None)  # type: ignore[arg-type]
    with PHOTOS.path_of(sha256).open("rb") as handle:
        if content_type_of(handle.read(16)) is None:
            raise ValidationError("That file is not a photo (JPEG, PNG or HEIC).")
    return sha256


def photo_response(sha256: str) -> FileResponse:
    """The photo inline, with the media type its bytes show."""
    path = PHOTOS.path_of(sha256)
    with path.open("rb") as handle:
        content_type = content_type_of(handle.read(16)) or "application/octet-stream"
    return FileResponse(path.open("rb"), content_type=content_type)
