"""POS pages: the lead report with bulk review and saved views, the rankings, one lead with
its journal and review history, the reasons reviewers choose from, and the data sets with
their imports."""

from __future__ import annotations

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
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.cases.views.common import store_time
from vigil.core import taskruns
from vigil.core.models import User
from vigil.core.pages import page_of, query_without_page, signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import in_current_store
from vigil.core.writes import writes
from vigil.pos import exports, imports, journal, reviews, saved_views
from vigil.pos.filters import RAISED, LeadFilters
from vigil.pos.imports import folder_of, inbox, inbox_folders
from vigil.pos.models import (
    DataSet,
    EmployeeRisk,
    ExplanationReason,
    PosException,
    ReviewStatus,
    SavedView,
    Scan,
    ScanStatus,
    StoreRisk,
)
from vigil.pos.tasks import import_and_scan, scan_again
from vigil.video.cameras import cameras_on_register


def _scan(request: HttpRequest, user: User) -> Scan | None:
    """The scan the rankings show: the one asked for, else the newest finished one."""
    scans = Scan.objects.visible_to(user).filter(status=ScanStatus.DONE)
    chosen = request.GET.get("scan", "")
    if chosen.isdigit():
        return get_visible_or_404(scans.select_related("data_set"), user, pk=int(chosen))
    return scans.select_related("data_set").order_by("-started_at").first()


def _leads(request: HttpRequest, user: User) -> QuerySet[PosException]:
    return in_current_store(request, PosException.objects.visible_to(user))


@login_required
@require_GET
def exception_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filters = LeadFilters.read(request.GET)
    every = _leads(request, user)
    found = filters.apply(every).select_related("store", "person", "reason", "case")
    context = {
        "page": page_of(request, found),
        "query": query_without_page(request),
        "rules": _rules(user),
        "statuses": ReviewStatus.choices,
        "raised_choices": RAISED.items(),
        "reasons": ExplanationReason.objects.all(),
        "offered": reviews.reasons_offered(),
        "data_sets": DataSet.objects.visible_to(user).order_by("-created_at")[:50],
        "filters": filters,
        "to_review": in_current_store(
            request, PosException.objects.visible_to(user).to_review()
        ).count(),
        "has_leads": every.exists(),
        "saved": saved_views.of(user),
        "can_investigate": can(user, Capability.INVESTIGATE),
        "here": request.get_full_path(),
    }
    return render(request, "pos/exception_list.html", context)


def _rules(user: User) -> list[tuple[str, str]]:
    """The rules the recent scans ran, for the filter (read from the scans, not the leads)."""
    scans = Scan.objects.visible_to(user).filter(status=ScanStatus.DONE).order_by("-started_at")
    titles = {rule["id"]: rule["title"] for scan in scans[:20] for rule in scan.rules}
    return sorted(titles.items(), key=lambda item: item[1])


@login_required
@require_GET
def exception_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The report as it is filtered on the page, as CSV or XLSX."""
    user = signed_in_user(request)
    every = _leads(request, user)
    if file_format not in {"csv", "xlsx"} or not every.exists():
        raise Http404("Nothing to export.")
    filters = LeadFilters.read(request.GET)
    found = filters.apply(every)
    name = f"pos-leads.{file_format}"
    if file_format == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            exports.as_csv(found, filters.as_query()), content_type="text/csv"
        )
    else:
        response = FileResponse(
            exports.as_xlsx(found, filters.as_query()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def exception_bulk_review(request: HttpRequest) -> HttpResponse:
    """One outcome and one note for the leads ticked on the report."""
    user = signed_in_user(request)
    ids = [int(pk) for pk in request.POST.getlist("lead") if pk.isdigit()]
    chosen = list(PosException.objects.visible_to(user).filter(pk__in=ids))
    if _reviewed(request, chosen):
        messages.success(request, f"{len(chosen):,} leads marked {_status_words(request)}.")
    return redirect(_back(request))


def _reviewed(request: HttpRequest, leads: list[PosException]) -> bool:
    """Apply the review form (status, reason, note) to ``leads``; False, with the reason on
    the page, when it is refused."""
    try:
        reviews.review_many(
            signed_in_user(request),
            leads,
            request.POST.get("status", ""),
            request.POST.get("note", ""),
            _reason(request.POST.get("reason", "")),
            together=len(leads) > 1,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


def _reason(chosen: str) -> ExplanationReason | None:
    if not chosen.isdigit():
        return None
    return ExplanationReason.objects.filter(pk=int(chosen), active=True).first()


def _status_words(request: HttpRequest) -> str:
    status = request.POST.get("status", "")
    return str(ReviewStatus(status).label).lower() if status in ReviewStatus.values else status


def _back(request: HttpRequest) -> str:
    """Back to the report as it was filtered (only ever a path of ours)."""
    back = request.POST.get("back", "")
    report = reverse("pos:exception-list")
    return back if back.startswith(report) and "//" not in back else report


@login_required
@require_POST
def saved_view_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filters = LeadFilters.read(request.POST)
    try:
        view = saved_views.save(user, request.POST.get("name", ""), filters)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_back(request))
    messages.success(request, f"Saved the view \u201c{view.name}\u201d.")
    return redirect(f"{reverse('pos:exception-list')}?{view.query}")


@login_required
@require_POST
def saved_view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = get_object_or_404(SavedView, pk=view_id, owner=signed_in_user(request))
    view.delete()
    messages.success(request, f"Removed the view \u201c{view.name}\u201d.")
    return redirect("pos:exception-list")


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
    # The employee's leads in the days the ranking covers, whichever export brought them.
    days = (scan.data_set.first_day, scan.data_set.last_day)
    exceptions = (
        PosException.objects.visible_to(user)
        .raised()
        .filter(employee_id=employee_id, business_date__range=days)
        .select_related("store", "reason")
    )
    context = {"scan": scan, "risk": risk, "exceptions": exceptions.order_by("-severity")[:200]}
    return render(request, "pos/employee_detail.html", context)


def _exception(request: HttpRequest, exception_id: int) -> PosException:
    found = PosException.objects.select_related(
        "store", "data_set", "case", "person", "reason", "reviewed_by", "first_scan", "last_scan"
    )
    return get_visible_or_404(found, signed_in_user(request), pk=exception_id)


@login_required
@require_GET
def exception_detail(request: HttpRequest, exception_id: int) -> HttpResponse:
    exception = _exception(request, exception_id)
    found = journal.read(folder_of(exception.data_set), exception.transaction_id)
    context = {
        "exception": exception,
        "journal": found,
        "statuses": [ReviewStatus.EXPLAINED, ReviewStatus.COACHING],
        "reasons": reviews.reasons_offered(),
        "history": exception.reviews.select_related("reviewed_by", "reason", "case"),
        "can_investigate": can(signed_in_user(request), Capability.INVESTIGATE),
        "cameras": cameras_on_register(exception.store, exception.register_id),
    }
    with store_time(exception.store):
        return render(request, "pos/exception_detail.html", context)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def exception_review(request: HttpRequest, exception_id: int) -> HttpResponse:
    exception = _exception(request, exception_id)
    if _reviewed(request, [exception]):
        messages.success(request, f"Marked {_status_words(request)}.")
    return redirect("pos:exception-detail", exception.pk)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def exception_escalation(request: HttpRequest, exception_id: int) -> HttpResponse:
    exception = _exception(request, exception_id)
    case = reviews.escalate(signed_in_user(request), exception, request.POST.get("note", ""))
    messages.success(request, f"Escalated: case {case.number} opened with the journal attached.")
    return redirect("cases:case-detail", case.number)


# --- the reasons reviewers choose from -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.SET_REVIEW_CHOICES)
def reason_list(request: HttpRequest) -> HttpResponse:
    """The LP manager's list of reasons a lead is explained; anyone who reviews can read it."""
    user = signed_in_user(request)
    require(user, Capability.INVESTIGATE)
    if request.method == "POST":
        _change_reasons(request, user)
        return redirect("pos:reason-list")
    context = {
        "reasons": ExplanationReason.objects.all(),
        "can_edit": can(user, Capability.SET_REVIEW_CHOICES),
    }
    return render(request, "pos/reason_list.html", context)


def _change_reasons(request: HttpRequest, user: User) -> None:
    """Add the reason typed, or withdraw the one whose button was pressed."""
    withdraw = request.POST.get("withdraw", "")
    try:
        if withdraw.isdigit():
            reason = get_object_or_404(ExplanationReason, pk=int(withdraw))
            reviews.withdraw_reason(user, reason)
            messages.success(request, f"\u201c{reason.label}\u201d is no longer offered.")
        else:
            reason = reviews.add_reason(user, request.POST.get("label", ""))
            messages.success(request, f"Reviewers can now choose \u201c{reason.label}\u201d.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


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
@writes(Capability.INVESTIGATE)
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
@writes(Capability.INVESTIGATE)
def data_set_scan(request: HttpRequest, data_set_id: int) -> HttpResponse:
    """Scan an imported data set again, in the background."""
    user = signed_in_user(request)
    data_set = get_visible_or_404(DataSet.objects.all(), user, pk=data_set_id)
    require(user, Capability.INVESTIGATE)
    if not imports.sees_every_store(user, data_set):
        messages.error(
            request, "This data set also covers stores you cannot see: ask someone who sees "
            "them all (an administrator) to scan it again.",
        )  # fmt: skip
        return redirect("pos:data-set-list")
    run = taskruns.start(
        scan_again, label=f"Scan {data_set.name} again", requested_by=user, data_set_id=data_set.pk
    )
    return redirect("core:task-run-detail", run.pk)
