"""Who may change what: every write route names the capability it needs, checked first.

Store scope (:mod:`vigil.core.scoping`) decides what a user can find; a role's capabilities
(:mod:`vigil.core.roles`) decide what they may change. A page that changes something says so
with :func:`writes`, an API operation with :func:`vigil.core.apiauth.may`. Both refuse before
a form or a request body is read, so a user who may not write learns nothing from validation
and is never shown a form error or a redirect that looks like success.

The objects a route's URL names are looked up first (:data:`URL_OBJECTS`), so one outside the
user's scope is still 404, never 403. The handlers keep their own checks after that: some
decisions need the object (a release of evidence needs more than a transfer).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponseBase

from vigil.core.roles import Capability, can, require
from vigil.core.scoping import get_visible_or_404

# URL parameter -> (model, field) of the object it names. The URL kwargs of every app name
# what they hold (``case_number``, ``alert_id``); a new kind of object adds its line here.
URL_OBJECTS: dict[str, tuple[str, str]] = {
    "store_code": ("core.Store", "code"),
    "employee_id": ("core.Person", "employee_id"),
    "user_id": ("core.User", "pk"),
    "token_id": ("core.ApiToken", "pk"),
    "task_run_id": ("core.TaskRun", "pk"),
    "view_id": ("core.SavedView", "pk"),
    "incident_number": ("cases.Incident", "number"),
    "case_number": ("cases.Case", "number"),
    "link_id": ("cases.CaseLink", "pk"),
    "task_id": ("cases.CaseTask", "pk"),
    "note_id": ("cases.Note", "pk"),
    "statement_id": ("cases.Statement", "pk"),
    "stop_id": ("cases.StopRecord", "pk"),
    "hearing_id": ("cases.Hearing", "pk"),
    "demand_id": ("cases.CivilDemand", "pk"),
    "letter_id": ("cases.CivilLetter", "pk"),
    "subject_id": ("cases.Subject", "pk"),
    "vehicle_id": ("cases.Vehicle", "pk"),
    "evidence_number": ("evidence.EvidenceItem", "number"),
    "package_number": ("evidence.EvidencePackage", "number"),
    "share_id": ("evidence.ShareLink", "pk"),
    "data_set_id": ("pos.DataSet", "pk"),
    "exception_id": ("pos.PosException", "pk"),
    "alert_id": ("video.Alert", "pk"),
    "camera_id": ("video.Camera", "pk"),
    "walk_number": ("audits.FloorWalk", "number"),
    "action_number": ("audits.CorrectiveAction", "number"),
    "emergency_number": ("safety.Emergency", "number"),
    "hazard_number": ("safety.Hazard", "number"),
    "assignment_id": ("training.Assignment", "pk"),
    "hotspot_id": ("shrink.Hotspot", "pk"),
    "recommendation_number": ("shrink.Recommendation", "number"),
    "hold_id": ("retention.LegalHold", "pk"),
    "profile_id": ("intel.Profile", "pk"),
    "network_id": ("intel.Network", "pk"),
    "suggestion_id": ("intel.Suggestion", "pk"),
}

# Admits a user the capability does not: the associate taking their own quiz.
Admission = Callable[[Any, Mapping[str, Any]], bool]


def find_named(user: Any, kwargs: Mapping[str, Any]) -> None:
    """Raise ``Http404`` unless ``user`` can see every object the URL kwargs name."""
    for name, value in kwargs.items():
        if name not in URL_OBJECTS:
            continue
        label, field = URL_OBJECTS[name]
        model = apps.get_model(label)
        try:
            get_visible_or_404(model.objects.all(), user, **{field: value})
        except (ValueError, ValidationError) as bad:  # "abc" for a number: names nothing
            raise Http404 from bad


def refuse_unless(
    user: Any,
    capability: Capability,
    kwargs: Mapping[str, Any],
    admit: Admission | None = None,
) -> None:
    """404 for an object ``user`` cannot find, else 403 unless their role grants
    ``capability`` (or ``admit`` lets them in)."""
    if can(user, capability):
        return
    find_named(user, kwargs)
    if admit is not None and admit(user, kwargs):
        return
    require(user, capability)


def writes(
    capability: Capability, admit: Admission | None = None
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A page's POST changes something and needs ``capability``; GET is the view's own."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                refuse_unless(request.user, capability, kwargs, admit)
            return view(request, *args, **kwargs)

        return checked

    return decorate
