"""On S3 with Object Lock, the purge leaves locked objects (and their records) and says so."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World, tiny_file
from tests.evidence.conftest import S3Server
from tests.retention.conftest import add_evidence, old_subject, run_purge
from vigil.cases.models import Subject
from vigil.core.models import User
from vigil.retention import purge
from vigil.retention.models import RecordKind


def use_bucket(settings: Any, server: S3Server, bucket: str, retention_days: int = 0) -> None:
    settings.EVIDENCE_STORE_URL = f"s3://{bucket}/retention-test/"
    settings.EVIDENCE_S3_ENDPOINT_URL = server.endpoint_url
    settings.EVIDENCE_RETENTION_DAYS = retention_days


def stored_keys(server: S3Server, bucket: str, sha256: str) -> list[str]:
    answer = server.client().list_object_versions(
        Bucket=bucket, Prefix=f"retention-test/sha256/{sha256}"
    )
    return [version["VersionId"] for version in answer.get("Versions", [])]


@pytest.fixture
def photo_owner(world: World) -> Subject:
    return old_subject(world)


def test_a_locked_photo_keeps_its_subject_and_is_reported(
    world: World, owner: User, photo_owner: Subject, settings: Any, s3_server: S3Server
) -> None:
    use_bucket(settings, s3_server, s3_server.locked_bucket, retention_days=30)
    photo = add_evidence(
        owner, tiny_file("png", b"locked"), filename="face.png", subject_id=photo_owner.pk
    )
    found = purge.plan()
    assert found.ids(RecordKind.SUBJECTS) == []
    assert found.due[RecordKind.SUBJECTS].kept == {"a file is locked in S3": 1}
    assert [entry["number"] for entry in found.locked] == [photo.number]
    run = run_purge()
    assert Subject.objects.filter(pk=photo_owner.pk).exists()
    assert run.locked[0]["number"] == photo.number
    assert stored_keys(s3_server, s3_server.locked_bucket, photo.sha256)


def test_an_unlocked_photo_is_removed_from_the_bucket_every_version(
    world: World, owner: User, photo_owner: Subject, settings: Any, s3_server: S3Server
) -> None:
    use_bucket(settings, s3_server, s3_server.bucket)
    photo = add_evidence(
        owner, tiny_file("png", b"unlocked"), filename="face.png", subject_id=photo_owner.pk
    )
    assert stored_keys(s3_server, s3_server.bucket, photo.sha256)
    run_purge()
    assert not Subject.objects.filter(pk=photo_owner.pk).exists()
    assert stored_keys(s3_server, s3_server.bucket, photo.sha256) == []
