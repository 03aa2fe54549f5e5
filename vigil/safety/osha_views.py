"""OSHA pages: a store's Form 300 log and 300A summary for a year, recording a case (the
Form 301), the establishment's yearly figures, and the ITA files to upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from vigil.core.lists import list_page
from vigil.core.models import Person, Store
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.writes import writes
from vigil.safety import osha
from vigil.safety.models import EstablishmentYear, InjuryCase
from vigil.safety.tables import InjuryLogTable


class CaseForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = InjuryCase
        fields = [
            "employee", "job_title", "date_of_injury", "time_of_event", "time_started_work",
            "where_occurred", "description", "outcome", "days_away", "days_restricted",
            "injury_type", "privacy", "date_of_death", "date_of_birth", "date_hired", "sex",
            "physician", "treatment_facility", "emergency_room", "hospitalized_overnight",
            "before_incident", "what_happened", "injury_illness", "object_substance",
        ]  # fmt: skip
        widgets = {
            name: forms.DateInput(attrs={"type": "date"})
            for name in ("date_of_injury", "date_of_death", "date_of_birth", "date_hired")
        } | {
            name: forms.TimeInput(attrs={"type": "time"})
            for name in ("time_of_event", "time_started_work")
        }

    def __init__(self, *args: Any, store: Store, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = Person.objects.filter(home_store=store)  # type: ignore[attr-defined]


class EstablishmentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = EstablishmentYear
        fields = [
            "company_name", "ein", "naics_code", "industry_description", "establishment_type",
            "peak_employees", "annual_average_employees", "total_hours_worked",
            "certified_by", "certified_at",
        ]  # fmt: skip
        widgets = {"certified_at": forms.DateInput(attrs={"type": "date"})}
        labels = {"ein": "EIN", "naics_code": "NAICS code"}


def _store(request: HttpRequest, store_code: str) -> Store:
    return get_visible_or_404(Store.objects.all(), signed_in_user(request), code=store_code)


def _log_url(store: Store, year: int, code: str = "") -> str:
    return reverse("safety:osha-log", args=[code or store.code, year])


@login_required
@require_http_methods(["GET"])  # a choice of store and year: changes nothing
def osha_start(request: HttpRequest) -> HttpResponse:
    """The first store in scope (or the one chosen), this year."""
    user = signed_in_user(request)
    store = Store.objects.visible_to(user).order_by("code").first()
    if store is None:
        raise Http404("No store in your scope.")
    code = request.GET.get("store") or store.code
    year = request.GET.get("year") or str(timezone.localdate().year)
    address = _log_url(store, int(year) if year.isdigit() else this_year(), code)
    # A saved view of the log keeps its sort; the store and year are the log's address.
    sort = request.GET.get("sort")
    return redirect(f"{address}?{urlencode({'sort': sort})}" if sort else address)


def this_year() -> int:
    return timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def osha_log(request: HttpRequest, store_code: str, year: int) -> HttpResponseBase:
    """The Form 300 log and the 300A summary; POST saves the establishment's figures.

    The log sorts and pages as every list does, and ``?export=xlsx`` is the Form 300 as a
    spreadsheet; the files for OSHA's Injury Tracking Application stay their own (the ITA
    CSV templates, :func:`osha_download`), so the two are never taken for each other.
    """
    store = _store(request, store_code)
    user = signed_in_user(request)
    establishment = EstablishmentYear.objects.filter(store=store, year=year).first()
    form = EstablishmentForm(request.POST or None, instance=establishment)
    if request.method == "POST":
        require(user, Capability.RECORD)
        if form.is_valid():
            saved = form.save(commit=False)
            saved.store, saved.year = store, year
            saved.save()
            messages.success(request, f"{store.code} {year} figures saved.")
            return redirect(_log_url(store, year))
    cases = osha.log_of(store, year)
    return list_page(
        request,
        InjuryLogTable,
        cases.order_by("case_number"),
        "safety/osha_log.html",
        {
            "store": store,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
            "stores": Store.objects.visible_to(user).order_by("code"),
            "summary": osha.summarise(cases),
            "establishment": establishment,
            "establishment_form": form,
            "can_record": can(user, Capability.RECORD),
        },
        filters={"store": store.code, "year": year},
    )


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def osha_case_new(request: HttpRequest, store_code: str, year: int) -> HttpResponse:
    store = _store(request, store_code)
    user = signed_in_user(request)
    require(user, Capability.RECORD)
    form = CaseForm(request.POST or None, store=store)
    if request.method == "POST" and form.is_valid():
        try:
            case = osha.record_case(user, store, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Case {case.case_number} added to the {case.year} log.")
            return redirect(_log_url(store, case.year))
    return render(request, "safety/osha_case.html", {"form": form, "store": store, "year": year})


@login_required
@require_http_methods(["GET"])
def osha_download(request: HttpRequest, store_code: str, year: int, kind: str) -> HttpResponse:
    """The ITA summary or case-data CSV for the store and year."""
    store = _store(request, store_code)
    if kind not in ("summary", "cases"):
        raise Http404("No such file.")
    establishment = EstablishmentYear.objects.filter(store=store, year=year).first()
    if establishment is None:
        messages.error(request, f"Enter {store.code}'s {year} figures first.")
        return redirect(_log_url(store, year))
    try:
        summary, cases = osha.ita_files([establishment])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_log_url(store, year))
    body = summary if kind == "summary" else cases
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"osha-{'300a' if kind == 'summary' else 'cases'}-{store.code}-{year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
