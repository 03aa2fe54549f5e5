"""Pages for the company's side of sharing: share and revoke, agencies, information requests.

Authorisation comes before any form is read: a role that may not share is answered 403 on
every POST here, whatever it sent.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.core.models import AccessGrant, Agency, Role, Store, User
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, require
from vigil.core.scoping import scope_of
from vigil.sharing import grants, requests
from vigil.sharing.forms import (
    AgencyForm,
    AnswerShareForm,
    CloseRequestForm,
    MemberForm,
    RequestForm,
    RevokeForm,
    ShareForm,
    end_of_day,
)
from vigil.sharing.models import InformationRequest, RequestStatus
from vigil.sharing.shareables import find, kind_for_content_type, store_of

AGENCIES_NEED_EVERY_STORE = (
    "Agencies are run by administrators who see every store: what is shared with an agency "
    "comes from any of them."
)


def _say(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@login_required
@require_POST
def grant_new(request: HttpRequest, record_kind: str, reference: str) -> HttpResponse:
    user = signed_in_user(request)
    found_kind, record = find(user, record_kind, reference)
    require(user, Capability.INVESTIGATE)
    form = ShareForm(request.POST)
    if form.is_valid():
        grantee, agency = form.chosen()
        store = store_of(record)
        try:
            grant = grants.share(
                user,
                record,
                until=end_of_day(form.cleaned_data["until"], store),
                reason=form.cleaned_data["reason"],
                grantee=grantee,
                agency=agency,
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, f"Shared with {grant.recipient}.")
    else:
        messages.error(request, _form_errors(form))
    return redirect(found_kind.internal_url(record))


def _form_errors(form: ShareForm | AnswerShareForm | RevokeForm | CloseRequestForm) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(map(str, errors))}"
        for name, errors in form.errors.items()
    ).strip()


@login_required
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = signed_in_user(request)
    grant = get_object_or_404(AccessGrant.objects.visible_to(user), pk=grant_id)
    require(user, Capability.INVESTIGATE)
    form = RevokeForm(request.POST)
    if form.is_valid():
        grants.revoke(user, grant, form.cleaned_data["reason"])
        messages.success(request, f"Sharing with {grant.recipient} ended.")
    else:
        messages.error(request, "Say why sharing ends.")
    back = request.POST.get("next", "")
    kind = kind_for_content_type(grant.content_type)
    record = grant.shared_object
    if back == "list" or kind is None or record is None:
        return redirect("sharing:grant-list")
    return redirect(kind.internal_url(record))


@login_required
@require_GET
def grant_list(request: HttpRequest) -> HttpResponse:
    """Everything shared from the stores in scope: live first, then ended, newest first."""
    user = signed_in_user(request)
    require(user, Capability.INVESTIGATE)
    showing = request.GET.get("show", "live")
    # The records shared come by kind, one query each, not one per row.
    queryset = (
        AccessGrant.objects.visible_to(user)
        .select_related(
            "content_type", "grantee__agency", "agency", "granted_by", "revoked_by", "store"
        )
        .prefetch_related("shared_object")
    )
    if showing == "live":
        queryset = queryset.live()
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    rows = [
        {"grant": grant, "kind": kind_for_content_type(grant.content_type)}
        for grant in page.object_list
    ]
    return render(
        request,
        "sharing/grant_list.html",
        {"page": page, "rows": rows, "showing": showing, "revoke_form": RevokeForm()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agency_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Capability.MANAGE_USERS)
    if not scope_of(user).everything:
        raise PermissionDenied(AGENCIES_NEED_EVERY_STORE)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency = form.save()
        messages.success(request, f"Agency {agency} added.")
        return redirect("sharing:agency-detail", agency.pk)
    agencies = Agency.objects.annotate(
        member_count=models.Count("members", filter=models.Q(members__is_active=True))
    )
    return render(request, "sharing/agency_list.html", {"agencies": agencies, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    user = signed_in_user(request)
    if not scope_of(user).everything:
        # What is shared with an agency comes from every store; only those who see every
        # store may say who belongs to one.
        raise Http404("No such agency.")
    agency = get_object_or_404(Agency, pk=agency_id)
    require(user, Capability.MANAGE_USERS)
    form = MemberForm(request.POST or None, agency=agency)
    if request.method == "POST":
        removing = request.POST.get("remove")
        if removing:
            member = get_object_or_404(User, pk=removing, agency=agency)
            member.agency = None
            member.save()
            messages.success(
                request, f"{member} left {agency}; what was shared with it no longer reaches them."
            )
            return redirect("sharing:agency-detail", agency.pk)
        if form.is_valid():
            member = form.cleaned_data["user"]
            member.agency = agency
            member.save()
            messages.success(request, f"{member} joined {agency}.")
            return redirect("sharing:agency-detail", agency.pk)
    context = {
        "agency": agency,
        "members": agency.members.filter(role=Role.EXTERNAL).order_by("last_name", "username"),
        "form": form,
        "live_grants": agency.grants.live().select_related("content_type", "store"),
    }
    return render(request, "sharing/agency_detail.html", context)


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Capability.INVESTIGATE)
    status = request.GET.get("status", RequestStatus.OPEN)
    queryset = InformationRequest.objects.visible_to(user).select_related(
        "store", "agency", "requested_by"
    )
    if status in RequestStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset.order_by("due_on", "-received_at"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "statuses": RequestStatus.choices,
        "today": timezone.localdate(),
    }
    return render(request, "sharing/request_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """Enter a request that came by letter, fax or e-mail."""
    user = signed_in_user(request)
    require(user, Capability.INVESTIGATE)
    form = RequestForm(
        request.POST or None,
        stores=Store.objects.visible_to(user).filter(is_active=True),
        agencies=Agency.objects.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            received = requests.record_received(
                user, form.details(), form.cleaned_data.get("agency")
            )
        except ValidationError as error:
            _say(request, error)
        else:
            return redirect("sharing:request-detail", received.number)
    return render(request, "sharing/request_new.html", {"form": form})


@login_required
@require_GET
def request_detail(request: HttpRequest, request_number: str) -> HttpResponse:
    user = signed_in_user(request)
    info = get_object_or_404(
        InformationRequest.objects.visible_to(user).select_related("store", "agency"),
        number=request_number,
    )
    require(user, Capability.INVESTIGATE)
    shared = [
        {"grant": grant, "kind": kind_for_content_type(grant.content_type)}
        for grant in info.grants.select_related("content_type").prefetch_related("shared_object")
    ]
    context = {
        "info": info,
        "shared": shared,
        "share_form": AnswerShareForm(),
        "close_form": CloseRequestForm(),
    }
    return render(request, "sharing/request_detail.html", context)


def _record_to_share(user: User, form: AnswerShareForm) -> tuple[object, models.Model]:
    """The record an answer names, or a message saying which number was not found (a typo
    in a form is not a missing page)."""
    kind, reference = form.cleaned_data["kind"], form.cleaned_data["reference"].strip()
    try:
        return find(user, kind, reference)
    except Http404:
        label = dict(form.fields["kind"].choices).get(kind, kind)  # type: ignore[attr-defined]
        raise ValidationError(
            f"No {str(label).lower()} {reference} in your stores; check the number."
        ) from None


def _request_to_answer(request: HttpRequest, number: str) -> tuple[User, InformationRequest]:
    """The request (404 outside the user's stores), then the right to answer it (403)."""
    user = signed_in_user(request)
    info = get_object_or_404(InformationRequest.objects.visible_to(user), number=number)
    require(user, Capability.INVESTIGATE)
    return user, info


@login_required
@require_POST
def request_share(request: HttpRequest, request_number: str) -> HttpResponse:
    user, info = _request_to_answer(request, request_number)
    form = AnswerShareForm(request.POST)
    if form.is_valid():
        try:
            _, record = _record_to_share(user, form)
            grant = requests.share_in_answer(
                user, info, record, end_of_day(form.cleaned_data["until"], info.store)
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, f"Shared with {grant.recipient}.")
    else:
        messages.error(request, _form_errors(form))
    return redirect("sharing:request-detail", info.number)


@login_required
@require_POST
def request_close(request: HttpRequest, request_number: str) -> HttpResponse:
    user, info = _request_to_answer(request, request_number)
    form = CloseRequestForm(request.POST)
    if form.is_valid():
        try:
            requests.close(
                user,
                info,
                response=form.cleaned_data["response"],
                declined=form.cleaned_data["outcome"] == "declined",
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, f"{info.number} {info.get_status_display().lower()}.")
    else:
        messages.error(request, _form_errors(form))
    return redirect("sharing:request-detail", info.number)
