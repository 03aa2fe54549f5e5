"""POS API: data sets, scans, leads (filtered like the report), their review (one or many)
and history, the reasons offered, rankings and escalation."""

# No `from __future__ import annotations` here: django-ninja reads these annotations at runtime.

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from vigil.core import taskruns
from vigil.core.apiauth import may
from vigil.core.models import User
from vigil.core.openapi import raw_body
from vigil.core.pages import api_user
from vigil.core.roles import Capability, require
from vigil.core.scoping import get_visible_or_404
from vigil.pos import imports, rankings, reviews, uploads
from vigil.pos.models import (
    DataSet,
    EmployeeRisk,
    ExplanationReason,
    LeadReview,
    PosException,
    Scan,
    ScanStatus,
)
from vigil.pos.schemas import (
    BulkReviewIn,
    BulkReviewOut,
    DataSetOut,
    EmployeeRiskOut,
    EscalationIn,
    EscalationOut,
    ExceptionFilters,
    ExceptionOut,
    LeadReviewOut,
    ReasonIn,
    ReasonOut,
    ReviewIn,
    ScanOut,
    UploadAccepted,
)
from vigil.pos.tasks import import_and_scan

router = Router(tags=["pos"])


def _scan(user: User, scan_id: int | None) -> Scan:
    scans = Scan.objects.filter(status=ScanStatus.DONE).select_related("data_set")
    if scan_id is not None:
        return get_visible_or_404(scans, user, pk=scan_id)
    newest = scans.visible_to(user).order_by("-started_at").first()
    if newest is None:
        raise HttpError(404, "No finished scan yet.")
    return newest


@router.post(
    "/pos/data-sets",
    response={202: UploadAccepted},
    auth=may(Capability.INVESTIGATE),
    openapi_extra=raw_body("application/zip", "A ZIP of the contract tables."),
)
def upload_data_set(request: HttpRequest, name: str = "") -> Status[Any]:
    """Upload a ZIP of contract tables (the request body); import and scan run in the
    background and the answer names the task run to follow."""
    user = api_user(request)
    require(user, Capability.INVESTIGATE)
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        folder = uploads.receive(request, int(raw) if raw.isdigit() else None)  # type: ignore[arg-type]
    except imports.ImportRefused as refusal:
        raise HttpError(400, str(refusal)) from None
    run = taskruns.start(
        import_and_scan,
        label=f"Import and scan {name or 'uploaded data set'}",
        requested_by=user,
        temp_paths=[folder],
        source=str(folder),
        name=name or "Uploaded data set",
        kind="upload",
    )
    return Status(
        202, {"task_run": str(run.pk), "url": reverse("core:task-run-detail", args=[run.pk])}
    )


@router.get("/pos/scans", response=list[ScanOut])
@paginate
def list_scans(request: HttpRequest) -> QuerySet[Scan]:
    return Scan.objects.visible_to(api_user(request)).select_related("data_set")


@router.get("/pos/data-sets", response=list[DataSetOut])
@paginate
def list_data_sets(request: HttpRequest) -> QuerySet[DataSet]:
    return DataSet.objects.visible_to(api_user(request))


@router.get("/pos/exceptions", response=list[ExceptionOut])
@paginate
def list_exceptions(
    request: HttpRequest, filters: Query[ExceptionFilters]
) -> QuerySet[PosException]:
    """Leads, still raised unless ``raised`` says otherwise, across data sets unless one is
    named; each lead once, however many exports or scans raised it."""
    user = api_user(request)
    found = PosException.objects.visible_to(user).select_related("store", "case", "reason")
    data_set = filters.data_set
    if filters.scan is not None:
        data_set = _scan(user, filters.scan).data_set_id
    conditions: dict[str, Any] = {
        "data_set_id": data_set,
        "no_longer_raised_at__isnull": {"raised": True, "gone": False}.get(filters.raised),
        "store__code": filters.store,
        "rule": filters.rule,
        "employee_id__iexact": filters.employee,
        "status": filters.status,
        "business_date__gte": filters.since,
        "business_date__lte": filters.until,
        "severity__gte": filters.min_severity,
    }
    return found.filter(**{k: v for k, v in conditions.items() if v is not None}).order_by(
        "-severity", "business_date", "pk"
    )


def _exception(request: HttpRequest, exception_id: int) -> PosException:
    found = PosException.objects.select_related("store", "case", "reason", "data_set")
    return get_visible_or_404(found, api_user(request), pk=exception_id)


def _reason(reason_id: int | None) -> ExplanationReason | None:
    if reason_id is None:
        return None
    found = ExplanationReason.objects.filter(pk=reason_id, active=True).first()
    if found is None:
        raise HttpError(422, f"No offered reason {reason_id}; see GET /pos/reasons.")
    return found


@router.get("/pos/exceptions/{exception_id}", response=ExceptionOut)
def get_exception(request: HttpRequest, exception_id: int) -> PosException:
    return _exception(request, exception_id)


@router.post(
    "/pos/exceptions/{exception_id}/review", response=ExceptionOut, auth=may(Capability.INVESTIGATE)
)
def review_exception(request: HttpRequest, exception_id: int, payload: ReviewIn) -> PosException:
    return reviews.review(
        api_user(request),
        _exception(request, exception_id),
        payload.status,
        payload.note,
        _reason(payload.reason),
    )


@router.post("/pos/exception-reviews", response=BulkReviewOut, auth=may(Capability.INVESTIGATE))
def review_exceptions(request: HttpRequest, payload: BulkReviewIn) -> dict[str, int]:
    """One outcome and note for many leads, all or none. A lead outside your stores is
    not found (404), as everywhere."""
    user = api_user(request)
    found = list(PosException.objects.visible_to(user).filter(pk__in=payload.leads))
    if len(found) != len(set(payload.leads)):
        raise HttpError(404, "Not found.")
    reviews.review_many(user, found, payload.status, payload.note, _reason(payload.reason))
    return {"reviewed": len(found)}


@router.get("/pos/exceptions/{exception_id}/reviews", response=list[LeadReviewOut])
def list_lead_reviews(request: HttpRequest, exception_id: int) -> QuerySet[LeadReview]:
    lead = _exception(request, exception_id)
    return lead.reviews.select_related("reason", "case", "reviewed_by")


@router.get("/pos/reasons", response=list[ReasonOut])
def list_reasons(request: HttpRequest) -> QuerySet[ExplanationReason]:
    api_user(request)
    return ExplanationReason.objects.all()


@router.post("/pos/reasons", response={201: ReasonOut}, auth=may(Capability.SET_REVIEW_CHOICES))
def add_reason(request: HttpRequest, payload: ReasonIn) -> Status[ExplanationReason]:
    return Status(201, reviews.add_reason(api_user(request), payload.label))


@router.post(
    "/pos/exceptions/{exception_id}/escalation",
    response=EscalationOut,
    auth=may(Capability.INVESTIGATE),
)
def escalate_exception(
    request: HttpRequest, exception_id: int, payload: EscalationIn
) -> dict[str, str]:
    case = reviews.escalate(api_user(request), _exception(request, exception_id), payload.note)
    return {"case": case.number}


@router.get("/pos/employees", response=list[EmployeeRiskOut])
@paginate
def list_employee_risks(request: HttpRequest, scan: int | None = None) -> QuerySet[EmployeeRisk]:
    """One scan's ranking of the employees you see; for the roles that see rankings."""
    user = api_user(request)
    require(user, Capability.VIEW_EMPLOYEE_RANKINGS)
    chosen = _scan(user, scan)
    seen = EmployeeRisk.objects.visible_to(user).filter(scan=chosen)
    return rankings.placed(seen).select_related("store").order_by("rank", "pk")
