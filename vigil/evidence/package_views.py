"""Pages of police packages: choosing what goes in, the build's progress, sharing, downloads.

Building runs in the background (:mod:`vigil.evidence.package_jobs`); the package page polls
itself (htmx) while it builds. A share link is e-mailed to its recipient, and the public page
the link opens is here too (no sign-in: the link is the key).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from vigil.cases import lookups
from vigil.cases.models import Case, Incident
from vigil.cases.views.common import store_time
from vigil.core import audit
from vigil.core.models import AuditAction, User
from vigil.core.pages import signed_in_user
from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404
from vigil.core.writes import writes
from vigil.evidence import package_contents, package_jobs, packages, sharing
from vigil.evidence.api import package_response
from vigil.evidence.models import DownloadRoute, EvidencePackage, PackageStatus, ShareLink
from vigil.evidence.package_contents import Selection


def _package(request: HttpRequest, number: str) -> EvidencePackage:
    found = EvidencePackage.objects.select_related("store", "case", "incident", "previous")
    return get_visible_or_404(found, signed_in_user(request), number=number)


def _matter(user: User, data: Any) -> tuple[Case | None, Incident | None]:
    case = lookups.case(user, data["case"]) if data.get("case") else None
    incident = lookups.incident(user, data["incident"]) if data.get("incident") else None
    return case, incident


def _back(case: Case | None, incident: Incident | None) -> str:
    if case is not None:
        return reverse("cases:case-detail", args=[case.number])
    if incident is not None:
        return reverse("cases:incident-detail", args=[incident.number])
    return reverse("core:dashboard")


@login_required
@require_GET
def package_choose(request: HttpRequest) -> HttpResponse:
    """Choose what goes into a new package (``?case=`` or ``?incident=``), or into a rebuild
    of one (``?rebuild=``): everything is ticked for a new one; a rebuild starts from what
    the package held, and whatever is new since."""
    user = signed_in_user(request)
    previous = _package(request, request.GET["rebuild"]) if request.GET.get("rebuild") else None
    if previous is not None:
        case, incident = previous.case, previous.incident
    else:
        case, incident = _matter(user, request.GET)
    if (case is None) == (incident is None):
        raise Http404("Build a package from a case or an incident.")
    require(user, Capability.INVESTIGATE)
    choices = package_contents.choices_for(user, case, incident)
    ticked = (
        package_contents.ticked_for_rebuild(previous, choices)
        if previous is not None
        else package_contents.everything(choices)
    )
    matter: Case | Incident = case or incident  # type: ignore[assignment]
    with store_time(matter.store):
        context = {
            "matter": matter,
            "case": case,
            "incident": incident,
            "choices": choices,
            "ticked": ticked,
            "previous": previous,
            "changes": package_contents.changes_since(previous) if previous else [],
            "purpose": previous.purpose if previous else request.GET.get("purpose", ""),
            "back": _back(case, incident),
        }
        return render(request, "evidence/package_new.html", context)


def _selection(data: Any) -> Selection | None:
    """What the form ticked; None (everything) for a form without the choices on it."""
    if not data.get("chosen"):
        return None
    try:
        statements = tuple(int(value) for value in data.getlist("statements"))
    except ValueError:
        raise ValidationError({"statements": "Choose statements from the list."}) from None
    return Selection(
        evidence=tuple(data.getlist("evidence")),
        statements=statements,
        reports=tuple(data.getlist("reports")),
        summary=bool(data.get("summary")),
    )


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def package_new(request: HttpRequest) -> HttpResponse:
    """Start building a package of what was chosen; the package's page shows the progress."""
    user = signed_in_user(request)
    previous = _package(request, request.POST["previous"]) if request.POST.get("previous") else None
    case, incident = _matter(user, request.POST)
    try:
        package = package_jobs.start_build(
            user,
            purpose=request.POST.get("purpose", ""),
            case=case,
            incident=incident,
            selection=_selection(request.POST),
            previous=previous,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_back(case, incident))
    if package.status == PackageStatus.FAILED:
        messages.error(request, f"Package {package.number} could not be built: {package.error}")
    elif package.is_ready:
        messages.success(request, f"Package {package.number} built.")
    return redirect("evidence:package-detail", package.number)


@login_required
@require_GET
def package_detail(request: HttpRequest, package_number: str) -> HttpResponse:
    package = _package(request, package_number)
    user = signed_in_user(request)
    run = package_jobs.run_of(package)
    if request.headers.get("HX-Request"):
        return _build_status(request, package, run)
    with store_time(package.store):
        context = {
            "package": package,
            "run": run,
            "shares": package.shares.all(),
            "downloads": package.downloads.select_related("share_link")[:100],
            "changes": package_contents.changes_since(package),
            "newer": package_contents.replaced_by(package),
            "versions": _versions(package),
            "new_link": request.session.pop("new_share_link", None),
            "can_investigate": can(user, Capability.INVESTIGATE),
            "can_record": can(user, Capability.RECORD),
        }
        return render(request, "evidence/package_detail.html", context)


def _build_status(request: HttpRequest, package: EvidencePackage, run: Any) -> HttpResponse:
    """The progress block the page polls; once the build is over, the whole page reloads."""
    response = render(request, "evidence/_package_build.html", {"package": package, "run": run})
    if package.status != PackageStatus.BUILDING:
        response["HX-Refresh"] = "true"
    return response


def _versions(package: EvidencePackage) -> list[EvidencePackage]:
    """Every version of the package, newest first (each kept, each still verifiable)."""
    found = EvidencePackage.objects.filter(
        case=package.case, incident=package.incident, pk__in=_chain_ids(package)
    )
    return list(found.order_by("-version", "-pk"))


def _chain_ids(package: EvidencePackage) -> set[int]:
    ids = {package.pk}
    earlier = package.previous
    while earlier is not None and earlier.pk not in ids:
        ids.add(earlier.pk)
        earlier = earlier.previous
    later = list(package.rebuilds.all())
    while later:
        newer = later.pop()
        if newer.pk not in ids:
            ids.add(newer.pk)
            later.extend(newer.rebuilds.all())
    return ids


@login_required
@require_GET
def package_download(request: HttpRequest, package_number: str) -> StreamingHttpResponse:
    package = _package(request, package_number)
    if not package.is_ready:
        raise Http404(f"{package.number} is not built.")
    sharing.record_download(package, DownloadRoute.PAGE)
    return package_response(package)


@login_required
@require_POST
@writes(Capability.RECORD)
def package_verify(request: HttpRequest, package_number: str) -> HttpResponse:
    """Re-check the stored ZIP and every file in it, as a recipient would; on the audit log."""
    package = _package(request, package_number)
    if not package.is_ready:
        raise Http404(f"{package.number} is not built.")
    problems = packages.verify(package)
    audit.record(
        AuditAction.EVIDENCE_VERIFY,
        obj=package,
        store_id=package.store_id,
        changes={"ok": not problems, "problems": problems},
    )
    if problems:
        messages.error(request, " ".join(problems))
    else:
        messages.success(
            request,
            "Verified: the ZIP matches its SHA-256 and every file in it matches SHA256SUMS.",
        )
    return redirect("evidence:package-detail", package.number)


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def share_new(request: HttpRequest, package_number: str) -> HttpResponse:
    """A new link for a recipient, e-mailed to them (and into their portal, if they have one)."""
    package = _package(request, package_number)
    user = signed_in_user(request)
    try:
        link, token = sharing.share(
            user,
            package,
            recipient=request.POST.get("recipient", ""),
            agency=request.POST.get("agency", ""),
            email=_required_email(request.POST.get("email", "")),
            days=_days(request.POST.get("days", "14")),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("evidence:package-detail", package.number)
    url = request.build_absolute_uri(reverse("evidence:shared-package", args=[token]))
    delivered = sharing.send_link(user, link, url, portal_url=_portal_url(request))
    _say_delivered(request, link, delivered)
    request.session["new_share_link"] = url
    return redirect("evidence:package-detail", package.number)


def _required_email(value: str) -> str:
    if not value.strip():
        raise ValidationError({"email": "E-mail: the address the link is sent to."})
    return value


def _days(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValidationError({"days": "Days valid: a whole number of days."}) from None


def _portal_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("sharing:portal"))


def _say_delivered(request: HttpRequest, link: ShareLink, delivered: sharing.Delivery) -> None:
    where = " It is also in their Vigil portal." if delivered.grant is not None else ""
    if delivered.emailed:
        messages.success(request, f"Link e-mailed to {link.recipient} at {link.email}.{where}")
    else:
        messages.warning(
            request, f"Link created but not e-mailed: {delivered.problem} Pass it on below.{where}"
        )


@login_required
@require_POST
@writes(Capability.INVESTIGATE)
def share_revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    user = signed_in_user(request)
    link = get_visible_or_404(ShareLink.objects.select_related("package"), user, pk=share_id)
    sharing.revoke(user, link)
    messages.success(request, f"Link for {link.recipient} revoked.")
    return redirect("evidence:package-detail", link.package.number)


# --- what a share link opens (no sign-in: the link is the key) ------------------------


def _live_link(token: str) -> ShareLink:
    link = sharing.resolve(token)
    if link is None or not link.package.is_ready:
        raise Http404("This link is unknown, expired or revoked.")
    return link


@require_GET
def shared_package(request: HttpRequest, token: str) -> HttpResponse:
    link = _live_link(token)
    sharing.record_access(link, "view")
    context = {"link": link, "package": link.package, "token": token}
    response = render(request, "evidence/shared_package.html", context)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def shared_download(request: HttpRequest, token: str) -> StreamingHttpResponse:
    link = _live_link(token)
    sharing.record_access(link, "download")
    response = package_response(link.package)
    response["Cache-Control"] = "no-store"
    return response
