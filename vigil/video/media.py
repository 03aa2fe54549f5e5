"""Where alerts' snapshots and clips are kept: content-addressed under ``DATA_DIR/video``
(see ``vigil.core.blobs``), clips up to ``VIGIL_VIDEO_CLIP_MAX_BYTES``."""

from __future__ import annotations

from django.conf import settings

from vigil.core.blobs import BlobStore

SNAPSHOT_MAX_BYTES = 4 * 1024**2

SNAPSHOTS = BlobStore("video", ".jpg", "image/jpeg", lambda: SNAPSHOT_MAX_BYTES, noun="snapshot")
CLIPS = BlobStore(
    "video", ".mp4", "video/mp4", lambda: int(settings.VIDEO_CLIP_MAX_BYTES), noun="clip"
)
KINDS = {"snapshot": SNAPSHOTS, "clip": CLIPS}
