"""Statement pages: take one (typed, or a scan), read its versions, sign it, correct it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.cases import lookups, reports, statements
from vigil.cases.forms import SignForm, StatementForm
from vigil.cases.models import Statement, StatementStatus
from vigil.cases.views.common import add_errors, store_time
from vigil.core.limits import LONG_TEXT_CHARS
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.writes import writes


def _statement(request: HttpRequest, statement_id: int) -> Statement:
    found = Statement.objects.select_related("store", "incident", "case", "taken_by")
    return get_visible_or_404(found, signed_in_user(request), pk=statement_id)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def statement_new(request: HttpRequest, incident_number: str) -> HttpResponse:
    """A statement about one incident, taken at its store."""
    incident = lookups.incident(signed_in_user(request), incident_number)
    return _take(request, incident.store, about=incident, incident=incident)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.RECORD)
def statement_new_on_case(request: HttpRequest, case_number: str) -> HttpResponse:
    """A statement for a case as a whole (a witness to the pattern, an interview), taken at
    the case's lead store."""
    case = lookups.case(signed_in_user(request), case_number)
    return _take(request, case.store, about=case, case=case)


def _take(request: HttpRequest, store: Any, about: Any, **belongs_to: Any) -> HttpResponse:
    """The statement form for an incident or a case; its scans are that record's evidence."""
    from vigil.evidence.models import EvidenceItem

    user = signed_in_user(request)
    require(user, Capability.RECORD)
    scans = EvidenceItem.objects.visible_to(user).filter(deleted_at__isnull=True, **belongs_to)
    with store_time(store):
        form = StatementForm(request.POST or None, scans=scans)
        if request.method == "POST" and form.is_valid():
            scan = form.cleaned_data["scan"]
            fields = {k: v for k, v in form.cleaned_data.items() if k not in {"body", "scan"}}
            fields.update(store=store, **belongs_to)
            if scan is not None:
                fields["method"] = "scan"
            try:
                statement = statements.take_statement(
                    user, fields, body=form.cleaned_data["body"], scan=scan
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, "Statement saved. Read it back to the witness, then sign."
                )
                return redirect("cases:statement-detail", statement.pk)
        return render(request, "cases/statement_new.html", {"form": form, "about": about})


@login_required
@require_GET
def statement_detail(request: HttpRequest, statement_id: int) -> HttpResponse:
    return _detail(request, _statement(request, statement_id))


def _detail(
    request: HttpRequest, statement: Statement, revision: dict[str, Any] | None = None
) -> HttpResponse:
    """The statement page; ``revision`` holds refused new words, kept to fix, with errors."""
    current = statement.current
    with store_time(statement.store):
        context = {
            "statement": statement,
            "versions": statement.versions.select_related("created_by", "scan"),
            "sign_form": SignForm(initial={"attested_name": statement.witness_name}),
            "signed": statement.status == StatementStatus.SIGNED,
            "problem": statements.verify_versions(statement),
            "body_limit": LONG_TEXT_CHARS,
            "revision": revision or {"body": current.body if current else "", "errors": {}},
        }
        return render(request, "cases/statement_detail.html", context)


@login_required
@require_POST
@writes(Capability.RECORD)
def statement_sign(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = _statement(request, statement_id)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            statements.sign(
                signed_in_user(request),
                statement,
                form.cleaned_data["attested_name"],
                form.cleaned_data["signature_png"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, "Signed. The statement is locked; corrections are new versions."
            )
    return redirect("cases:statement-detail", statement.pk)


@login_required
@require_POST
@writes(Capability.RECORD)
def statement_revise(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = _statement(request, statement_id)
    body, reason = request.POST.get("body", ""), request.POST.get("reason", "")
    try:
        statements.revise(signed_in_user(request), statement, body, reason=reason)
    except ValidationError as error:
        # The words stay on the page with the error under their box: nothing typed is lost.
        errors = dict(error.message_dict) if hasattr(error, "error_dict") else {}
        errors["other"] = errors.pop(NON_FIELD_ERRORS, []) if errors else error.messages
        revision = {"body": body, "reason": reason, "errors": errors, "open": True}
        return _detail(request, statement, revision)
    else:
        messages.success(request, "Saved as a new version.")
    return redirect("cases:statement-detail", statement.pk)


@login_required
@require_GET
def statement_pdf(request: HttpRequest, statement_id: int) -> HttpResponse:
    statement = _statement(request, statement_id)
    response = HttpResponse(reports.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="statement-{statement.pk}.pdf"'
    return response
