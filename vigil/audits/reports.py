"""A completed floor walk as a PDF: score, pass or fail, every item with its answer, the
photos taken, and the corrective actions raised."""

from __future__ import annotations

import base64

from vigil.audits import walks
from vigil.audits.models import FloorWalk
from vigil.audits.photos import PHOTOS, content_type_of
from vigil.core.pdf import render_pdf


def walk_pdf(walk: FloorWalk) -> bytes:
    sections = walks.results(walk)
    photos = {}
    for _, items in sections:
        for result in items:
            if result.answer and result.answer.photo_sha256:
                photos[result.item.key] = _data_uri(result.answer.photo_sha256)
    context = {
        "walk": walk,
        "checklist": walks.checklist_of(walk.checklist),
        "sections": sections,
        "photos": photos,
        "actions": list(walk.actions.order_by("number")),
    }
    return render_pdf("audits/report/walk.html", context, walk.store)


def _data_uri(sha256: str) -> str:
    """The photo inline (WeasyPrint fetches nothing from the network or the disk by URL)."""
    data = PHOTOS.path_of(sha256).read_bytes()
    kind = content_type_of(data[:16]) or "image/jpeg"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
