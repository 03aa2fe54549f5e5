"""Photos taken on floor walks and of fixes, kept by their SHA-256 under
``DATA_DIR/audits`` (see ``vigil.core.blobs``)."""

from __future__ import annotations

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
