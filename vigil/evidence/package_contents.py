"""What may go into a police package, what the investigator chose, and whether it is current.

A package is built for one case or one incident. What it may hold (:class:`Choices`) is what
the builder may see of that matter: its evidence, its statements, the incident report of each
incident (one, for an incident package; each linked one, for a case) and, for a case, the case
summary. The investigator picks from those (:class:`Selection`, everything by default); the
pick is kept on the package as plain numbers, so a rebuild can start from it.

When it is built, the package also keeps its *basis*: a fingerprint of what the matter held
then (every evidence item with its SHA-256, every statement with its current version, every
incident with its last change). A package whose basis no longer matches is out of date, and
:func:`changes_since` says what changed in words an investigator reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from vigil.cases import reports
from vigil.cases.models import Case, Incident, Statement
from vigil.core.models import User
from vigil.evidence.models import EvidenceItem, EvidencePackage, PackageStatus


@dataclass(frozen=True)
class Selection:
    """What to put in; ``None`` for a kind means all of it (the default: everything)."""

    evidence: tuple[str, ...] | None = None  # evidence numbers
    statements: tuple[int, ...] | None = None  # statement ids
    reports: tuple[str, ...] | None = None  # incident numbers whose report goes in
    summary: bool = True  # the case summary (case packages only)


@dataclass
class Choices:
    """Everything that may go into a package for one case or incident, as its builder sees it."""

    matter: Case | Incident
    evidence: list[EvidenceItem]
    statements: list[Statement]
    incidents: list[Incident]  # each one's report PDF may go in
    has_summary: bool  # a case has a summary report; an incident has none besides its report

    def chosen(self, selection: dict[str, Any]) -> Chosen:
        """The records behind a resolved selection (see :func:`resolve`)."""
        evidence = set(selection.get("evidence", []))
        statements = set(selection.get("statements", []))
        incidents = set(selection.get("reports", []))
        return Chosen(
            evidence=[item for item in self.evidence if item.number in evidence],
            statements=[s for s in self.statements if s.pk in statements],
            incidents=[i for i in self.incidents if i.number in incidents],
            summary=bool(selection.get("summary")) and self.has_summary,
        )


@dataclass
class Chosen:
    """The records that go into one package."""

    evidence: list[EvidenceItem]
    statements: list[Statement]
    incidents: list[Incident]
    summary: bool

    @property
    def count(self) -> int:
        """How many items the package holds (each report, statement and evidence file)."""
        return len(self.evidence) + len(self.statements) + len(self.incidents) + self.summary


def choices_for(user: User | None, case: Case | None, incident: Incident | None) -> Choices:
    """What a package for ``case`` or ``incident`` may hold: only what ``user`` may see."""
    if case is not None:
        incidents = [
            link.incident for link in reports.visible_links(case, user) if link.incident_id
        ]
        return Choices(
            matter=case,
            evidence=_evidence(user, case=case, incidents=incidents),
            statements=_statements(user, case=case, incidents=incidents),
            incidents=incidents,
            has_summary=True,
        )
    assert incident is not None
    return Choices(
        matter=incident,
        evidence=_evidence(user, case=None, incidents=[incident]),
        statements=_statements(user, case=None, incidents=[incident]),
        incidents=[incident],
        has_summary=False,
    )


def _evidence(user: User | None, *, case: Case | None, incidents: list[Incident]) -> list[Any]:
    """Live evidence of the case or its incidents that ``user`` may see, whatever is linked."""
    items = EvidenceItem.objects.filter(deleted_at__isnull=True)
    if user is not None:
        items = items.visible_to(user)
    found = items.filter(incident__in=incidents)
    if case is not None:
        found = found | items.filter(case=case)
    return list(found.distinct().select_related("derived_from").order_by("pk"))


def _statements(user: User | None, *, case: Case | None, incidents: list[Incident]) -> list[Any]:
    statements = Statement.objects.visible_to(user) if user else Statement.objects.all()
    found = statements.filter(incident__in=incidents)
    if case is not None:
        found = found | statements.filter(case=case)
    return list(found.distinct().order_by("started_at", "pk"))


def resolve(choices: Choices, selection: Selection | None) -> dict[str, Any]:
    """``selection`` as plain numbers, checked against ``choices``; everything for ``None``.

    Raises ValidationError naming the field for an item that is not the matter's (or not the
    builder's to see), and when nothing at all was chosen."""
    selection = selection or Selection()
    errors: dict[str, str] = {}
    evidence = _pick(
        [item.number for item in choices.evidence], selection.evidence, "evidence", errors
    )
    statements = _pick(
        [s.pk for s in choices.statements], selection.statements, "statements", errors
    )
    incidents = _pick([i.number for i in choices.incidents], selection.reports, "reports", errors)
    if errors:
        raise ValidationError(errors)
    resolved = {
        "evidence": evidence,
        "statements": statements,
        "reports": incidents,
        "summary": selection.summary and choices.has_summary,
    }
    if not (evidence or statements or incidents or resolved["summary"]):
        raise ValidationError("Choose at least one item for the package.")
    return resolved


def _pick(
    available: list[Any], wanted: tuple[Any, ...] | None, field: str, errors: dict[str, str]
) -> list[Any]:
    if wanted is None:
        return list(available)
    unknown = [str(value) for value in wanted if value not in available]
    if unknown:
        errors[field] = f"Not {field} of this case or incident you can see: {', '.join(unknown)}."
    return [value for value in available if value in set(wanted)]


def basis_of(case: Case | None, incident: Incident | None) -> dict[str, Any]:
    """What the matter holds now, whoever looks: the fingerprint a package is built on."""
    choices = choices_for(None, case, incident)
    return {
        "evidence": {item.number: item.sha256 for item in choices.evidence},
        "statements": {str(s.pk): _version_of(s) for s in choices.statements},
        "incidents": {i.number: i.updated_at.isoformat() for i in choices.incidents},
    }


def _version_of(statement: Statement) -> str:
    current = statement.current
    return f"{statement.status}:{current.sha256 if current else ''}"


def changes_since(package: EvidencePackage) -> list[str]:
    """What changed in the case or incident since ``package`` was built; empty if current."""
    if package.status != PackageStatus.READY or not package.basis:
        return []
    then = package.basis
    now = basis_of(package.case, package.incident)
    said: list[str] = []
    said += _compare(then["evidence"], now["evidence"], "Evidence {} {}")
    names = _witnesses(set(then["statements"]) | set(now["statements"]))
    said += _compare(then["statements"], now["statements"], "Statement {} {}", names)
    said += _compare(then["incidents"], now["incidents"], "Incident {} {}")
    return said


def _witnesses(ids: set[str]) -> dict[str, str]:
    """Statements by their witness ("of Sam Cashier"), not by a number nobody quotes."""
    found = Statement.objects.filter(pk__in=[int(pk) for pk in ids])
    return {str(pk): f"of {name}" for pk, name in found.values_list("pk", "witness_name")}


def _compare(
    then: dict[str, str], now: dict[str, str], wording: str, names: dict[str, str] | None = None
) -> list[str]:
    said = []
    for key in sorted(set(then) | set(now)):
        name = (names or {}).get(key, key)
        if key not in then:
            said.append(wording.format(name, "added"))
        elif key not in now:
            said.append(wording.format(name, "removed or deleted"))
        elif then[key] != now[key]:
            said.append(wording.format(name, "changed"))
    return said


def replaced_by(package: EvidencePackage) -> EvidencePackage | None:
    """The newer version built (or being built) from ``package``, if there is one."""
    return package.rebuilds.exclude(status=PackageStatus.FAILED).order_by("-version", "-pk").first()


def ticked_for_rebuild(package: EvidencePackage, choices: Choices) -> dict[str, Any]:
    """What a rebuild of ``package`` starts with: what it held, and whatever is new since.

    An item that was there at the build and left out stays left out: the investigator chose."""
    before = package.selection or {}
    basis = package.basis or {}
    seen_evidence = set(basis.get("evidence", {}))
    seen_statements = set(basis.get("statements", {}))
    seen_incidents = set(basis.get("incidents", {}))
    return {
        "evidence": [
            item.number
            for item in choices.evidence
            if item.number in before.get("evidence", []) or item.number not in seen_evidence
        ],
        "statements": [
            s.pk
            for s in choices.statements
            if s.pk in before.get("statements", []) or str(s.pk) not in seen_statements
        ],
        "reports": [
            i.number
            for i in choices.incidents
            if i.number in before.get("reports", []) or i.number not in seen_incidents
        ],
        "summary": bool(before.get("summary", True)) and choices.has_summary,
    }


def everything(choices: Choices) -> dict[str, Any]:
    """Every item ticked: the selection page's default for a new package."""
    return resolve_or_empty(choices, None)


def resolve_or_empty(choices: Choices, selection: Selection | None) -> dict[str, Any]:
    try:
        return resolve(choices, selection)
    except ValidationError:  # nothing to choose from yet: the page says so
        return {"evidence": [], "statements": [], "reports": [], "summary": False}
