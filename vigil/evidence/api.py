"""Evidence API: the vault, its custody log, packages and share links.

An upload is the raw request body (``Content-Length`` required; the type is read from the
bytes), described by query parameters; nothing is read until the description is valid.
"""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.cases import lookups
from vigil.core.apiauth import may
from vigil.core.models import User
from vigil.core.openapi import file_answer, raw_body
from vigil.core.pages import api_user
from vigil.core.roles import Capability
from vigil.core.scoping import get_visible_or_404
from vigil.evidence import custody, intake, packages, sharing, viewing
from vigil.evidence.models import (
    CustodyAction,
    CustodyEvent,
    DownloadRoute,
    EvidenceItem,
    EvidencePackage,
    ShareLink,
)
from vigil.evidence.package_contents import Selection
from vigil.evidence.schemas import (
    CustodyIn,
    CustodyOut,
    EvidenceFilters,
    EvidenceOut,
    EvidenceUpload,
    PackageIn,
    PackageOut,
    ShareCreated,
    ShareIn,
    ShareOut,
    VerificationOut,
)
from vigil.evidence.storage import EvidenceTooLarge
from vigil.evidence.verification import verify_now

router = Router(tags=["evidence"])


def _items() -> QuerySet[EvidenceItem]:
    return EvidenceItem.objects.select_related("store", "incident", "case", "derived_from")


def _item(user: User, number: str) -> EvidenceItem:
    return get_visible_or_404(_items(), user, number=number)


def content_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        return int(raw) if raw else None
    except ValueError:
        raise HttpError(400, "Content-Length is not a number.") from None


def upload(request: HttpRequest, user: User, data: dict[str, Any]) -> EvidenceItem:
    """Shared by the API and the upload page: describe, then stream the body in."""
    try:
        intake.check_upload_keys(request.GET.keys())
        media_type = request.META.get("CONTENT_TYPE", "")
        item = intake.describe_item(user, intake.item_fields(user, data, media_type))
        return intake.receive(item, request, content_length(request))  # type: ignore[arg-type]
    except intake.UploadRefused as refused:
        raise HttpError(refused.status, str(refused)) from None
    except EvidenceTooLarge as too_large:
        raise HttpError(413, f"Refused: {too_large}; nothing was stored.") from None


@router.post(
    "/evidence",
    response={201: EvidenceOut},
    auth=may(Capability.RECORD),
    openapi_extra=raw_body(
        "application/octet-stream", "The file; its type is read from its bytes, not declared."
    ),
)
def create_evidence(request: HttpRequest, meta: Query[EvidenceUpload]) -> Status[Any]:
    """Upload one file as evidence (the request body is the file itself)."""
    return Status(201, upload(request, api_user(request), meta.dict()))


@router.get("/evidence", response=list[EvidenceOut])
@paginate
def list_evidence(request: HttpRequest, filters: Query[EvidenceFilters]) -> QuerySet[EvidenceItem]:
    found = EvidenceItem.objects.visible_to(api_user(request)).select_related(
        "store", "incident", "case", "derived_from"
    )
    found = found.filter(deleted_at__isnull=not filters.deleted)
    if filters.store:
        found = found.filter(store__code=filters.store)
    if filters.incident:
        found = found.filter(incident__number=filters.incident)
    if filters.case:
        found = found.filter(case__number=filters.case)
    if filters.source:
        found = found.filter(source=filters.source)
    if filters.q:
        q = filters.q.strip()
        found = found.filter(
            Q(number__iexact=q)
            | Q(sha256=q.lower())
            | Q(original_filename__icontains=q)
            | Q(description__icontains=q)
        )
    return found


@router.get("/evidence/{evidence_number}", response=EvidenceOut)
def get_evidence(request: HttpRequest, evidence_number: str) -> EvidenceItem:
    return _item(api_user(request), evidence_number)


@router.get(
    "/evidence/{evidence_number}/content",
    openapi_extra=file_answer("*/*", "The bytes, in the media type they were collected in."),
)
def download_evidence(request: HttpRequest, evidence_number: str) -> HttpResponseBase:
    """The original bytes, exactly as collected, whole or by range (``Range: bytes=a-b``,
    206), as the page serves them; a download is logged in custody (a resumed one within
    30 minutes of the caller's last is not logged again)."""
    item = _item(api_user(request), evidence_number)
    response = viewing.serve(request, item, CustodyAction.DOWNLOADED, item.media_type)
    response["Content-Disposition"] = viewing.disposition(item, attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.delete(
    "/evidence/{evidence_number}", response=EvidenceOut, auth=may(Capability.INVESTIGATE)
)
def delete_evidence(request: HttpRequest, evidence_number: str, reason: str = "") -> EvidenceItem:
    """Soft delete: the item leaves lists and packages; bytes and custody stay."""
    user = api_user(request)
    return custody.withdraw(user, _item(user, evidence_number), reason=reason)


@router.get("/evidence/{evidence_number}/custody", response=list[CustodyOut])
@paginate
def list_custody(request: HttpRequest, evidence_number: str) -> QuerySet[CustodyEvent]:
    return _item(api_user(request), evidence_number).custody.order_by("seq")


@router.post(
    "/evidence/{evidence_number}/custody", response={201: CustodyOut}, auth=may(Capability.RECORD)
)
def add_custody(request: HttpRequest, evidence_number: str, payload: CustodyIn) -> Status[Any]:
    user = api_user(request)
    item = _item(user, evidence_number)
    if payload.action == CustodyAction.TRANSFERRED:
        event = custody.transfer(
            user,
            item,
            from_party=payload.from_party,
            to_party=payload.to_party,
            purpose=payload.purpose,
            location=payload.location,
        )
    elif payload.action == CustodyAction.RELEASED:
        event = custody.release(user, item, to_party=payload.to_party, purpose=payload.purpose)
    elif payload.action == CustodyAction.DISPOSED:
        event = custody.dispose(user, item, reason=payload.purpose)
    else:
        raise ValidationError(
            {"action": "Record transferred, released or disposed; the rest log themselves."}
        )
    return Status(201, event)


@router.post(
    "/evidence/{evidence_number}/verification",
    response=VerificationOut,
    auth=may(Capability.RECORD),
)
def verify_evidence(request: HttpRequest, evidence_number: str) -> dict[str, Any]:
    """Re-hash the stored bytes and check the custody chain now; logged as 'verified'."""
    user = api_user(request)
    item = _item(user, evidence_number)
    result = verify_now(user, item)
    return {
        "number": item.number,
        "ok": not result.failures,
        "expected_sha256": item.sha256,
        "found_sha256": result.found_sha256,
        "problems": [failure.problem for failure in result.failures],
    }


# --- packages and share links -------------------------------------------------------


def _package(user: User, number: str) -> EvidencePackage:
    found = EvidencePackage.objects.select_related("store", "case", "incident", "previous")
    return get_visible_or_404(found, user, number=number)


@router.get("/packages", response=list[PackageOut], tags=["packages"])
@paginate
def list_packages(request: HttpRequest, case: str | None = None) -> QuerySet[EvidencePackage]:
    found = EvidencePackage.objects.visible_to(api_user(request)).select_related(
        "store", "case", "incident", "previous"
    )
    return found.filter(case__number=case) if case else found


@router.post(
    "/packages", response={201: PackageOut}, tags=["packages"], auth=may(Capability.INVESTIGATE)
)
def create_package(request: HttpRequest, payload: PackageIn) -> Status[Any]:
    user = api_user(request)
    case = lookups.case(user, payload.case) if payload.case else None
    incident = lookups.incident(user, payload.incident) if payload.incident else None
    previous = _package(user, payload.previous) if payload.previous else None
    selection = Selection(
        evidence=tuple(payload.evidence) if payload.evidence is not None else None,
        statements=tuple(payload.statements) if payload.statements is not None else None,
        reports=tuple(payload.reports) if payload.reports is not None else None,
        summary=payload.summary,
    )
    package = packages.build_package(
        user,
        purpose=payload.purpose,
        case=case,
        incident=incident,
        selection=selection,
        previous=previous,
    )
    return Status(201, package)


@router.get("/packages/{package_number}", response=PackageOut, tags=["packages"])
def get_package(request: HttpRequest, package_number: str) -> EvidencePackage:
    return _package(api_user(request), package_number)


@router.get(
    "/packages/{package_number}/content",
    tags=["packages"],
    openapi_extra=file_answer("application/zip", "The package: items, manifest, custody."),
)
def download_package(request: HttpRequest, package_number: str) -> StreamingHttpResponse:
    package = _package(api_user(request), package_number)
    if not package.is_ready:
        raise HttpError(409, f"{package.number} is {package.get_status_display().lower()}.")
    sharing.record_download(package, DownloadRoute.API)
    return package_response(package)


def package_response(package: EvidencePackage) -> StreamingHttpResponse:
    if not package.is_ready:  # a portal grant may be made while it is still being built
        raise Http404(f"{package.number} is not built yet.")
    response = StreamingHttpResponse(packages.stream(package), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{package.filename}"'
    response["Content-Length"] = str(package.size)
    return response


@router.get("/packages/{package_number}/shares", response=list[ShareOut], tags=["packages"])
@paginate
def list_shares(request: HttpRequest, package_number: str) -> QuerySet[ShareLink]:
    return _package(api_user(request), package_number).shares.select_related("package")


@router.post(
    "/packages/{package_number}/shares",
    response={201: ShareCreated},
    tags=["packages"],
    auth=may(Capability.INVESTIGATE),
)
def create_share(request: HttpRequest, package_number: str, payload: ShareIn) -> Status[Any]:
    user = api_user(request)
    package = _package(user, package_number)
    link, token = sharing.share(user, package, **payload.dict())
    url = request.build_absolute_uri(reverse("evidence:shared-package", args=[token]))
    portal = request.build_absolute_uri(reverse("sharing:portal"))
    delivered = sharing.send_link(user, link, url, portal_url=portal)
    link.url = url  # type: ignore[attr-defined]  # shown once, never stored
    link.emailed = delivered.emailed  # type: ignore[attr-defined]
    link.in_portal = delivered.grant is not None  # type: ignore[attr-defined]
    return Status(201, link)


@router.delete(
    "/shares/{share_id}", response=ShareOut, tags=["packages"], auth=may(Capability.INVESTIGATE)
)
def revoke_share(request: HttpRequest, share_id: int) -> ShareLink:
    user = api_user(request)
    link = get_visible_or_404(ShareLink.objects.select_related("package"), user, pk=share_id)
    return sharing.revoke(user, link)
