"""Sharing one record with an external user or an agency: who may, with whom, for how long."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import make_user
from tests.sharing.conftest import Sharing, in_days
from vigil.cases.models import Case, Incident, Subject
from vigil.core.models import AuditAction, AuditEvent, Role
from vigil.sharing import grants


def test_a_case_shared_with_an_officer_is_visible_to_them_and_nothing_linked_to_it(
    sharing: Sharing,
) -> None:
    grants.share(
        sharing.investigator, sharing.case, grantee=sharing.officer, until=in_days(30),
        reason="Metro PD report 26-11873",
    )  # fmt: skip

    assert list(Case.objects.visible_to(sharing.officer)) == [sharing.case]
    assert not Incident.objects.visible_to(sharing.officer).exists()
    assert not Subject.objects.visible_to(sharing.officer).exists()
    assert not Case.objects.visible_to(sharing.colleague).exists()


def test_sharing_with_an_agency_reaches_every_member_and_only_while_they_belong(
    sharing: Sharing,
) -> None:
    grants.share(
        sharing.investigator, sharing.incident, agency=sharing.agency, until=in_days(10),
        reason="Task force request",
    )  # fmt: skip
    assert Incident.objects.visible_to(sharing.officer).get() == sharing.incident
    assert Incident.objects.visible_to(sharing.colleague).get() == sharing.incident

    sharing.colleague.agency = None
    sharing.colleague.save()

    assert not Incident.objects.visible_to(sharing.colleague).exists()


def test_linked_records_show_only_when_shared_in_their_own_right(sharing: Sharing) -> None:
    grants.share(
        sharing.investigator, sharing.case, grantee=sharing.officer, until=in_days(30),
        reason="Report 26-11873",
    )  # fmt: skip
    assert grants.shared_links(sharing.officer, sharing.case) == []

    grants.share(
        sharing.investigator, sharing.subject, grantee=sharing.officer, until=in_days(30),
        reason="Report 26-11873",
    )  # fmt: skip

    linked = grants.shared_links(sharing.officer, sharing.case)
    assert [item.record for item in linked] == [sharing.subject]


def test_revoking_ends_access_at_once_and_keeps_the_grant_on_record(sharing: Sharing) -> None:
    grant = grants.share(
        sharing.investigator, sharing.case, grantee=sharing.officer, until=in_days(30),
        reason="Report 26-11873",
    )  # fmt: skip

    grants.revoke(sharing.investigator, grant, "Charges filed; the DA holds the package now")

    assert not Case.objects.visible_to(sharing.officer).exists()
    grant.refresh_from_db()
    assert grant.revoked_by == sharing.investigator
    assert grant.revoke_reason.startswith("Charges filed")
    actions = AuditEvent.objects.filter(object_id=str(grant.pk), object_type__endswith="grant")
    assert list(actions.order_by("seq").values_list("action", flat=True)) == [
        AuditAction.SHARE_GRANT,
        AuditAction.SHARE_REVOKE,
    ]


def test_an_expired_grant_shows_nothing(sharing: Sharing) -> None:
    grant = grants.share(
        sharing.investigator, sharing.case, grantee=sharing.officer, until=in_days(1),
        reason="Report 26-11873",
    )  # fmt: skip
    type(grant).objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert not Case.objects.visible_to(sharing.officer).exists()
    assert grants.shared_with(sharing.officer) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"until": "past"}, "until"),
        ({"until": "too_far"}, "until"),
    ],
)
def test_a_share_needs_a_reason_and_an_end_within_bounds(
    sharing: Sharing, change: dict[str, str], field: str
) -> None:
    until = {"past": in_days(-1), "too_far": in_days(400)}.get(change.get("until", ""), in_days(5))
    reason = change.get("reason", "Report 26-11873")

    with pytest.raises(ValidationError) as raised:
        grants.share(
            sharing.investigator, sharing.case, grantee=sharing.officer, until=until, reason=reason
        )

    assert field in raised.value.message_dict


def test_only_external_users_are_shared_with(sharing: Sharing) -> None:
    colleague = make_user(Role.LP_OFFICER, stores=(sharing.world.store_b,))

    with pytest.raises(ValidationError, match="not an active external user"):
        grants.share(
            sharing.investigator, sharing.case, grantee=colleague, until=in_days(5),
            reason="Wrong recipient",
        )  # fmt: skip


def test_the_same_record_is_not_shared_twice_with_the_same_recipient(sharing: Sharing) -> None:
    grants.share(
        sharing.investigator, sharing.case, grantee=sharing.officer, until=in_days(5),
        reason="Report 1",
    )  # fmt: skip

    with pytest.raises(ValidationError, match="already shared"):
        grants.share(
            sharing.investigator, sharing.case, grantee=sharing.officer, until=in_days(9),
            reason="Report 1 again",
        )  # fmt: skip


@pytest.mark.parametrize(
    "role", [Role.LP_OFFICER, Role.STORE_MANAGER, Role.AUDITOR, Role.EXECUTIVE]
)
def test_roles_that_do_not_investigate_cannot_share(sharing: Sharing, role: str) -> None:
    user = make_user(role, stores=(sharing.world.store_a,))

    with pytest.raises(PermissionDenied):
        grants.share(
            user, sharing.case, grantee=sharing.officer, until=in_days(5), reason="Report 1"
        )


def test_a_grant_carries_the_store_of_what_it_shares_for_scoped_lists(sharing: Sharing) -> None:
    grant = grants.share(
        sharing.investigator, sharing.evidence, grantee=sharing.officer, until=in_days(5),
        reason="Report 1",
    )  # fmt: skip
    other_store_manager = make_user(Role.LP_MANAGER, stores=(sharing.world.store_b,))

    assert grant.store == sharing.world.store_a
    assert not type(grant).objects.visible_to(other_store_manager).exists()
    assert type(grant).objects.visible_to(sharing.investigator).get() == grant
