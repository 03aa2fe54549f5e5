"""Pages of the core app: sign-in, dashboard, stores, people, users, tokens, audit log.

Each view parses, authorises (scoped lookup first, so out-of-scope objects are 404), calls
one domain function and renders.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vigil.core import accounts, auditlog, records, savedviews, taskruns, tokens, work
from vigil.core.forms import (
    AuditFilterForm,
    NewUserForm,
    PeopleFilterForm,
    SignInForm,
    TokenForm,
    UserAccessForm,
    UserFilterForm,
)
from vigil.core.lists import list_page, valid_filters
from vigil.core.models import (
    ApiToken,
    AuditEvent,
    Person,
    Role,
    SavedView,
    Store,
    TaskRun,
    User,
)
from vigil.core.pages import query_without_page, signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404, scope_of
from vigil.core.storeswitch import choose_store, current_store
from vigil.core.tables import AuditEventTable, PersonTable, UserTable
from vigil.core.tasks import verify_audit_chain
from vigil.core.writes import writes


class SignInView(auth_views.LoginView):
    http_method_names = ["get", "post"]
    template_name = "core/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Django's LoginView redirects a signed-in user before it looks at the method.
        if (request.method or "").lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The page each role opens first: its sections come from ``vigil.reports.dashboards``."""
    from vigil.reports import dashboards  # reports reads every app; core is read by them all

    user = signed_in_user(request)
    chosen = current_store(request)
    context = {
        "board": dashboards.for_user(user, chosen),
        "store_count": Store.objects.visible_to(user).count(),
        "scope": scope_of(user),
        "task_runs": TaskRun.objects.visible_to(user).filter(requested_by=user)[:5],
        "recent_events": (
            AuditEvent.objects.visible_to(user).select_related("store")[:8]
            if can(user, Capability.VIEW_AUDIT_LOG)
            else None
        ),
    }
    return render(request, "core/dashboard.html", context)


@login_required
@require_GET
def my_work(request: HttpRequest) -> HttpResponse:
    """What waits for the signed-in user, from every app, each item a link to where it is done."""
    user = signed_in_user(request)
    if user.role == Role.EXTERNAL:  # the portal middleware refuses them first; this too
        raise PermissionDenied("Police, legal and insurers read what is shared with them.")
    chosen = current_store(request)
    sections = work.board_for(request, chosen)
    context = {
        "sections": sections,
        "idle": work.idle_sources(request, sections),
        "counts": work.counts_for(request, chosen),
        "scope": scope_of(user),
    }
    return render(request, "core/my_work.html", context)


@login_required
@require_POST
def switch_store(request: HttpRequest) -> HttpResponse:
    store = choose_store(request, request.POST.get("store") or None)
    messages.info(request, f"Showing {store}." if store else "Showing all your stores.")
    back = request.POST.get("next", "")
    return redirect(
        back if back.startswith("/") and not back.startswith("//") else "core:dashboard"
    )


# --- stores and people ---------------------------------------------------------------


@login_required
@require_GET
def store_list(request: HttpRequest) -> HttpResponse:
    stores = Store.objects.visible_to(request.user).select_related("region")
    counted = stores.annotate(people_count=Count("people"))
    return render(request, "core/store_list.html", {"stores": counted})


@login_required
@require_GET
def store_detail(request: HttpRequest, store_code: str) -> HttpResponse:
    store = get_visible_or_404(
        Store.objects.select_related("region"), request.user, code=store_code
    )
    context = {
        "store": store,
        "hours": store.opening_hours.all(),
        "local_now": store.local_now(),
        "open_now": store.is_open_at(timezone.now()),
        "people": store.people.filter(left_on__isnull=True).order_by("role", "name"),
    }
    return render(request, "core/store_detail.html", context)


@login_required
@require_GET
def person_list(request: HttpRequest) -> HttpResponseBase:
    form = PeopleFilterForm(request.GET)
    people = Person.objects.visible_to(request.user).select_related("home_store")
    chosen = current_store(request)
    if chosen is not None:
        people = people.filter(home_store=chosen)
    filters = valid_filters(form)
    if query := filters.get("q"):
        people = records.search_people(people, query)
    if role := filters.get("role"):
        people = people.filter(role=role)
    return list_page(
        request, PersonTable, people, "core/person_list.html", {"form": form}, filters=filters
    )


@login_required
@require_GET
def person_detail(request: HttpRequest, employee_id: str) -> HttpResponse:
    person = get_visible_or_404(
        Person.objects.select_related("home_store"), request.user, employee_id=employee_id
    )
    return render(request, "core/person_detail.html", {"person": person})


# --- users and API tokens -------------------------------------------------------------


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponseBase:
    require(request.user, Capability.MANAGE_USERS)
    form = UserFilterForm(request.GET)
    filters = valid_filters(form)
    users = accounts.filter_users(
        User.objects.visible_to(request.user).select_related("person__home_store"), **filters
    )
    return list_page(
        request, UserTable, users, "core/user_list.html", {"form": form}, filters=filters
    )


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.MANAGE_USERS)
def user_new(request: HttpRequest) -> HttpResponse:
    admin = signed_in_user(request)
    require(admin, Capability.MANAGE_USERS)
    form = NewUserForm(request.POST or None, admin=admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data | form.access_changes()
        try:
            created = accounts.create_user(admin, data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"User {created.username} created.")
            return redirect("core:user-detail", user_id=created.pk)
    return render(request, "core/user_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.MANAGE_USERS)
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    admin = signed_in_user(request)
    target = get_visible_or_404(User.objects.select_related("person"), admin, pk=user_id)
    require(admin, Capability.MANAGE_USERS)
    initial = {
        "role": target.role,
        "scope_kind": target.scope_kind,
        "is_active": target.is_active,
        "stores": list(target.stores.all()),
        "regions": list(target.regions.all()),
    }
    form = UserAccessForm(request.POST or None, initial=initial, admin=admin)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.change_user(admin, target, form.access_changes())
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Access of {target.username} saved.")
            return redirect("core:user-detail", user_id=target.pk)
    events = AuditEvent.objects.filter(object_type="core.user", object_id=str(target.pk))[:20]
    context = {"target": target, "form": form, "events": events, "tokens": target.api_tokens.all()}
    return render(request, "core/user_detail.html", context)


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
@writes(Capability.USE_API_TOKENS)
def token_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = TokenForm(request.POST or None)
    created: str | None = None
    if request.method == "POST":
        require(user, Capability.USE_API_TOKENS)
        if form.is_valid():
            _, created = tokens.issue(
                user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                created_by=user,
            )
            form = TokenForm()
    context = {
        "form": form,
        "created": created,
        "tokens": ApiToken.objects.filter(user=user),
        "may_create": can(user, Capability.USE_API_TOKENS),
    }
    return render(request, "core/token_list.html", context)


@login_required
@require_POST
def token_revocation(request: HttpRequest, token_id: int) -> HttpResponse:
    user = signed_in_user(request)
    token = get_visible_or_404(ApiToken.objects.all(), user, pk=token_id)
    tokens.revoke(token)
    messages.success(request, f"Token {token.name} revoked.")
    back = (
        reverse("core:token-list")
        if token.user_id == user.pk
        else reverse("core:user-detail", kwargs={"user_id": token.user_id})
    )
    return redirect(back)


# --- audit log and task runs ------------------------------------------------------------


def _audit_events(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    require(request.user, Capability.VIEW_AUDIT_LOG)
    form = AuditFilterForm(request.GET)
    events = AuditEvent.objects.visible_to(request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, auditlog.filter_events(events, **filters)


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponseBase:
    form, events = _audit_events(request)
    context = {"form": form, "query": query_without_page(request)}
    return list_page(
        request,
        AuditEventTable,
        events.select_related("store"),
        "core/audit_log.html",
        context,
        filters=valid_filters(form),
    )


@login_required
@require_GET
def audit_event_detail(request: HttpRequest, event_seq: int) -> HttpResponse:
    event = get_visible_or_404(
        AuditEvent.objects.select_related("store"), request.user, seq=event_seq
    )
    require(request.user, Capability.VIEW_AUDIT_LOG)
    return render(request, "core/audit_event_detail.html", {"event": event})


@login_required
@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    form, events = _audit_events(request)
    filters = form.cleaned_data if form.is_valid() else {}
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(auditlog.export_csv(events, filters), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="vigil-audit-{stamp}.csv"'
    return response


@login_required
@require_POST
@writes(Capability.VIEW_AUDIT_LOG)
def audit_verification(request: HttpRequest) -> HttpResponse:
    """Start a full re-verification of the chain in the background."""
    user = signed_in_user(request)
    require(user, Capability.VIEW_AUDIT_LOG)
    if not scope_of(user).everything:
        raise PermissionDenied("Verifying the whole chain needs access to every store.")
    run = taskruns.start(verify_audit_chain, label="Verify audit chain", requested_by=user)
    return redirect("core:task-run-detail", task_run_id=run.pk)


@login_required
@require_GET
def task_run_detail(request: HttpRequest, task_run_id: UUID) -> HttpResponse:
    run = get_visible_or_404(TaskRun.objects.all(), request.user, pk=task_run_id)
    template = (
        "core/_task_run.html" if request.headers.get("HX-Request") else "core/task_run_detail.html"
    )
    context = {"run": run, "can_retry": taskruns.may_retry(signed_in_user(request), run)}
    return render(request, template, context)


@login_required
@require_POST
def task_run_retry(request: HttpRequest, task_run_id: UUID) -> HttpResponse:
    """Start a failed run again, as the person who first asked for it."""
    run = get_visible_or_404(TaskRun.objects.all(), request.user, pk=task_run_id)
    user = signed_in_user(request)
    if run.requested_by_id != user.pk and user.role != Role.ADMIN:
        # Refused outright, not a message on the run's page that reads like an attempt.
        raise PermissionDenied("Only whoever started the run, or an administrator, may retry it.")
    try:
        taskruns.retry(user, run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("core:task-run-detail", task_run_id=run.pk)


@login_required
@require_POST
@writes(Capability.VIEW)
def saved_view_new(request: HttpRequest) -> HttpResponse:
    """Keep the list's filters and sort under a name, and go back to the list."""
    user = signed_in_user(request)
    try:
        view = savedviews.save_view(
            user,
            request.POST.get("list_key", ""),
            request.POST.get("name", ""),
            request.POST.get("query", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("core:dashboard")
    messages.success(request, f"View “{view.name}” saved.")
    return redirect(savedviews.url_of(view))


@login_required
@require_POST
@writes(Capability.VIEW)
def saved_view_deletion(request: HttpRequest, view_id: int) -> HttpResponse:
    view = get_visible_or_404(SavedView.objects.all(), signed_in_user(request), pk=view_id)
    address = savedviews.url_of(view).split("?")[0]
    view.delete()
    messages.success(request, f"View “{view.name}” deleted.")
    return redirect(address)
