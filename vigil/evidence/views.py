"""Evidence pages: the vault list, upload, an item with its custody log (packages and share
links: :mod:`vigil.evidence.package_views`).

Uploading is done by the page's script, which sends the file itself as the body of a POST to
the API (``/api/v1/evidence``) so it streams; this module serves the pages around it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vigil.cases import lookups
from vigil.cases.views.common import filters_of, store_time
from vigil.core.lists import list_page
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import in_current_store
from vigil.core.writes import writes
from vigil.evidence import custody, viewing
from vigil.evidence.filetypes import FileKind, accept_attribute, describe_kinds
from vigil.evidence.models import (
    CustodyAction,
    Derivation,
    EvidenceItem,
    EvidenceSource,
)
from vigil.evidence.storage import max_upload_bytes
from vigil.evidence.tables import EvidenceFilterForm, EvidenceTable, evidence
from vigil.evidence.verification import verify_now


def _item(request: HttpRequest, number: str) -> EvidenceItem:
    found = EvidenceItem.objects.select_related(
        "store", "incident", "case", "subject", "derived_from"
    )
    return get_visible_or_404(found, signed_in_user(request), number=number)


@login_required
@require_GET
def evidence_list(request: HttpRequest) -> HttpResponseBase:
    """The vault, searchable by number, file name, words or hash; deleted items on request."""
    user = signed_in_user(request)
    form = EvidenceFilterForm(request.GET)
    filters = filters_of(form)
    found = in_current_store(
        request, EvidenceItem.objects.visible_to(user).select_related("store", "incident", "case")
    )
    return list_page(
        request,
        EvidenceTable,
        evidence(found, filters),
        "evidence/evidence_list.html",
        {"form": form, "deleted": bool(filters.get("deleted"))},
        filters=filters,
    )


@login_required
@require_GET
def evidence_new(request: HttpRequest) -> HttpResponse:
    """The upload form; the browser streams the file to the API and comes back to the item."""
    user = signed_in_user(request)
    anchor: dict[str, str] = {}
    for key in ("incident", "case", "subject_id", "derived_from"):
        if value := request.GET.get(key, ""):
            anchor[key] = value
    if "incident" in anchor:
        lookups.incident(user, anchor["incident"])
    if "case" in anchor:
        lookups.case(user, anchor["case"])
    context = {
        "anchor": anchor,
        "sources": EvidenceSource.choices,
        "derivations": Derivation.choices,
        "max_bytes": max_upload_bytes(),
        **_file_hints(only_photos="subject_id" in anchor),
        "api_url": reverse("api:create_evidence"),
        "can_record": can(user, Capability.RECORD),
    }
    return render(request, "evidence/evidence_new.html", context)


def _file_hints(*, only_photos: bool) -> dict[str, str]:
    """What the upload page says it takes: a subject's photo is a picture, else any kind."""
    kinds = [FileKind.IMAGE] if only_photos else list(FileKind)
    return {"accept": accept_attribute(kinds), "kinds": describe_kinds(kinds)}


@login_required
@require_GET
def evidence_detail(request: HttpRequest, evidence_number: str) -> HttpResponse:
    item = _item(request, evidence_number)
    user = signed_in_user(request)
    with store_time(item.store):
        context = {
            "item": item,
            "custody_events": item.custody.order_by("seq"),
            "derivatives": item.derivatives.filter(deleted_at__isnull=True),
            "actions": [CustodyAction.TRANSFERRED, CustodyAction.RELEASED, CustodyAction.DISPOSED],
            "can_record": can(user, Capability.RECORD),
            "can_investigate": can(user, Capability.INVESTIGATE),
            **viewing.viewer_context(item),
        }
        return render(request, "evidence/evidence_detail.html", context)


@login_required
@require_POST
@writes(Capability.RECORD)
def custody_add(request: HttpRequest, evidence_number: str) -> HttpResponse:
    item = _item(request, evidence_number)
    user = signed_in_user(request)
    action = request.POST.get("action", "")
    post = request.POST
    try:
        if action == CustodyAction.TRANSFERRED:
            custody.transfer(
                user,
                item,
                from_party=post.get("from_party", ""),
                to_party=post.get("to_party", ""),
                purpose=post.get("purpose", ""),
                location=post.get("location", ""),
            )
        elif action == CustodyAction.RELEASED:
            custody.release(
                user, item, to_party=post.get("to_party", ""), purpose=post.get("purpose", "")
            )
        elif action == CustodyAction.DISPOSED:
            custody.dispose(user, item, reason=post.get("purpose", ""))
        else:
            raise ValidationError("Choose transferred, released or disposed.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Custody event recorded.")
    return redirect("evidence:evidence-detail", item.number)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def evidence_delete(request: HttpRequest, evidence_number: str) -> HttpResponse:
    item = _item(request, evidence_number)
    try:
        custody.withdraw(signed_in_user(request), item, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{item.number} deleted; its file and custody log are kept.")
    return redirect("evidence:evidence-detail", item.number)


@login_required
@require_POST
@writes(Capability.RECORD)
def evidence_verify(request: HttpRequest, evidence_number: str) -> HttpResponse:
    item = _item(request, evidence_number)
    failures = verify_now(signed_in_user(request), item).failures
    if failures:
        messages.error(request, "; ".join(failure.problem for failure in failures))
    else:
        messages.success(
            request, "Verified: the stored file matches its SHA-256 and the custody chain holds."
        )
    return redirect("evidence:evidence-detail", item.number)
