"""Evidence seen in place: photos, clips, recordings and PDFs on the item's own page.

The page picks a viewer from the media type Vigil read from the file's bytes at intake
(:mod:`vigil.evidence.filetypes`), never from its name, and only for types a browser shows by
itself; anything else is offered as a download, named in words. The bytes come from
:func:`evidence_view`, which answers HTTP ranges (:mod:`vigil.evidence.ranges`) so a clip
seeks without fetching it whole, and streams from the evidence store without holding the
file in memory. :func:`evidence_download` answers ranges too, so a broken download resumes.

Every view and download is a custody event, but a player's dozens of range requests are one
viewing: :func:`vigil.evidence.custody.log_access` writes one "viewed" per person per item per
:data:`~vigil.evidence.custody.VIEWING_SESSION`.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils.http import content_disposition_header
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from vigil.core.pages import signed_in_user
from vigil.core.scoping import get_visible_or_404
from vigil.evidence import custody
from vigil.evidence.framerate import ISO_MEDIA_TYPES, frame_rate
from vigil.evidence.models import CustodyAction, EvidenceItem
from vigil.evidence.ranges import (
    RangeNotSatisfiable,
    not_satisfiable,
    partial_response,
    requested_range,
)
from vigil.evidence.storage import EvidenceMissing, EvidenceStore, store_from_settings

logger = logging.getLogger(__name__)


class Viewer(StrEnum):
    """How the item's page shows the file."""

    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    PDF = "pdf"
    DOWNLOAD = "download"


# What every current browser shows by itself. HEIC photos, AVI and MKV clips are kept as
# evidence but most browsers cannot play them: those are downloads, said in words.
SHOWN_IN_PLACE: dict[str, Viewer] = {
    "image/jpeg": Viewer.IMAGE,
    "image/png": Viewer.IMAGE,
    "image/gif": Viewer.IMAGE,
    "image/webp": Viewer.IMAGE,
    "video/mp4": Viewer.VIDEO,
    "video/webm": Viewer.VIDEO,
    "video/quicktime": Viewer.VIDEO,
    "audio/mpeg": Viewer.AUDIO,
    "audio/x-wav": Viewer.AUDIO,
    "audio/mp4": Viewer.AUDIO,
    "audio/ogg": Viewer.AUDIO,
    "application/pdf": Viewer.PDF,
}
# A clip whose frame rate cannot be read steps by a 30 fps frame.
DEFAULT_FRAME_RATE = 30.0
# Pictures, sound and video are shown by the page that embeds them: the response itself may
# run nothing, load nothing, and is a sandboxed document if opened on its own.
MEDIA_POLICY = "default-src 'none'; sandbox; frame-ancestors 'self'"
# Chrome refuses to start its PDF viewer in a sandboxed document, whatever the sandbox
# allows, and its viewer page needs inline styles. The bytes were read as a PDF at intake and
# go out as application/pdf with nosniff, so no browser takes them for a page of our origin;
# scripts inside a PDF run in the viewer's own isolated context, not in Vigil's.
PDF_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
# Evidence is personal data: no copy on a shared till PC's disk, and every showing asks us.
NO_STORE = "no-store"


def viewer_of(item: EvidenceItem) -> Viewer:
    return SHOWN_IN_PLACE.get(item.media_type, Viewer.DOWNLOAD)


def _item(request: HttpRequest, number: str) -> EvidenceItem:
    return get_visible_or_404(EvidenceItem.objects.all(), signed_in_user(request), number=number)


@login_required
@require_GET
@xframe_options_sameorigin
def evidence_view(request: HttpRequest, evidence_number: str) -> HttpResponseBase:
    """The bytes for the page's viewer, inline, by range; a viewing is a custody event."""
    item = _item(request, evidence_number)
    viewer = viewer_of(item)
    inline = viewer is not Viewer.DOWNLOAD
    # Only types a browser shows are served as themselves; anything else (an item recorded
    # as an HTML file before types were read from content, say) is a download, never a page.
    content_type = item.media_type if inline else "application/octet-stream"
    response = serve(request, item, CustodyAction.VIEWED, content_type)
    response["Content-Disposition"] = disposition(item, attachment=not inline)
    response["Content-Security-Policy"] = PDF_POLICY if viewer is Viewer.PDF else MEDIA_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_number: str) -> HttpResponseBase:
    """The original bytes as a file to keep; resumable by range, logged in custody."""
    item = _item(request, evidence_number)
    response = serve(request, item, CustodyAction.DOWNLOADED, item.media_type)
    response["Content-Disposition"] = disposition(item, attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def disposition(item: EvidenceItem, *, attachment: bool) -> str:
    """ "inline" or "attachment", with the name it was collected under for saving it."""
    header = content_disposition_header(attachment, item.original_filename)
    return header or ("attachment" if attachment else "inline")


def serve(
    request: HttpRequest, item: EvidenceItem, action: CustodyAction, content_type: str
) -> HttpResponseBase:
    """All of the item's bytes (200) or the range asked for (206), streamed from the store."""
    etag = f'"{item.sha256}"'  # content-addressed: the hash is the strongest validator
    try:
        wanted = requested_range(request, item.size, etag)
    except RangeNotSatisfiable:
        return not_satisfiable(item.size)
    start, length = (wanted.start, wanted.length) if wanted else (0, item.size)
    try:
        source = store_from_settings().open_range(item.sha256, start, length)
    except EvidenceMissing:
        logger.error("evidence %s (%s) is missing from the store", item.number, item.sha256)
        raise Http404(
            "The file of this evidence is missing from the evidence store; "
            "run `vigil evidence verify` and tell your administrator."
        ) from None
    custody.log_access(item, action, new=start == 0)
    response = partial_response(source, wanted, item.size, content_type)
    response["ETag"] = etag
    response["Cache-Control"] = NO_STORE
    return response


# --- what the item's page shows ------------------------------------------------------


def viewer_context(item: EvidenceItem) -> dict[str, Any]:
    """What the item's page needs to show the file in place, and where it is kept in words."""
    viewer = viewer_of(item)
    context: dict[str, Any] = {
        "viewer": viewer.value,
        "type_words": type_in_words(item),
        "storage_name": storage_name(item.stored_in),
        "clock_notes": clock_notes(item),
        "viewing_minutes": int(custody.VIEWING_SESSION.total_seconds() // 60),
    }
    if viewer is Viewer.VIDEO:
        rate = clip_frame_rate(item)
        shown_rate = rate or DEFAULT_FRAME_RATE
        context |= {"frame_rate": rate, "frame_step": f"{1 / shown_rate:.6f}"}
    return context


def type_in_words(item: EvidenceItem) -> str:
    """ "a Word document", "an AVI video": what the file is, for "download to view"."""
    known = item.file_type
    if known is not None:
        return known.label
    if item.media_type in {"", "application/octet-stream"}:
        return "a file of a kind Vigil does not recognise"
    return f"a file recorded as {item.media_type}"


def storage_name(stored_in: str) -> str:
    """The kind of evidence store, not its path or bucket: those are for administrators."""
    if stored_in.startswith("s3://"):
        return "S3 object storage"
    if stored_in.startswith("local directory"):
        return "the Vigil server's evidence directory"
    return "the evidence store"


def clock_notes(item: EvidenceItem) -> list[str]:
    """The camera and recorder clock offsets, with how to correct a time read off the clip."""
    notes = []
    for what, offset in (
        ("Camera", item.camera_clock_offset_s),
        ("Recorder (DVR/VMS)", item.recorder_clock_offset_s),
    ):
        if offset is not None:
            notes.append(f"{what} clock {_offset_words(offset)}")
    return notes


def _offset_words(offset: Decimal) -> str:
    if offset == 0:
        return "in sync with true time"
    seconds = f"{abs(offset).normalize():f} s"
    if offset > 0:
        return f"runs {seconds} ahead: true time = clock time - {seconds}"
    return f"runs {seconds} behind: true time = clock time + {seconds}"


def clip_frame_rate(item: EvidenceItem, store: EvidenceStore | None = None) -> float | None:
    """The clip's frames per second, read once per content (the bytes never change)."""
    if item.media_type not in ISO_MEDIA_TYPES:
        return None
    key = f"evidence:frame-rate:{item.sha256}"
    cached = cache.get(key)
    if cached is None:
        cached = _read_frame_rate(store or store_from_settings(), item) or 0.0
        cache.set(key, cached, timeout=None)
    return float(cached) or None


def _read_frame_rate(store: EvidenceStore, item: EvidenceItem) -> float | None:
    """Reads box headers and the ``moov`` box only; not a viewing, so not a custody event."""

    def read_at(offset: int, length: int) -> bytes:
        with store.open_range(item.sha256, offset, length) as source:
            return source.read(length)

    try:
        return frame_rate(read_at, item.size)
    except EvidenceMissing:
        return None
