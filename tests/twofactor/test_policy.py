"""The two-factor policy: set by an administrator on a page, stored, audited; and the demo's
exemption, which covers the demo's own logins and no one else."""

from __future__ import annotations

from django.test import Client

from tests.conftest import make_user
from tests.twofactor.conftest import sign_in
from vigil.core import demo
from vigil.core.models import AuditEvent, Role, User
from vigil.core.models.audit import AuditAction
from vigil.twofactor import demo as twofactor_demo
from vigil.twofactor import policy
from vigil.twofactor.models import TwoFactorPolicy

POLICY = "/two-factor-policy/"


def _verified_admin() -> Client:
    """An administrator signed in under a policy that asks nothing of them."""
    policy.set_policy([], demo_logins_exempt=False)
    admin = make_user(Role.ADMIN, everything=True, username="boss")
    client = Client()
    client.force_login(admin)
    return client


def test_the_default_requires_every_internal_role(db: None) -> None:
    current = policy.current_policy()
    assert set(current.required_roles) == set(Role.values) - {Role.EXTERNAL}
    assert not current.demo_logins_exempt


def test_only_an_administrator_opens_the_policy_page(db: None) -> None:
    client = _verified_admin()
    assert client.get(POLICY).status_code == 200
    for role in (Role.LP_MANAGER, Role.AUDITOR, Role.EXECUTIVE):
        other = Client()
        other.force_login(make_user(role, username=f"no-{role}"))
        assert other.get(POLICY).status_code == 403, role
        assert other.post(POLICY, {"required_roles": []}).status_code == 403, role
    assert Client().get(POLICY)["Location"].startswith("/login/")


def test_an_administrator_sets_the_roles_and_it_is_audited(db: None) -> None:
    client = _verified_admin()
    response = client.post(POLICY, {"required_roles": [Role.ADMIN, Role.LP_MANAGER]})
    assert response.status_code == 302
    stored = TwoFactorPolicy.objects.get()
    assert stored.required_roles == [Role.ADMIN, Role.LP_MANAGER]
    event = AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_POLICY).order_by("seq").last()
    assert event is not None and event.changes["required_roles"][1] == ["admin", "lp_manager"]


def test_the_page_counts_users_per_role(db: None) -> None:
    client = _verified_admin()
    make_user(Role.LP_OFFICER, username="floor1")
    make_user(Role.LP_OFFICER, username="floor2")
    rows = {row["label"]: row for row in client.get(POLICY).context["roles"]}
    assert rows["LP officer"]["total"] == 2 and rows["LP officer"]["enrolled"] == 0


def test_a_new_requirement_holds_existing_sessions_at_once(db: None) -> None:
    policy.set_policy([], demo_logins_exempt=False)
    officer = make_user(Role.LP_OFFICER, username="already-in")
    client = Client()
    sign_in(client, officer)
    assert client.get("/people/").status_code == 200
    policy.set_policy([Role.LP_OFFICER], demo_logins_exempt=False)
    assert client.get("/people/")["Location"].startswith("/account/two-factor/enrolment/")


def test_demo_logins_sign_in_with_the_demo_password_alone(db: None) -> None:
    summary = demo.seed()
    twofactor_demo.seed()
    for username in ("admin", "lp.manager", "auditor"):
        client = Client()
        response = client.post("/login/", {"username": username, "password": summary.password})
        assert response.status_code == 302, username
        assert client.get("/people/").status_code == 200, username


def test_the_demo_says_so_on_the_sign_in_page(db: None) -> None:
    assert "Demo installation" not in Client().get("/login/").content.decode()
    twofactor_demo.seed()
    page = Client().get("/login/").content.decode()
    assert "Demo installation" in page and "lp.manager" in page


def test_on_a_demo_every_other_user_still_follows_the_policy(db: None) -> None:
    twofactor_demo.seed()
    real = make_user(Role.ADMIN, everything=True, username="real.admin")
    client = Client()
    sign_in(client, real)
    assert client.get("/people/")["Location"].startswith("/account/two-factor/enrolment/")


def test_clearing_demo_mode_holds_the_demo_logins_too(db: None) -> None:
    summary = demo.seed()
    twofactor_demo.seed()
    policy.set_policy(list(policy.current_policy().required_roles), demo_logins_exempt=False)
    client = Client()
    client.post("/login/", {"username": "admin", "password": summary.password})
    assert client.get("/people/")["Location"].startswith("/account/two-factor/enrolment/")


def test_seeding_the_demo_twice_changes_nothing(db: None) -> None:
    twofactor_demo.seed()
    twofactor_demo.seed()
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_POLICY).count() == 1


def test_a_user_is_never_exempt_by_name_alone_on_a_real_installation(db: None) -> None:
    user: User = make_user(Role.ADMIN, everything=True, username="admin")
    assert policy.is_required(user)


def test_an_administrator_removes_the_factors_of_a_user_who_lost_them(
    enrolled: tuple[User, str, list[str]],
) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer, _, _ = enrolled
    client = _verified_admin()
    response = client.post("/two-factor-policy/resets/", {"username": officer.username})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    removed = AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_REMOVE, changes__reset=True)
    assert removed.count() == 2


def test_only_an_administrator_resets_factors(enrolled: tuple[User, str, list[str]]) -> None:
    officer, _, _ = enrolled
    policy.set_policy([], demo_logins_exempt=False)
    manager = make_user(Role.LP_MANAGER, username="not-admin")
    client = Client()
    client.force_login(manager)
    response = client.post("/two-factor-policy/resets/", {"username": officer.username})
    assert response.status_code == 403
