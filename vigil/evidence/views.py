"""Evidence pages: the vault list, upload, an item with its custody log, packages, shares.

Uploading is done by the page's script, which sends the file itself as the body of a POST to
the API (``/api/v1/evidence``) so it streams; this module serves the pages around it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
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
from vigil.evidence import custody, packages, sharing
from vigil.evidence.api import package_response
from vigil.evidence.filetypes import FileKind, accept_attribute, describe_kinds
from vigil.evidence.models import (
    CustodyAction,
    Derivation,
    EvidenceItem,
    EvidencePackage,
    EvidenceSource,
    ShareLink,
)
from vigil.evidence.storage import max_upload_bytes
from vigil.evidence.tables import EvidenceFilterForm, EvidenceTable, evidence
from vigil.evidence.verification import verify_now

INLINE_TYPES = ("image/", "video/", "audio/")


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
        }
        return render(request, "evidence/evidence_detail.html", context)


@login_required
@require_GET
def evidence_view(request: HttpRequest, evidence_number: str) -> FileResponse:
    """The bytes inline (a photo or a clip on its page); each view is a custody event."""
    item = _item(request, evidence_number)
    stream = custody.open_for(item, CustodyAction.VIEWED)
    # The media type came from the uploader: only pictures, sound and video are shown inline;
    # anything else (an HTML file, say) is handed over as a download, never rendered here.
    inline = item.media_type.startswith(INLINE_TYPES)
    response = FileResponse(
        stream,
        content_type=item.media_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=item.original_filename,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def evidence_download(request: HttpRequest, evidence_number: str) -> FileResponse:
    item = _item(request, evidence_number)
    stream = custody.open_for(item, CustodyAction.DOWNLOADED)
    return FileResponse(
        stream, as_attachment=True, filename=item.original_filename, content_type=item.media_type
    )


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


# --- packages and shares -------------------------------------------------------------


def _package(request: HttpRequest, number: str) -> EvidencePackage:
    found = EvidencePackage.objects.select_related("store", "case", "incident")
    return get_visible_or_404(found, signed_in_user(request), number=number)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def package_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    case = lookups.case(user, request.POST["case"]) if request.POST.get("case") else None
    incident = (
        lookups.incident(user, request.POST["incident"]) if request.POST.get("incident") else None
    )
    back = (
        reverse("cases:case-detail", args=[case.number])
        if case
        else reverse("cases:incident-detail", args=[incident.number])
        if incident
        else "/"
    )
    try:
        package = packages.build_package(
            user, purpose=request.POST.get("purpose", ""), case=case, incident=incident
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(request, f"Package {package.number} built.")
    return redirect("evidence:package-detail", package.number)


@login_required
@require_GET
def package_detail(request: HttpRequest, package_number: str) -> HttpResponse:
    package = _package(request, package_number)
    context = {
        "package": package,
        "shares": package.shares.all(),
        "new_link": request.session.pop("new_share_link", None),
        "can_investigate": can(signed_in_user(request), Capability.INVESTIGATE),
    }
    return render(request, "evidence/package_detail.html", context)


@login_required
@require_GET
def package_download(request: HttpRequest, package_number: str) -> StreamingHttpResponse:
    package = _package(request, package_number)
    sharing.record_download(package)
    return package_response(package)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def share_new(request: HttpRequest, package_number: str) -> HttpResponse:
    package = _package(request, package_number)
    try:
        days = int(request.POST.get("days", "14"))
        _, token = sharing.share(
            signed_in_user(request),
            package,
            recipient=request.POST.get("recipient", ""),
            agency=request.POST.get("agency", ""),
            email=request.POST.get("email", ""),
            days=days,
        )
    except (ValidationError, ValueError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else "Days: a number."
        messages.error(request, text)
    else:
        url = request.build_absolute_uri(reverse("evidence:shared-package", args=[token]))
        request.session["new_share_link"] = url
    return redirect("evidence:package-detail", package.number)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def share_revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    user = signed_in_user(request)
    link = get_visible_or_404(ShareLink.objects.select_related("package"), user, pk=share_id)
    sharing.revoke(user, link)
    messages.success(request, f"Link for {link.recipient} revoked.")
    return redirect("evidence:package-detail", link.package.number)


# --- what a share link opens (no sign-in: the link is the key) ------------------------


def _live_link(token: str) -> ShareLink:
    link = sharing.resolve(token)
    if link is None:
        raise Http404("This link is unknown, expired or revoked.")
    return link


@require_GET
def shared_package(request: HttpRequest, token: str) -> HttpResponse:
    link = _live_link(token)
    sharing.record_access(link, "view")
    context = {"link": link, "package": link.package, "token": token}
    response = render(request, "evidence/shared_package.html", context)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def shared_download(request: HttpRequest, token: str) -> StreamingHttpResponse:
    link = _live_link(token)
    sharing.record_access(link, "download")
    response = package_response(link.package)
    response["Cache-Control"] = "no-store"
    return response
