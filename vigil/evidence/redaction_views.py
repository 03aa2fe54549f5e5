"""The page that makes a redacted copy of a photo or a clip (:mod:`vigil.evidence.redaction`).

GET shows the picture or the clip with the areas to hide drawn over it (by
``evidence/redact.js``, which writes them into the form's "areas" field; the field works
without the script too); POST checks the areas, then makes a photo's copy at once, or queues a
clip's and sends the investigator to the run's page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from vigil.cases.views.common import store_time
from vigil.core.models import User
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.writes import writes
from vigil.evidence import redaction, redaction_jobs, viewing
from vigil.evidence.models import EvidenceItem
from vigil.evidence.redaction import FrameSize, RedactionRefused, RedactionStyle

TEMPLATE = "evidence/redaction.html"


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.INVESTIGATE)
def evidence_redaction(request: HttpRequest, evidence_number: str) -> HttpResponse:
    """Mark areas on a photo or a clip and save a redacted copy; the original is untouched."""
    user = signed_in_user(request)
    found = EvidenceItem.objects.select_related("store", "incident", "case")
    item = get_visible_or_404(found, user, number=evidence_number)  # 404 before 403
    require(user, Capability.INVESTIGATE)
    context: dict[str, Any] = {"item": item, "styles": RedactionStyle.choices, "form": {}}
    try:
        kind = redaction.check_redactable(item)
        image = redaction.image_of(item) if kind == "image" else None
        size = _size(item, kind, image)
    except RedactionRefused as refused:
        context["refused"] = str(refused)
        return _page(request, context, status=400 if request.method == "POST" else 200)
    context |= {"kind": kind, "size": size}
    if request.method == "POST":
        context["form"] = request.POST
        try:
            wanted = redaction.parse_redaction(request.POST, size, kind=kind)
        except ValidationError as error:
            context["errors"] = error.message_dict
            return _page(request, context, status=400)
        return _save(request, user, item, kind, wanted)
    if image is not None:
        context["suggestions"] = redaction.suggest_faces(image)
        context["face_finder"] = redaction.face_finder() is not None
    return _page(request, context)


def _size(item: EvidenceItem, kind: str, image: Any) -> FrameSize:
    if image is not None:
        height, width = image.shape[:2]
        return FrameSize(width, height)
    return redaction.size_of(item, kind)


def _save(
    request: HttpRequest, user: User, item: EvidenceItem, kind: str, wanted: redaction.Redaction
) -> HttpResponse:
    if kind == "image":
        copy = redaction.redact_image(user, item, wanted)
        messages.success(
            request,
            f"{copy.number} is a redacted copy of {item.number}; the original is unchanged.",
        )
        return redirect("evidence:evidence-detail", copy.number)
    run = redaction_jobs.start(user, item, wanted)
    messages.info(request, f"The redacted copy of {item.number} is being made.")
    return redirect("core:task-run-detail", task_run_id=run.pk)


def _page(request: HttpRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    item: EvidenceItem = context["item"]
    with store_time(item.store):
        context |= {"viewer": viewing.viewer_of(item).value}
        return render(request, TEMPLATE, context, status=status)
