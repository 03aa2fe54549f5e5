"""POS API: scans, exceptions (filtered like the report), rankings, review and escalation."""

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
from vigil.core.models import User
from vigil.core.pages import api_user
from vigil.core.roles import Capability, require
from vigil.core.scoping import get_visible_or_404
from vigil.pos import imports, reviews, uploads
from vigil.pos.models import EmployeeRisk, PosException, Scan, ScanStatus
from vigil.pos.schemas import (
    EmployeeRiskOut,
    EscalationIn,
    EscalationOut,
    ExceptionFilters,
    ExceptionOut,
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


@router.post("/pos/data-sets", response={202: UploadAccepted})
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
        source=str(folder),
        name=name or "Uploaded data set",
        kind="upload",
        remove_source=True,
    )
    return Status(
        202, {"task_run": str(run.pk), "url": reverse("core:task-run-detail", args=[run.pk])}
    )


@router.get("/pos/scans", response=list[ScanOut])
@paginate
def list_scans(request: HttpRequest) -> QuerySet[Scan]:
    return Scan.objects.visible_to(api_user(request)).select_related("data_set")


@router.get("/pos/exceptions", response=list[ExceptionOut])
@paginate
def list_exceptions(
    request: HttpRequest, filters: Query[ExceptionFilters]
) -> QuerySet[PosException]:
    user = api_user(request)
    scan = _scan(user, filters.scan)
    found = PosException.objects.visible_to(user).filter(scan=scan)
    found = found.select_related("store", "case")
    conditions: dict[str, Any] = {
        "store__code": filters.store,
        "rule": filters.rule,
        "employee_id__iexact": filters.employee,
        "status": filters.status,
        "business_date__gte": filters.since,
        "business_date__lte": filters.until,
        "severity__gte": filters.min_severity,
    }
    return found.filter(**{k: v for k, v in conditions.items() if v is not None})


def _exception(request: HttpRequest, exception_id: int) -> PosException:
    found = PosException.objects.select_related("store", "case", "scan__data_set")
    return get_visible_or_404(found, api_user(request), pk=exception_id)


@router.get("/pos/exceptions/{exception_id}", response=ExceptionOut)
def get_exception(request: HttpRequest, exception_id: int) -> PosException:
    return _exception(request, exception_id)


@router.post("/pos/exceptions/{exception_id}/review", response=ExceptionOut)
def review_exception(request: HttpRequest, exception_id: int, payload: ReviewIn) -> PosException:
    return reviews.review(
        api_user(request), _exception(request, exception_id), payload.status, payload.note
    )


@router.post("/pos/exceptions/{exception_id}/escalation", response=EscalationOut)
def escalate_exception(
    request: HttpRequest, exception_id: int, payload: EscalationIn
) -> dict[str, str]:
    case = reviews.escalate(api_user(request), _exception(request, exception_id), payload.note)
    return {"case": case.number}


@router.get("/pos/employees", response=list[EmployeeRiskOut])
@paginate
def list_employee_risks(request: HttpRequest, scan: int | None = None) -> QuerySet[EmployeeRisk]:
    user = api_user(request)
    chosen = _scan(user, scan)
    return (
        EmployeeRisk.objects.visible_to(user)
        .filter(scan=chosen)
        .select_related("store")
        .order_by("rank")
    )
