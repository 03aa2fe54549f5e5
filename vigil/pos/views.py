"""POS pages: the exception report, the rankings, one exception with its journal and
review, and the data sets with their imports."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from vigil.core import taskruns
from vigil.core.models import User
from vigil.core.pages import page_of, query_without_page, signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import in_current_store
from vigil.pos import exports, journal, reviews
from vigil.pos.imports import folder_of, inbox, inbox_folders
from vigil.pos.models import (
    DataSet,
    EmployeeRisk,
    PosException,
    ReviewStatus,
    Scan,
    ScanStatus,
    StoreRisk,
)
from vigil.pos.tasks import import_and_scan, scan_again
from vigil.video.cameras import cameras_on_register

SORTS = {
    "severity": ["-severity", "business_date"],
    "date": ["-business_date", "-severity"],
    "amount": ["-amount", "-severity"],
}


def _scan(request: HttpRequest, user: User) -> Scan | None:
    """The scan the page shows: the one asked for, else the newest finished one."""
    scans = Scan.objects.visible_to(user).filter(status=ScanStatus.DONE)
    chosen = request.GET.get("scan", "")
    if chosen.isdigit():
        return get_visible_or_404(scans.select_related("data_set"), user, pk=int(chosen))
    return scans.select_related("data_set").order_by("-started_at").first()


@login_required
@require_GET
def exception_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    scan = _scan(request, user)
    found: QuerySet[PosException] = PosException.objects.none()
    if scan is not None:
        found = in_current_store(request, PosException.objects.visible_to(user).filter(scan=scan))
        found = _filtered(request, found.select_related("store", "person"))
    rules = sorted({(r["id"], r["title"]) for r in scan.rules}) if scan else []
    context = {
        "scan": scan,
        "page": page_of(request, found),
        "query": query_without_page(request),
        "rules": rules,
        "statuses": ReviewStatus.choices,
        "filters": request.GET,
    }
    return render(request, "pos/exception_list.html", context)


def _filtered(request: HttpRequest, found: QuerySet[PosException]) -> QuerySet[PosException]:
    get = request.GET
    if rule := get.get("rule"):
        found = found.filter(rule=rule)
    if employee := get.get("employee", "").strip():
        found = found.filter(employee_id__iexact=employee)
    if status := get.get("status"):
        found = found.filter(status=status)
    if since := get.get("since"):
        found = found.filter(business_date__gte=since) if _is_date(since) else found
    if until := get.get("until"):
        found = found.filter(business_date__lte=until) if _is_date(until) else found
    try:
        minimum = Decimal(get.get("min_severity") or "0")
    except InvalidOperation:
        minimum = Decimal(0)
    if minimum:
        found = found.filter(severity__gte=float(minimum))
    return found.order_by(*SORTS.get(get.get("sort", ""), SORTS["severity"]))


def _is_date(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@login_required
@require_GET
def exception_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The report as it is filtered on the page, as CSV or XLSX."""
    user = signed_in_user(request)
    scan = _scan(request, user)
    if scan is None or file_format not in {"csv", "xlsx"}:
        raise Http404("Nothing to export.")
    found = in_current_store(request, PosException.objects.visible_to(user).filter(scan=scan))
    found = _filtered(request, found)
    filters = {key: value for key, value in request.GET.items()} | {"scan": scan.pk}
    name = f"pos-exceptions-scan-{scan.pk}.{file_format}"
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            exports.as_csv(found, filters), content_type="text/csv"
        )
    else:
        response = FileResponse(
            exports.as_xlsx(found, filters),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def employee_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    scan = _scan(request, user)
    employees: QuerySet[EmployeeRisk] = EmployeeRisk.objects.none()
    stores: QuerySet[StoreRisk] = StoreRisk.objects.none()
    if scan is not None:
        employees = in_current_store(
            request, EmployeeRisk.objects.visible_to(user).filter(scan=scan)
        )
        stores = in_current_store(request, StoreRisk.objects.visible_to(user).filter(scan=scan))
    context = {
        "scan": scan,
        "page": page_of(request, employees.select_related("store", "person").order_by("rank")),
        "stores": stores.select_related("store").order_by("rank"),
        "query": query_without_page(request),
    }
    return render(request, "pos/employee_list.html", context)


@login_required
@require_GET
def employee_detail(request: HttpRequest, employee_id: str) -> HttpResponse:
    user = signed_in_user(request)
    scan = _scan(request, user)
    if scan is None:
        raise Http404("No scan yet.")
    risk = get_visible_or_404(
        EmployeeRisk.objects.filter(scan=scan).select_related("store", "person"),
        user,
        employee_id=employee_id,
    )
    exceptions = PosException.objects.visible_to(user).filter(scan=scan, employee_id=employee_id)
    context = {"scan": scan, "risk": risk, "exceptions": exceptions.order_by("-severity")[:200]}
    return render(request, "pos/employee_detail.html", context)


def _exception(request: HttpRequest, exception_id: int) -> PosException:
    found = PosException.objects.select_related("store", "scan__data_set", "case", "person")
    return get_visible_or_404(found, signed_in_user(request), pk=exception_id)


@login_required
@require_GET
def exception_detail(request: HttpRequest, exception_id: int) -> HttpResponse:
    exception = _exception(request, exception_id)
    found = journal.read(folder_of(exception.scan.data_set), exception.transaction_id)
    context = {
        "exception": exception,
        "journal": found,
        "statuses": [ReviewStatus.EXPLAINED, ReviewStatus.COACHING],
        "can_investigate": can(signed_in_user(request), Capability.INVESTIGATE),
        "cameras": cameras_on_register(exception.store, exception.register_id),
    }
    return render(request, "pos/exception_detail.html", context)


@login_required
@require_POST
def exception_review(request: HttpRequest, exception_id: int) -> HttpResponse:
    exception = _exception(request, exception_id)
    try:
        reviews.review(
            signed_in_user(request),
            exception,
            request.POST.get("status", ""),
            request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Marked {exception.get_status_display().lower()}.")
    return redirect("pos:exception-detail", exception.pk)


@login_required
@require_POST
def exception_escalation(request: HttpRequest, exception_id: int) -> HttpResponse:
    exception = _exception(request, exception_id)
    case = reviews.escalate(signed_in_user(request), exception, request.POST.get("note", ""))
    messages.success(request, f"Escalated: case {case.number} opened with the journal attached.")
    return redirect("cases:case-detail", case.number)


# --- data sets ------------------------------------------------------------------------------


@login_required
@require_GET
def data_set_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context = {
        "data_sets": DataSet.objects.visible_to(user).prefetch_related("stores", "scans"),
        "inbox": inbox_folders(),
        "inbox_path": inbox(),
        "can_import": can(user, Capability.INVESTIGATE),
    }
    return render(request, "pos/data_set_list.html", context)


@login_required
@require_POST
def data_set_import(request: HttpRequest) -> HttpResponse:
    """Import a folder from the inbox, chosen from the list (a name, never a path)."""
    user = signed_in_user(request)
    require(user, Capability.INVESTIGATE)
    chosen = request.POST.get("folder", "")
    if chosen not in inbox_folders():
        messages.error(request, "Choose one of the folders in the inbox.")
        return redirect("pos:data-set-list")
    run = taskruns.start(
        import_and_scan,
        label=f"Import and scan {chosen}",
        requested_by=user,
        source=str(inbox() / chosen),
        name=request.POST.get("name", "") or chosen,
        kind="folder",
        inbox_folder=chosen,
    )
    return redirect("core:task-run-detail", run.pk)


@login_required
@require_POST
def data_set_scan(request: HttpRequest, data_set_id: int) -> HttpResponse:
    """Scan an imported data set again, in the background."""
    user = signed_in_user(request)
    data_set = get_visible_or_404(DataSet.objects.all(), user, pk=data_set_id)
    require(user, Capability.INVESTIGATE)
    run = taskruns.start(
        scan_again, label=f"Scan {data_set.name} again", requested_by=user, data_set_id=data_set.pk
    )
    return redirect("core:task-run-detail", run.pk)
