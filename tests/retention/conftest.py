"""Records of every kind, old and young, for the purge to sort out.

"Old" is past every default period (ten years ago, more than any maximum); "young" is today.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from tests.conftest import World, add_evidence, make_case, make_incident, make_subject
from tests.evidence.conftest import _dummy_aws_credentials, s3_server  # noqa: F401
from vigil.cases.models import Case, CaseLink, CaseStatus, IncidentParty, Subject
from vigil.core.models import User
from vigil.pos.imports import folder_of
from vigil.pos.models import DataSet, DataSetSource
from vigil.retention import purge
from vigil.retention.models import RetentionRun
from vigil.video.media import CLIPS
from vigil.video.models import Alert

_uids = itertools.count(1)


def run_purge(**options: Any) -> RetentionRun:
    """A real run, its files removed as on commit (a test's transaction never commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return purge.run(**options)


def long_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=3700)


def make_alert(world: World, *, started_at: dt.datetime, clip: bytes = b"") -> Alert:
    sha256 = CLIPS.save_bytes(clip) if clip else ""
    return Alert.objects.create(
        uid=f"test-{next(_uids)}",
        store=world.store_a,
        source="vigil",
        rule="loitering",
        started_at=started_at,
        clip_sha256=sha256,
    )


def make_data_set(world: World, *, imported_at: dt.datetime) -> DataSet:
    number = next(_uids)
    data_set = DataSet.objects.create(
        name=f"POS export {number}", folder=f"ds-{number}", source=DataSetSource.GENERATED
    )
    data_set.stores.add(world.store_a)
    DataSet.objects.filter(pk=data_set.pk).update(created_at=imported_at)
    folder = folder_of(data_set)
    folder.mkdir(parents=True)
    (folder / "transactions.parquet").write_bytes(b"PAR1")
    return data_set


def old_subject(world: World, **fields: Any) -> Subject:
    subject = make_subject(world.store_a, **fields)
    Subject.objects.filter(pk=subject.pk).update(created_at=long_ago())
    return Subject.objects.get(pk=subject.pk)


def old_closed_case(world: World, investigator: User, **fields: Any) -> Case:
    case = make_case(world.store_a, investigator, **fields)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=long_ago())
    return Case.objects.get(pk=case.pk)


def link(case: Case, **target: Any) -> CaseLink:
    return CaseLink.objects.create(case=case, **target)


def party(incident: Any, subject: Subject) -> IncidentParty:
    return IncidentParty.objects.create(incident=incident, role="suspect", subject=subject)


@pytest.fixture
def old_incident(world: World, owner: User) -> Any:
    return make_incident(world.store_a, owner, occurred_at=long_ago())


__all__ = [
    "add_evidence",
    "link",
    "long_ago",
    "make_alert",
    "make_data_set",
    "old_closed_case",
    "old_subject",
    "party",
    "run_purge",
]
