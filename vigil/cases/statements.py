"""Taking, signing and correcting witness statements.

Every save is a new hashed version. Signing attests the newest version and locks the
statement; after that, a correction is a new version with its reason, to be signed in turn.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from vigil.cases.models import Statement, StatementStatus, StatementVersion
from vigil.core.limits import LONG_TEXT_CHARS, refuse_future, too_long
from vigil.core.models import User
from vigil.core.records import apply_changes
from vigil.core.roles import Capability, require

MAX_SIGNATURE_BYTES = 200_000
PNG_PREFIX = "data:image/png;base64,"


def take_statement(
    user: User, fields: Mapping[str, Any], body: str = "", scan: Any = None
) -> Statement:
    """Start a statement with its first version (typed words, or the scan's evidence item)."""
    require(user, Capability.RECORD)
    with transaction.atomic():
        statement = apply_changes(Statement(taken_by=user), fields)
        _new_version(user, statement, body=body, scan=scan, reason="First version")
    return statement


def revise(
    user: User, statement: Statement, body: str, scan: Any = None, reason: str = ""
) -> StatementVersion:
    """Save new words. Before signing this is an edit; after signing, a correction."""
    require(user, Capability.RECORD)
    signed = statement.status == StatementStatus.SIGNED
    if signed and not reason.strip():
        raise ValidationError({"reason": "A signed statement is corrected with a reason."})
    with transaction.atomic():
        version = _new_version(
            user, statement, body=body, scan=scan, reason=reason or "Edited before signing"
        )
        if signed:
            statement.status = StatementStatus.DRAFT
            statement.save()
    return version


def sign(
    user: User,
    statement: Statement,
    attested_name: str,
    signature_png: str = "",
    ended_at: Any = None,
) -> StatementVersion:
    """The witness attests the newest version: typed name, optionally a drawn signature."""
    require(user, Capability.RECORD)
    if statement.status == StatementStatus.SIGNED:
        raise ValidationError("This statement is already signed; a correction is a new version.")
    if not attested_name.strip():
        raise ValidationError({"attested_name": "The witness types their full name to sign."})
    _check_signature(signature_png)
    refuse_future(statement.store, ended_at=ended_at)
    if ended_at is not None and ended_at < statement.started_at:
        raise ValidationError({"ended_at": "The statement cannot end before it started."})
    current = statement.current
    if current is None:
        raise ValidationError("There is nothing to sign yet.")
    with transaction.atomic():
        version = _new_version(
            user,
            statement,
            body=current.body,
            scan=current.scan,
            reason=f"Signed by {attested_name.strip()}",
            attested_name=attested_name.strip(),
            signature_png=signature_png,
        )
        statement.status = StatementStatus.SIGNED
        statement.ended_at = ended_at or statement.ended_at or timezone.now()
        statement.save()
    return version


def _new_version(user: User, statement: Statement, **values: Any) -> StatementVersion:
    if not (str(values.get("body") or "").strip() or values.get("scan")):
        raise ValidationError({"body": "Type the statement, or upload a scan of it."})
    longer = too_long(values.get("body"), LONG_TEXT_CHARS)
    if longer:
        raise ValidationError({"body": longer})
    previous = statement.current
    version = StatementVersion(
        statement=statement,
        number=(previous.number + 1) if previous else 1,
        created_by=user,
        created_at=timezone.now(),
        prev_sha256=previous.sha256 if previous else "",
        **values,
    )
    if version.attested_name:
        version.attested_at = version.created_at
    version.sha256 = version.compute_hash()
    version.save()
    return version


def _check_signature(data_url: str) -> None:
    if not data_url:
        return
    if not data_url.startswith(PNG_PREFIX):
        raise ValidationError({"signature_png": "The drawn signature must be a PNG data URL."})
    try:
        raw = base64.b64decode(data_url[len(PNG_PREFIX) :], validate=True)
    except binascii.Error:
        raise ValidationError(
            {"signature_png": "The drawn signature is not valid base64."}
        ) from None
    if len(raw) > MAX_SIGNATURE_BYTES or not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"signature_png": "The drawn signature is not a PNG under 200 kB."})


def verify_versions(statement: Statement) -> str | None:
    """The first version whose hash or link does not match, described; None if all hold."""
    previous = ""
    for version in statement.versions.order_by("number"):
        if version.prev_sha256 != previous or version.compute_hash() != version.sha256:
            return f"{statement} version {version.number} was altered after it was saved"
        previous = version.sha256
    return None
