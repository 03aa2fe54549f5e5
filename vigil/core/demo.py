"""The demo retailer: two regions, six stores, ~120 employees and a login for every role.

Seeding is idempotent (records are found by their natural keys, never duplicated) and
deterministic (a fixed random seed), so ``vigil demo`` can run at every start. The demo
password is random per data directory, kept in ``demo-password`` there, and printed.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from vigil.core import records
from vigil.core.models import (
    Agency,
    AgencyKind,
    EmployeeRole,
    Organisation,
    Person,
    Region,
    Role,
    ScopeKind,
    Store,
    User,
)

SEED = 2026
PASSWORD_FILE = "demo-password"  # noqa: S105 - a file name

REGIONS = (("NORTH", "North region"), ("SOUTH", "South region"))
STORES = (
    (
        "S101",
        "Riverside",
        "NORTH",
        "America/Chicago",
        "1200 River Rd",
        "Minneapolis",
        "MN",
        "55401",
    ),
    (
        "S102",
        "Lakeview Mall",
        "NORTH",
        "America/Chicago",
        "88 Lakeview Blvd",
        "Madison",
        "WI",
        "53703",
    ),
    (
        "S103",
        "Northgate",
        "NORTH",
        "America/Detroit",
        "4500 Northgate Dr",
        "Detroit",
        "MI",
        "48201",
    ),
    (
        "S104",
        "Harbour Point",
        "SOUTH",
        "America/New_York",
        "17 Harbour St",
        "Charleston",
        "SC",
        "29401",
    ),
    (
        "S105",
        "Desert Plaza",
        "SOUTH",
        "America/Phoenix",
        "920 Camelback Rd",
        "Phoenix",
        "AZ",
        "85004",
    ),
    (
        "S106",
        "Gulf Crossing",
        "SOUTH",
        "America/Chicago",
        "3100 Gulf Fwy",
        "Houston",
        "TX",
        "77003",
    ),
)
# Per store: how many employees of each role (20 a store, 120 in all).
STAFFING = {
    EmployeeRole.CASHIER: 10,
    EmployeeRole.SERVICE_DESK: 3,
    EmployeeRole.SUPERVISOR: 3,
    EmployeeRole.MANAGER: 1,
    EmployeeRole.LP: 2,
    EmployeeRole.OTHER: 1,
}
FIRST_NAMES = (
    "Ava", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas", "Kira",
    "Luis", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Baker", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen",
    "Khan", "Lopez", "Meyer", "Nguyen", "Okafor", "Patel", "Rossi", "Silva", "Taylor", "Novak",
)  # fmt: skip


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


DEMO_AGENCY = "City Police Department (demo)"

# username, role, scope kind, scope codes, linked employee (store, role) or None
LoginRow = tuple[str, Role, ScopeKind, tuple[str, ...], tuple[str, EmployeeRole] | None]
LOGINS: tuple[LoginRow, ...] = (
    ("admin", Role.ADMIN, ScopeKind.EVERYTHING, (), None),
    ("lp.manager", Role.LP_MANAGER, ScopeKind.REGIONS, ("NORTH",), ("S101", EmployeeRole.LP)),
    ("lp.officer", Role.LP_OFFICER, ScopeKind.STORES, ("S101",), ("S101", EmployeeRole.LP)),
    ("store.manager", Role.STORE_MANAGER, ScopeKind.STORES, ("S102",), ("S102", EmployeeRole.MANAGER)),  # noqa: E501
    ("director.south", Role.REGIONAL_DIRECTOR, ScopeKind.REGIONS, ("SOUTH",), None),
    ("executive", Role.EXECUTIVE, ScopeKind.EVERYTHING, (), None),
    ("auditor", Role.AUDITOR, ScopeKind.EVERYTHING, (), None),
    ("police", Role.EXTERNAL, ScopeKind.STORES, (), None),
)  # fmt: skip


@dataclass
class SeedSummary:
    organisation: str = ""
    regions: int = 0
    stores: int = 0
    people: int = 0
    created: int = 0
    password: str = ""
    logins: list[DemoLogin] = field(default_factory=list)


def demo_password(data_dir: Path | None = None) -> str:
    """The demo password of this data directory, made on first use."""
    path = Path(data_dir or settings.DATA_DIR) / PASSWORD_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = "demo-" + secrets.token_urlsafe(9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(password, encoding="utf-8")
    return password


def seed() -> SeedSummary:
    """Create whatever part of the demo retailer is missing; return what exists."""
    summary = SeedSummary(password=demo_password())
    with transaction.atomic():
        organisation = Organisation.objects.filter(name="Northwind Outfitters").first()
        if organisation is None:
            organisation = Organisation.objects.create(name="Northwind Outfitters")
            summary.created += 1
        summary.organisation = organisation.name
        regions = {code: _region(organisation, code, name, summary) for code, name in REGIONS}
        stores = [_store(regions, row, summary) for row in STORES]
        rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, not security
        for store in stores:
            _staff(store, rng, summary)
        for row in LOGINS:
            summary.logins.append(_login(row, summary))
    summary.regions = Region.objects.count()
    summary.stores = Store.objects.count()
    summary.people = Person.objects.count()
    return summary


def _region(org: Organisation, code: str, name: str, summary: SeedSummary) -> Region:
    region, created = Region.objects.get_or_create(
        code=code, defaults={"organisation": org, "name": name}
    )
    summary.created += created
    return region


def _store(regions: dict[str, Region], row: tuple[str, ...], summary: SeedSummary) -> Store:
    code, name, region, zone, street, city, state, postal = row
    store, created = Store.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "region": regions[region],
            "timezone": zone,
            "street": street,
            "city": city,
            "state": state,
            "postal_code": postal,
            "phone": f"+1-555-01{code[-2:]}",
        },
    )
    if created:
        summary.created += 1
        weekday = [(day, time(8), time(21)) for day in range(6)]
        records.set_opening_hours(store, [*weekday, (6, time(10), time(18))])
    return store


def _staff(store: Store, rng: random.Random, summary: SeedSummary) -> None:
    number = 0
    for role, count in STAFFING.items():
        for _ in range(count):
            number += 1
            employee_id = f"E{store.code[1:]}{number:03d}"
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            hired = date(2026, 1, 1) - timedelta(days=rng.randint(30, 3650))
            _, created = Person.objects.get_or_create(
                employee_id=employee_id,
                defaults={"home_store": store, "name": name, "role": role, "hired_on": hired},
            )
            summary.created += created


def _login(row: LoginRow, summary: SeedSummary) -> DemoLogin:
    username, role, scope_kind, codes, employee = row
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, role=role, scope_kind=scope_kind)
        user.first_name, user.last_name = username.replace(".", " ").title(), "(demo)"
        if employee is not None:
            store_code, employee_role = employee
            user.person = (
                Person.objects.filter(home_store__code=store_code, role=employee_role, user=None)
                .order_by("employee_id")
                .first()
            )
        if role == Role.EXTERNAL:
            user.organisation_name = DEMO_AGENCY
            user.agency, _ = Agency.objects.get_or_create(
                name=DEMO_AGENCY, defaults={"kind": AgencyKind.POLICE}
            )
        user.set_password(summary.password)
        user.save()
        if scope_kind == ScopeKind.REGIONS:
            user.regions.set(Region.objects.filter(code__in=codes))
        elif codes:
            user.stores.set(Store.objects.filter(code__in=codes))
        summary.created += 1
    elif not user.check_password(summary.password):
        # The data directory (and its password file) was replaced; keep logins usable.
        user.set_password(summary.password)
        user.save()
    scope = {
        ScopeKind.EVERYTHING: "every store",
        ScopeKind.REGIONS: ", ".join(codes),
        ScopeKind.STORES: ", ".join(codes) or "only what is shared",
    }[ScopeKind(user.scope_kind)]
    return DemoLogin(username=username, role=user.get_role_display(), scope=scope)
