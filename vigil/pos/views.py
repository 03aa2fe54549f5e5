"""POS pages: the lead report with bulk review and saved views, the rankings, one lead with
its journal and review history, the reasons reviewers choose from, and the data sets with
their imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.cases.views.common import filters_of, store_time
from vigil.core import taskruns
from vigil.core.lists import COUNT_BOUND, EXPORT_FORMATS, list_page
from vigil.core.models import User
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.storeswitch import in_current_store
from vigil.core.writes import writes
from vigil.pos import imports, journal, rankings, reviews
from vigil.pos.amounts import COLUMN_NOTE
from vigil.pos.filters import LeadFilters
from vigil.pos.forms import LeadFilterForm, RankingAccessForm, RankingFilterForm
from vigil.pos.imports import folder_of, inbox, inbox_folders
from vigil.pos.models import (
    DataSet,
    EmployeeRisk,
    ExplanationReason,
    PosException,
    ReviewStatus,
    Scan,
    ScanStatus,
    StoreRisk,
)
from vigil.pos.regions import described, region_names
from vigil.pos.tables import EmployeeRiskTable, LeadTable
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


def _filters(request: HttpRequest, user: User) -> tuple[LeadFilterForm, LeadFilters]:
    """The filter form (for the bar, errors beside their fields) and the filters it leaves.

    An old address's ``?scan=`` names the scan's data set, as it always did; a value the
    form refuses is shown as an error and left out, so the rest of the filters still apply.
    """
    data = request.GET.copy()
    scan = data.get("scan", "")
    if scan.isdigit() and not data.get("data_set"):
        scans = Scan.objects.visible_to(user).filter(pk=int(scan))
        found = scans.values_list("data_set_id", flat=True).first()
        if found is not None:
            data["data_set"] = str(found)
    form = LeadFilterForm(data, user=user)
    form.is_valid()
    valid = {key: data.get(key) for key in data if key not in form.errors and key != "scan"}
    return form, LeadFilters.read(valid)


@login_required
@require_GET
def exception_list(request: HttpRequest) -> HttpResponseBase:
    """The lead report (:class:`~vigil.pos.tables.LeadTable`): filters, sort, saved views,
    CSV/XLSX, and the bulk review of the leads ticked on the page."""
    user = signed_in_user(request)
    form, filters = _filters(request, user)
    every = _leads(request, user)
    found = filters.apply(every).select_related("store", "person", "reason", "case")
    # Counted to a bound, as the list is: "10,000+ to review" says enough.
    waiting = in_current_store(request, PosException.objects.visible_to(user).to_review())
    to_review = waiting.order_by()[: COUNT_BOUND + 1].count()
    context = {
        "form": form,
        "offered": reviews.reasons_offered(),
        "to_review": min(to_review, COUNT_BOUND),
        "to_review_more": to_review > COUNT_BOUND,
        "has_leads": every.exists(),
        "can_investigate": can(user, Capability.INVESTIGATE),
        "can_see_rankings": can(user, Capability.VIEW_EMPLOYEE_RANKINGS),
        "here": request.get_full_path(),
    }
    return list_page(
        request,
        LeadTable,
        found,
        "pos/exception_list.html",
        context,
        filters=filters.as_query(),
    )


@login_required
@require_GET
def exception_export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """The report's old export address (``/pos/export.csv?...``), kept for bookmarks: the
    report itself answers it (``/pos/?...&export=csv``), with the same columns as ever."""
    # As it always did, the address finds nothing where there is no lead to export.
    if file_format not in EXPORT_FORMATS or not _leads(request, signed_in_user(request)).exists():
        raise Http404("Nothing to export.")
    query = request.GET.copy()
    query["export"] = file_format
    # The report reads its filters, sort and export from the query, as it does at /pos/.
    request.GET = query  # type: ignore[assignment]
    return exception_list(request)


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
@require_GET
def employee_list(request: HttpRequest) -> HttpResponseBase:
    """One scan's ranking (:class:`~vigil.pos.tables.EmployeeRiskTable`), and its stores',
    each numbered 1, 2, 3 … among the rows the user sees (:mod:`vigil.pos.rankings`)."""
    user = signed_in_user(request)
    require(user, Capability.VIEW_EMPLOYEE_RANKINGS)
    scan = _scan(request, user)
    form = RankingFilterForm(request.GET, user=user, current=scan)
    employees: QuerySet[EmployeeRisk] = EmployeeRisk.objects.none()
    stores: QuerySet[StoreRisk] = StoreRisk.objects.none()
    if scan is not None:
        employees = in_current_store(
            request, EmployeeRisk.objects.visible_to(user).filter(scan=scan)
        )
        stores = in_current_store(request, StoreRisk.objects.visible_to(user).filter(scan=scan))
    filters = filters_of(form)
    if filters.get("employee"):
        employees = rankings.placed_one(employees, employee_id__iexact=filters["employee"])
    else:
        employees = rankings.placed(employees)
    context = {
        "form": form,
        "scan": scan,
        "stores": rankings.placed(stores.select_related("store")).order_by("rank", "pk"),
    }
    return list_page(
        request,
        EmployeeRiskTable,
        employees.select_related("store", "person").order_by("rank", "pk"),
        "pos/employee_list.html",
        context,
        filters=filters,
    )


@login_required
@require_GET
def employee_detail(request: HttpRequest, employee_id: str) -> HttpResponse:
    """One employee's place in a scan's ranking, why, and their leads in its days."""
    user = signed_in_user(request)
    scan = _scan(request, user)
    if scan is None:
        raise Http404("No scan yet.")
    # Another store's employee is not found (404) before a role is refused (403).
    risk = get_visible_or_404(
        EmployeeRisk.objects.filter(scan=scan).select_related("store", "person"),
        user,
        employee_id=employee_id,
    )
    require(user, Capability.VIEW_EMPLOYEE_RANKINGS)
    # The place among the employees this user sees, as the ranking page numbers them (in
    # the store chosen in the switcher, when the employee is one of its own).
    seen: QuerySet[EmployeeRisk] = EmployeeRisk.objects.visible_to(user).filter(scan=scan)
    here = in_current_store(request, seen)
    if here.filter(pk=risk.pk).exists():
        seen = here
    # The employee's leads in the days the ranking covers, whichever export brought them.
    days = (scan.data_set.first_day, scan.data_set.last_day)
    exceptions = (
        PosException.objects.visible_to(user)
        .raised()
        .filter(employee_id=employee_id, business_date__range=days)
        .select_related("store", "reason")
    )
    context = {
        "scan": scan,
        "risk": risk,
        "place": rankings.place_of(seen, risk.rank),
        "ranked": seen.count(),
        "exceptions": exceptions.order_by("-severity")[:200],
        "amount_note": COLUMN_NOTE,
    }
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
        "can_see_rankings": can(signed_in_user(request), Capability.VIEW_EMPLOYEE_RANKINGS),
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
    messages.success(
        request, f"Escalated: case {case.number} opened with the lead's journal, employee and "
        "camera window.",
    )  # fmt: skip
    return redirect("cases:case-detail", case.number)


@login_required
@require_http_methods(["GET", "POST"])
def ranking_access(request: HttpRequest) -> HttpResponse:
    """The administrator's setting of which roles see individual employees' rankings."""
    user = signed_in_user(request)
    require(user, Capability.MANAGE_USERS)
    current = rankings.current_access()
    form = RankingAccessForm(request.POST or None, initial={"roles": current.roles})
    if request.method == "POST" and form.is_valid():
        rankings.set_roles(user, form.cleaned_data["roles"])
        messages.success(request, "Saved: who sees individual rankings.")
        return redirect("pos:ranking-access")
    context = {"form": form, "defaults": rankings.default_labels()}
    return render(request, "pos/ranking_access.html", context)


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
    found = list(DataSet.objects.visible_to(user).prefetch_related("stores", "scans"))
    names = region_names()
    for data_set in found:
        # How its export's region codes were mapped to the organisation's, on import.
        data_set.region_lines = described(data_set.regions, names)  # type: ignore[attr-defined]
    context = {
        "data_sets": found,
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
