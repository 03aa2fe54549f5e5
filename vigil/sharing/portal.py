"""The portal: what police, legal and insurers see, and all they see.

Each shared record is shown read-only with its own facts. Records it points at appear only
when they were shared too, as links to their own page here; anything else linked is not even
counted. Every opening and every download is on the audit log (and, for evidence, on its
chain of custody), with the grant that allowed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from vigil.core.clock import at_store
from vigil.core.models import Role, Store, User
from vigil.core.pages import signed_in_user
from vigil.sharing import grants, requests
from vigil.sharing.forms import RequestForm
from vigil.sharing.grants import SharedRecord
from vigil.sharing.models import InformationRequest
from vigil.sharing.shareables import store_of


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def _external(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if user.role != Role.EXTERNAL:
        # The company's own people work from the records' pages, not this portal.
        raise Http404("The portal is for users outside the company.")
    return user


@login_required
@require_GET
def shared_list(request: HttpRequest) -> HttpResponse:
    user = _external(request)
    items = grants.shared_with(user)
    rows = [{"item": item, "title": title_of(item), "store": _store(item)} for item in items]
    return render(request, "sharing/portal_list.html", {"rows": rows})


@login_required
@require_GET
def shared_item(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = _external(request)
    item = grants.open_shared(user, grant_id)
    grants.record_opened(item, "view")
    store = _store(item)
    context = {
        "item": item,
        "title": title_of(item),
        "store": store,
        "facts": facts_of(item),
        "text": text_of(item),
        "linked": [
            {"item": other, "title": title_of(other)}
            for other in grants.shared_links(user, item.record)
        ],
        "contents": _package_contents(item),
        "downloadable": item.kind.key in {"evidence", "package"},
    }
    response = render(request, "sharing/portal_item.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def shared_download(request: HttpRequest, grant_id: int) -> HttpResponseBase:
    """An evidence item's bytes or a package's ZIP, on the custody log of every item."""
    from vigil.evidence import custody, sharing
    from vigil.evidence.api import package_response
    from vigil.evidence.models import CustodyAction

    user = _external(request)
    item = grants.open_shared(user, grant_id)
    response: FileResponse | StreamingHttpResponse
    if item.kind.key == "evidence":
        evidence: Any = item.record
        stream = custody.open_for(evidence, CustodyAction.DOWNLOADED)
        response = FileResponse(
            stream,
            as_attachment=True,
            filename=evidence.original_filename,
            content_type="application/octet-stream",
        )
    elif item.kind.key == "package":
        package: Any = item.record
        sharing.record_download(package)
        response = package_response(package)
    else:
        raise Http404("Only evidence and police packages are downloaded.")
    grants.record_opened(item, "download")
    response["Cache-Control"] = "no-store"
    return response


def title_of(item: SharedRecord) -> str:
    record: Any = item.record
    key = item.kind.key
    if key == "case":
        return f"{record.number} · {record.title}"
    if key == "incident":
        return f"{record.number} · {record.summary}"
    if key == "package":
        return f"{record.number} · {record.purpose}"
    if key == "evidence":
        return f"{record.number} · {record.original_filename}"
    if key == "subject":
        return record.name or f"Unidentified subject #{record.pk}"
    return str(record)


def _store(item: SharedRecord) -> Store | None:
    return store_of(item.record)


def facts_of(item: SharedRecord) -> list[Fact]:
    """The record's own facts, in the words of its page inside the company."""
    record: Any = item.record
    store = _store(item)
    where = f"{store.name} ({store.code})" if store else "—"
    key = item.kind.key
    rows: list[tuple[str, Any]] = []
    if key == "case":
        rows = [
            ("Type", record.get_kind_display()),
            ("Status", record.get_status_display()),
            ("Lead store", where),
            ("Opened", at_store(record.opened_at, store)),
            ("Closed", at_store(record.closed_at, store) if record.closed_at else ""),
            ("Outcome", record.outcome),
        ]
    elif key == "incident":
        rows = [
            ("Type", record.get_kind_display()),
            ("Store", where),
            ("Place in store", record.location),
            ("Occurred", at_store(record.occurred_at, store)),
            ("Merchandise value", f"{record.merchandise_value:,.2f}"),
            ("Recovered", f"{record.recovered_value:,.2f}"),
            ("Police report no.", record.police_report_number),
            ("Disposition", record.get_disposition_display()),
        ]
    elif key == "evidence":
        rows = [
            ("Store", where),
            ("Source", record.get_source_display()),
            ("Acquired", f"{at_store(record.acquired_at, store)} by {record.acquired_by}"),
            ("Camera", record.camera),
            ("Media type", record.media_type),
            ("Size", f"{record.size:,} bytes"),
            ("SHA-256", record.sha256),
        ]
    elif key == "package":
        rows = [
            ("Store", where),
            ("Built", at_store(record.created_at, store)),
            ("Items", f"{len(record.manifest.get('evidence', [])):,}"),
            ("Size", f"{record.size:,} bytes"),
            ("SHA-256 of the ZIP", record.sha256),
        ]
    elif key == "subject":
        rows = [
            ("Aliases", record.aliases),
            ("Date of birth", record.date_of_birth.isoformat() if record.date_of_birth else ""),
            ("Approximate age", record.approximate_age),
            ("Height", record.height),
            ("Build", record.build),
            ("Hair", record.hair),
            ("Eyes", record.eyes),
            ("Identifying marks", record.identifying_marks),
            ("Clothing", record.clothing),
            ("Recorded at", where),
        ]
    elif key == "vehicle":
        rows = [
            ("Plate", f"{record.plate} {record.plate_state}".strip()),
            ("Make and model", f"{record.make} {record.model}".strip()),
            ("Colour", record.colour),
            ("Year", record.year),
            ("Recorded at", where),
        ]
    return [Fact(label, str(value)) for label, value in rows if value not in (None, "")]


def text_of(item: SharedRecord) -> str:
    record: Any = item.record
    return str(
        {
            "case": getattr(record, "summary", ""),
            "incident": getattr(record, "narrative", ""),
        }.get(item.kind.key, getattr(record, "description", ""))
        or ""
    )


def _package_contents(item: SharedRecord) -> list[dict[str, Any]]:
    if item.kind.key != "package":
        return []
    record: Any = item.record
    return list(record.manifest.get("evidence", []))


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    user = _external(request)
    queryset = InformationRequest.objects.made_by(user).select_related("store", "agency")
    return render(request, "sharing/portal_requests.html", {"requests": queryset})


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = _external(request)
    form = RequestForm(request.POST or None, stores=Store.objects.filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        try:
            sent = requests.submit(user, form.details())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Request {sent.number} sent to {sent.store.name}.")
            return redirect("sharing:portal-request", sent.number)
    return render(request, "sharing/portal_request_new.html", {"form": form})


@login_required
@require_GET
def request_detail(request: HttpRequest, request_number: str) -> HttpResponse:
    user = _external(request)
    info = get_object_or_404(
        InformationRequest.objects.made_by(user).select_related("store", "agency"),
        number=request_number,
    )
    reachable = {item.grant.pk: item for item in grants.shared_with(user)}
    answered: list[dict[str, Any]] = []
    for grant in info.grants.select_related("content_type"):
        item = reachable.get(grant.pk)
        if item is None:
            # A grant that ended, or was replaced by a longer one to the same record.
            item = next(
                (
                    other
                    for other in reachable.values()
                    if (other.grant.content_type_id, other.grant.object_id)
                    == (grant.content_type_id, grant.object_id)
                ),
                None,
            )
        answered.append({"grant": grant, "item": item, "title": title_of(item) if item else ""})
    return render(request, "sharing/portal_request.html", {"info": info, "answered": answered})
