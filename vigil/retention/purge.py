"""The daily purge: what is past its time (:func:`plan`) and removing exactly that (:func:`run`).

Kinds are taken in dependency order: alerts and POS data sets stand alone; a case goes only
after its statements; a subject or vehicle goes only once no remaining case links it. Anything
a legal hold keeps is left, and so is any record one of whose files is under an S3 Object Lock
retention that has not ended (it goes in the first run after the lock ends).

Evidence rows are never deleted (see ``vigil.evidence``): evidence that belonged only to purged
records is *disposed of*: withdrawn with a retention reason, a "disposed" custody event, and
its bytes removed; evidence that also belongs to a kept record is only unlinked from the purged
one. The audit log gets one event per kind with ids and reference numbers, never names,
plates or notes; the per-row delete events are switched off for the purge for that reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from vigil.cases.models import (
    BoloStatus,
    Case,
    CaseStatus,
    IncidentParty,
    Statement,
    StatementVersion,
    Subject,
    Vehicle,
)
from vigil.cases.models.stops import StopRecord
from vigil.core import audit
from vigil.core.changelog import deletes_unlogged
from vigil.core.context import current_actor
from vigil.core.models.audit import AuditAction, AuditEvent
from vigil.core.models.grants import AccessGrant
from vigil.evidence import custody
from vigil.evidence.models import CustodyAction, EvidenceItem, EvidencePackage, ShareLink
from vigil.evidence.storage import EvidenceStore, store_from_settings
from vigil.pos.imports import folder_of
from vigil.pos.models import DataSet
from vigil.retention import disposal, policies
from vigil.retention.holds import HeldRecords, held_records
from vigil.retention.models import LegalHold, RecordKind, RetentionRun
from vigil.search import index as search_index
from vigil.video.media import CLIPS, SNAPSHOTS
from vigil.video.models import Alert, Camera

logger = logging.getLogger(__name__)
RETENTION_REASON = "Retention:"  # starts deleted_reason of evidence the purge disposed of
MAX_IDS_LOGGED = 10_000

# What the purge counts, in words, for "would purge 312 clips, 41 subjects".
NOUNS = {
    RecordKind.ALERTS: "alerts",
    RecordKind.POS_DATA: "POS data sets",
    RecordKind.STATEMENTS: "statements",
    RecordKind.CLOSED_CASES: "closed cases",
    RecordKind.SUBJECTS: "subjects",
    RecordKind.VEHICLES: "vehicles",
}


@dataclass
class Due:
    """One kind's records past their time and free to go, and those kept back, by reason."""

    kind: str
    days: int
    cutoff: dt.datetime
    ids: list[int] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    kept: Counter[str] = field(default_factory=Counter)

    @property
    def label(self) -> str:
        return str(RecordKind(self.kind).label)

    @property
    def kept_reasons(self) -> list[tuple[str, int]]:
        """(reason, count) pairs, for templates (a Counter's ``.items`` reads as a key)."""
        return list(self.kept.items())


def describe_counts(counts: dict[str, int]) -> str:
    """ "41 subjects, 3 closed cases" for the kinds with a count; "nothing" for none."""
    parts = [f"{count:,} {NOUNS[RecordKind(kind)]}" for kind, count in counts.items() if count]
    return ", ".join(parts) or "nothing"


@dataclass
class Plan:
    """Everything one run would purge, and what it would do to evidence on the way."""

    now: dt.datetime
    due: dict[str, Due]
    dispose: set[int] = field(default_factory=set)  # evidence item ids
    unlink: dict[int, set[str]] = field(default_factory=dict)  # item id -> fields to clear
    packages: set[int] = field(default_factory=set)  # packages to delete
    package_unlink: set[int] = field(default_factory=set)  # packages to detach from a case
    clips: int = 0
    locked: list[dict[str, str]] = field(default_factory=list)

    def ids(self, kind: str) -> list[int]:
        return self.due[kind].ids

    def counts(self) -> dict[str, int]:
        return {kind: len(due.ids) for kind, due in self.due.items()}

    def kept(self) -> dict[str, dict[str, int]]:
        return {kind: dict(due.kept) for kind, due in self.due.items() if due.kept}

    @property
    def total(self) -> int:
        return sum(self.counts().values())

    def summary(self) -> str:
        """ "312 alerts (with 290 clips), 41 subjects": the kinds with something due."""
        parts = []
        for kind, count in self.counts().items():
            if count:
                with_clips = kind == RecordKind.ALERTS and self.clips
                extra = f" (with {self.clips:,} clips)" if with_clips else ""
                parts.append(f"{count:,} {NOUNS[RecordKind(kind)]}{extra}")
        if self.dispose:
            parts.append(f"{len(self.dispose):,} evidence items disposed of")
        return ", ".join(parts) or "nothing"


# --- planning -------------------------------------------------------------------------


def plan(now: dt.datetime | None = None, store: EvidenceStore | None = None) -> Plan:
    """What a run at ``now`` would purge; changes nothing."""
    now = now or timezone.now()
    store = store or store_from_settings()
    days = policies.periods()
    cutoff = policies.cutoffs(now)
    result = Plan(now=now, due={kind: Due(kind, days[kind], cutoff[kind]) for kind in days})
    held = held_records(timezone.localdate(now))
    _plan_alerts(result, held)
    _plan_data_sets(result)
    _plan_statements(result, held)
    _plan_cases(result, held, store)
    _plan_subjects(result, held, store)
    _plan_vehicles(result, held)
    _plan_evidence(result)
    return result


def _take(due: Due, candidates: QuerySet[Any], reasons: Iterable[tuple[str, Q]]) -> list[int]:
    """Ids of ``candidates`` left after each (reason, condition that keeps) removes its own;
    each reason counts the records it kept back."""
    for reason, keeps in reasons:
        held_back = candidates.filter(keeps)
        count = held_back.count()
        if count:
            due.kept[reason] += count
            candidates = candidates.exclude(pk__in=held_back.values("pk"))
    return list(candidates.order_by("pk").values_list("pk", flat=True))


def _plan_alerts(result: Plan, held: HeldRecords) -> None:
    due = result.due[RecordKind.ALERTS]
    past = Alert.objects.filter(started_at__lt=due.cutoff)
    due.ids = _take(due, past, [("escalated to an incident", Q(incident__isnull=False))])
    due.refs = [str(pk) for pk in due.ids]
    result.clips = Alert.objects.filter(pk__in=due.ids).exclude(clip_sha256="").count()


def _plan_data_sets(result: Plan) -> None:
    due = result.due[RecordKind.POS_DATA]
    past = DataSet.objects.filter(created_at__lt=due.cutoff)
    due.ids = _take(due, past, [("a lead is part of a case", Q(leads__case__isnull=False))])
    due.refs = [str(pk) for pk in due.ids]


def _plan_statements(result: Plan, held: HeldRecords) -> None:
    due = result.due[RecordKind.STATEMENTS]
    past = Statement.objects.filter(started_at__lt=due.cutoff)
    reasons = [
        ("legal hold", Q(pk__in=held.statements)),
        ("its case is open", Q(case__isnull=False) & ~Q(case__status=CaseStatus.CLOSED)),
        ("its case closed too recently", Q(case__closed_at__gte=due.cutoff)),
    ]
    due.ids = _take(due, past, reasons)
    due.refs = [str(pk) for pk in due.ids]


def _plan_cases(result: Plan, held: HeldRecords, store: EvidenceStore) -> None:
    due = result.due[RecordKind.CLOSED_CASES]
    past = Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=due.cutoff)
    statements_kept = Statement.objects.exclude(pk__in=result.ids(RecordKind.STATEMENTS))
    reasons = [
        ("legal hold", Q(pk__in=held.cases)),
        ("a statement of it is kept", Q(statements__in=statements_kept)),
    ]
    ids = _take(due, past, reasons)
    locked = _locked_owners(result, store, "case", ids)
    if locked:
        due.kept["a file is locked in S3"] += len(locked)
    due.ids = [pk for pk in ids if pk not in locked]
    due.refs = list(
        Case.objects.filter(pk__in=due.ids).order_by("pk").values_list("number", flat=True)
    )


def _plan_subjects(result: Plan, held: HeldRecords, store: EvidenceStore) -> None:
    due = result.due[RecordKind.SUBJECTS]
    cutoff, today = due.cutoff, timezone.localdate(result.now)
    past = Subject.objects.filter(created_at__lt=cutoff)
    remaining_cases = Case.objects.exclude(pk__in=result.ids(RecordKind.CLOSED_CASES))
    reasons = [
        ("legal hold", Q(pk__in=held.subjects)),
        (
            "in an incident too recent",
            Q(parties__incident__occurred_at__gte=cutoff)
            | Q(stops__incident__occurred_at__gte=cutoff),
        ),
        ("active BOLO", Q(bolo_status=BoloStatus.ACTIVE)),
        (
            "trespass notice in force",
            Q(trespass_expires_on__gte=today)
            | Q(trespass_notice_on__isnull=False, trespass_expires_on__isnull=True),
        ),
        ("a kept case links it", Q(case_links__case__in=remaining_cases)),
    ]
    ids = _take(due, past, reasons)
    locked = _locked_owners(result, store, "subject", ids)
    if locked:
        due.kept["a file is locked in S3"] += len(locked)
    due.ids = [pk for pk in ids if pk not in locked]
    due.refs = [f"subject #{pk}" for pk in due.ids]


def _plan_vehicles(result: Plan, held: HeldRecords) -> None:
    due = result.due[RecordKind.VEHICLES]
    created = _vehicle_creation_times()
    known_old = [pk for pk, at in created.items() if at < due.cutoff]
    unknown = Vehicle.objects.exclude(pk__in=list(created)).count()
    if unknown:
        due.kept["age unknown"] += unknown
    remaining_cases = Case.objects.exclude(pk__in=result.ids(RecordKind.CLOSED_CASES))
    remaining_subjects = Subject.objects.exclude(pk__in=result.ids(RecordKind.SUBJECTS))
    reasons = [
        ("legal hold", Q(pk__in=held.vehicles)),
        ("in an incident too recent", Q(incidents__occurred_at__gte=due.cutoff)),
        ("a kept subject links it", Q(subjects__in=remaining_subjects)),
        ("a kept case links it", Q(case_links__case__in=remaining_cases)),
    ]
    due.ids = _take(due, Vehicle.objects.filter(pk__in=known_old), reasons)
    due.refs = [f"vehicle #{pk}" for pk in due.ids]


def _vehicle_creation_times() -> dict[int, dt.datetime]:
    """When each vehicle was recorded, from the audit log (a vehicle has no date of its own)."""
    events = AuditEvent.objects.filter(object_type="cases.vehicle", action=AuditAction.CREATE)
    times: dict[int, dt.datetime] = {}
    for object_id, occurred_at in events.values_list("object_id", "occurred_at"):
        if object_id.isdigit():
            times.setdefault(int(object_id), occurred_at)
    existing = set(Vehicle.objects.filter(pk__in=list(times)).values_list("pk", flat=True))
    return {pk: at for pk, at in times.items() if pk in existing}


def _locked_owners(result: Plan, store: EvidenceStore, link: str, ids: list[int]) -> set[int]:
    """Of ``ids`` (cases or subjects), those owning a file under an unexpired S3 lock that
    purging them would remove: evidence linked to nothing else, or a case-only package."""
    owners: set[int] = set()
    items = EvidenceItem.objects.filter(**{f"{link}__in": ids}, incident__isnull=True)
    rows = list(items.values_list(f"{link}_id", "number", "sha256"))
    if link == "case":
        packages = EvidencePackage.objects.filter(case__in=ids, incident__isnull=True)
        rows += list(packages.values_list("case_id", "number", "sha256"))
    for owner, number, sha256 in rows:
        until = disposal.locked_until(store, sha256, result.now)
        if until is not None:
            owners.add(owner)
            result.locked.append({"number": number, "until": until.isoformat()})
    return owners


def _plan_evidence(result: Plan) -> None:
    """Dispose of evidence linked only to purged records; unlink the rest from them."""
    cases = set(result.ids(RecordKind.CLOSED_CASES))
    subjects = set(result.ids(RecordKind.SUBJECTS))
    touched = EvidenceItem.objects.filter(Q(case__in=cases) | Q(subject__in=subjects))
    for item in touched.only("pk", "incident_id", "case_id", "subject_id"):
        links = {"case": (item.case_id, cases), "subject": (item.subject_id, subjects)}
        clear = {name for name, (value, gone) in links.items() if value in gone}
        kept = [value for value, gone in links.values() if value is not None and value not in gone]
        if item.incident_id is not None or kept:
            result.unlink[item.pk] = clear
        else:
            result.dispose.add(item.pk)
    packages = EvidencePackage.objects.filter(case__in=cases)
    result.packages = set(packages.filter(incident__isnull=True).values_list("pk", flat=True))
    result.package_unlink = set(
        packages.exclude(incident__isnull=True).values_list("pk", flat=True)
    )


# --- running --------------------------------------------------------------------------


def run(now: dt.datetime | None = None, store: EvidenceStore | None = None) -> RetentionRun:
    """Purge exactly what :func:`plan` finds due, log it, and remove the files after."""
    store = store or store_from_settings()
    found = plan(now, store)
    files: list[Path] = []
    blobs: set[str] = set()
    with deletes_unlogged(), transaction.atomic():
        record = RetentionRun.objects.create(
            started_at=timezone.now(), actor_username=current_actor().username[:150]
        )
        files += _purge_alerts(found)
        files += _purge_data_sets(found)
        _purge_statements(found)
        blobs |= _dispose_evidence(found, record)
        blobs |= _purge_packages(found)
        _purge_cases(found)
        _purge_subjects(found)
        _purge_vehicles(found)
        _log(found, record)
        transaction.on_commit(lambda: _remove_files(files, blobs, store))
    return record


def _purge_alerts(found: Plan) -> list[Path]:
    alerts = Alert.objects.filter(pk__in=found.ids(RecordKind.ALERTS))
    snapshots = set(alerts.exclude(snapshot_sha256="").values_list("snapshot_sha256", flat=True))
    clips = set(alerts.exclude(clip_sha256="").values_list("clip_sha256", flat=True))
    alerts.delete()
    snapshots -= set(Alert.objects.values_list("snapshot_sha256", flat=True))
    snapshots -= set(Camera.objects.values_list("snapshot_sha256", flat=True))
    clips -= set(Alert.objects.values_list("clip_sha256", flat=True))
    return [SNAPSHOTS.path_of(sha) for sha in snapshots] + [CLIPS.path_of(sha) for sha in clips]


def _purge_data_sets(found: Plan) -> list[Path]:
    data_sets = DataSet.objects.filter(pk__in=found.ids(RecordKind.POS_DATA))
    folders = [folder_of(data_set) for data_set in data_sets if data_set.folder]
    data_sets.delete()  # leads, their reviews, scans and rankings go with it
    return folders


def _purge_statements(found: Plan) -> None:
    ids = found.ids(RecordKind.STATEMENTS)
    StatementVersion.objects.filter(statement__in=ids).delete()
    Statement.objects.filter(pk__in=ids).delete()


def _dispose_evidence(found: Plan, record: RetentionRun) -> set[str]:
    for pk, fields in found.unlink.items():
        EvidenceItem.objects.filter(pk=pk).update(**dict.fromkeys(fields))
    reason = f"{RETENTION_REASON} the records it belonged to were purged (run {record.pk})"
    items = EvidenceItem.objects.filter(pk__in=found.dispose)
    items.filter(deleted_at__isnull=True).update(deleted_at=found.now)
    items.update(deleted_reason=reason, case=None, subject=None)
    search_index.forget("evidence.EvidenceItem", *found.dispose)  # update() sends no signal
    for item in items:
        custody.log(
            item, CustodyAction.DISPOSED, purpose=reason, details={"retention_run": record.pk}
        )
    return set(items.values_list("sha256", flat=True))


def _purge_packages(found: Plan) -> set[str]:
    EvidencePackage.objects.filter(pk__in=found.package_unlink).update(case=None)
    packages = EvidencePackage.objects.filter(pk__in=found.packages)
    hashes = set(packages.values_list("sha256", flat=True))
    ShareLink.objects.filter(package__in=found.packages).delete()
    packages.delete()
    return hashes


def _purge_cases(found: Plan) -> None:
    ids = found.ids(RecordKind.CLOSED_CASES)
    LegalHold.objects.filter(case__in=ids).update(case=None)  # released ones; history stays
    _drop_grants(Case, ids)
    Case.objects.filter(pk__in=ids).delete()  # links, tasks, notes, timeline go with it


def _purge_subjects(found: Plan) -> None:
    ids = found.ids(RecordKind.SUBJECTS)
    IncidentParty.objects.filter(subject__in=ids).delete()  # the incident itself stays
    StopRecord.objects.filter(subject__in=ids).update(subject=None)
    LegalHold.objects.filter(subject__in=ids).update(subject=None)
    _drop_grants(Subject, ids)
    Subject.objects.filter(pk__in=ids).delete()


def _purge_vehicles(found: Plan) -> None:
    ids = found.ids(RecordKind.VEHICLES)
    _drop_grants(Vehicle, ids)
    Vehicle.objects.filter(pk__in=ids).delete()


def _drop_grants(model: type[Any], ids: list[int]) -> None:
    content_type = ContentType.objects.get_for_model(model)
    AccessGrant.objects.filter(
        content_type=content_type, object_id__in=[str(i) for i in ids]
    ).delete()


def _log(found: Plan, record: RetentionRun) -> None:
    """One event per kind purged, then the run: ids and numbers, the policy, never content."""
    object_types = {
        RecordKind.ALERTS: "video.alert",
        RecordKind.POS_DATA: "pos.dataset",
        RecordKind.STATEMENTS: "cases.statement",
        RecordKind.CLOSED_CASES: "cases.case",
        RecordKind.SUBJECTS: "cases.subject",
        RecordKind.VEHICLES: "cases.vehicle",
    }
    for kind, due in found.due.items():
        if not due.ids:
            continue
        audit.record(
            AuditAction.RETENTION_PURGE,
            object_type=object_types[RecordKind(kind)],
            object_repr=f"Retention purge: {len(due.ids):,} {NOUNS[RecordKind(kind)]}",
            changes={
                "run": record.pk,
                "kind": kind,
                "why": f"past its retention period of {due.days} days",
                "policy_days": due.days,
                "cutoff": due.cutoff.isoformat(),
                "count": len(due.ids),
                "ids": due.refs[:MAX_IDS_LOGGED],
                "ids_truncated": len(due.refs) > MAX_IDS_LOGGED,
            },
        )
    disposed = sorted(
        EvidenceItem.objects.filter(pk__in=found.dispose).values_list("number", flat=True)
    )
    record.purged = found.counts()
    record.kept = found.kept()
    record.locked = found.locked
    record.finished_at = timezone.now()
    event = audit.record(
        AuditAction.RETENTION_PURGE,
        object_type="retention.retentionrun",
        object_id=str(record.pk),
        object_repr=f"Retention run {record.pk}: {found.summary()}",
        changes={
            "purged": record.purged,
            "kept": record.kept,
            "locked": found.locked,
            "evidence_disposed": disposed,
            "packages_deleted": sorted(found.packages),
        },
    )
    record.audit_seq = event.seq
    record.save()


def _remove_files(files: list[Path], blobs: set[str], store: EvidenceStore) -> None:
    """After the commit: files no remaining record names. A failure is logged, not raised:
    the rows are gone and the next run cannot find the file again, so say which it was."""
    for path in files:
        try:
            if path.is_dir():
                disposal.remove_folder(path)
            else:
                disposal.remove_file(path)
        except OSError as error:
            logger.error("retention: could not remove %s: %s", path, error)
    still_named = set(
        EvidenceItem.objects.filter(sha256__in=blobs)
        .exclude(deleted_reason__startswith=RETENTION_REASON)
        .values_list("sha256", flat=True)
    ) | set(EvidencePackage.objects.filter(sha256__in=blobs).values_list("sha256", flat=True))
    for sha256 in sorted(blobs - still_named):
        try:
            disposal.remove_evidence_bytes(store, sha256)
        except disposal.REMOVAL_ERRORS as error:
            logger.error("retention: could not remove evidence %s: %s", sha256, error)
