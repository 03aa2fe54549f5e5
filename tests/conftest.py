"""Shared fixtures: a small retailer with two stores in two regions, and people who use it.

``owner`` works store A; ``teammate`` shares store A; ``outsider`` is scoped to store B
only. Every endpoint gets the owner / teammate / outsider treatment.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from vigil.core import clock
from vigil.core.models import (
    EmployeeRole,
    Organisation,
    Person,
    Region,
    Role,
    ScopeKind,
    Store,
    User,
)

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """Which tests run on which database pass (``make test`` runs SQLite, then PostgreSQL).

    - ``postgres``: PostgreSQL behaviour; runs when DATABASE_URL points at PostgreSQL.
    - ``any_database``: checks what no database changes (pages as a browser lays them out):
      runs on the SQLite pass only, not again on PostgreSQL.
    - ``strictest_database``: sends values a database may refuse (NUL bytes, out-of-range
      numbers), which PostgreSQL refuses more of than SQLite: when a PostgreSQL pass follows
      (VIGIL_TEST_DATABASE_URL is set, as in CI) it runs there and not on SQLite.
    """
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql"))
    postgres_follows = not on_postgres and bool(os.environ.get("VIGIL_TEST_DATABASE_URL"))
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (make test does in CI)")
    once = pytest.mark.skip(reason="database-independent: checked on the SQLite pass")
    stricter = pytest.mark.skip(reason="runs on the PostgreSQL pass (VIGIL_TEST_DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
        if "any_database" in item.keywords and on_postgres:
            item.add_marker(once)
        if "strictest_database" in item.keywords and postgres_follows:
            item.add_marker(stricter)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any) -> None:
    """Tasks run in-process in tests unless a test asks for the real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DATA_DIR = tmp_path
    # Fast hashing: tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A test may call the API hundreds of times a second; the rate-limit tests set their own.
    settings.API_RATE_PER_CLIENT = settings.API_RATE_PER_ADDRESS = (1_000_000, 60)
    # Tests sign in with force_login and no device; the two-factor tests switch the policy on
    # (tests/twofactor). A real installation always enforces it.
    settings.VIGIL_TWO_FACTOR_ENFORCED = False
    # Tasks run in-process here, so linking after each new incident (vigil.intel) would run
    # the linking engine inside every test that commits one; tests/intel switch it on.
    settings.INTEL_LINK_ON_NEW_INCIDENT = False
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_actor() -> Any:
    """Each test starts as "system": a sign-in in one test (force_login names the user for
    the rest of the thread) must not make the next test's changes look like theirs."""
    from vigil.core.context import SYSTEM, acting_as

    with acting_as(SYSTEM):
        yield


@dataclass
class World:
    organisation: Organisation
    region_a: Region
    region_b: Region
    store_a: Store
    store_b: Store


STORE_ZONE = "America/Chicago"  # every test store's zone


def make_store(region: Region, code: str | None = None) -> Store:
    number = next(_numbers)
    return Store.objects.create(
        region=region,
        code=code or f"T{number:03d}",
        name=f"Test store {number}",
        timezone=STORE_ZONE,
    )


def store_today() -> dt.date:
    """Today on the test stores' calendar, which is what the app calls today for their cases,
    tasks and payments: between midnight UTC and midnight in Chicago the two dates differ."""
    return clock.today_at(SimpleNamespace(timezone=STORE_ZONE))


def make_person(store: Store, role: str = EmployeeRole.CASHIER, name: str = "") -> Person:
    number = next(_numbers)
    return Person.objects.create(
        employee_id=f"EMP{number:05d}",
        home_store=store,
        name=name or f"Employee {number}",
        role=role,
    )


def make_user(
    role: str = Role.LP_MANAGER,
    *,
    stores: tuple[Store, ...] = (),
    regions: tuple[Region, ...] = (),
    everything: bool = False,
    person: Person | None = None,
    username: str = "",
) -> User:
    number = next(_numbers)
    if everything:
        kind = ScopeKind.EVERYTHING
    else:
        kind = ScopeKind.REGIONS if regions else ScopeKind.STORES
    user = User(username=username or f"user{number}", role=role, scope_kind=kind, person=person)
    user.set_password(PASSWORD)
    user.save()
    if stores:
        user.stores.set(stores)
    if regions:
        user.regions.set(regions)
    return user


@pytest.fixture
def world(db: Any) -> World:
    organisation = Organisation.objects.create(name="Test Retail")
    region_a = Region.objects.create(organisation=organisation, code="RA", name="Region A")
    region_b = Region.objects.create(organisation=organisation, code="RB", name="Region B")
    return World(
        organisation=organisation,
        region_a=region_a,
        region_b=region_b,
        store_a=make_store(region_a, "SA1"),
        store_b=make_store(region_b, "SB1"),
    )


@pytest.fixture
def owner(world: World) -> User:
    person = make_person(world.store_a, EmployeeRole.LP)
    return make_user(Role.LP_MANAGER, stores=(world.store_a,), person=person, username="owner")


@pytest.fixture
def teammate(world: World) -> User:
    return make_user(Role.LP_OFFICER, stores=(world.store_a,), username="teammate")


@pytest.fixture
def outsider(world: World) -> User:
    person = make_person(world.store_b, EmployeeRole.LP)
    return make_user(Role.LP_MANAGER, stores=(world.store_b,), person=person, username="outsider")


@pytest.fixture
def admin_user(world: World) -> User:
    return make_user(Role.ADMIN, everything=True, username="chief")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner_client(owner: User) -> Client:
    return client_for(owner)


# --- investigations --------------------------------------------------------------------


def make_incident(store: Store, reporter: User, **fields: Any) -> Any:
    from django.utils import timezone

    from vigil.cases.filing import file_incident

    values: dict[str, Any] = {
        "kind": "shoplifting",
        "summary": "Two razor packs concealed in a tote bag",
        "occurred_at": timezone.now(),
        "location": "Aisle 7, health and beauty",
        "merchandise_value": "59.98",
        **fields,
    }
    return file_incident(reporter, store, values)


def make_case(store: Store, investigator: User, **fields: Any) -> Any:
    from vigil.cases.casework import open_case

    values: dict[str, Any] = {"store": store, "title": "Razor thefts", "kind": "shoplifting"}
    return open_case(investigator, {**values, **fields})


def make_subject(store: Store, **fields: Any) -> Any:
    from vigil.cases.models import Subject

    values: dict[str, Any] = {"name": "Jordan Example", "height": "5'10\"", **fields}
    return Subject.objects.create(store=store, **values)


def add_evidence(
    user: User, data: bytes = b"CCTV export bytes", *, filename: str = "cam3.mp4", **fields: Any
) -> Any:
    """Put ``data`` into the vault through the same intake as an upload."""
    import io

    from django.utils import timezone

    from vigil.evidence import intake

    description: dict[str, Any] = {
        "filename": filename,
        "source": "vms_export",
        "acquired_by": "Pat Officer",
        "acquired_at": timezone.now(),
        **fields,
    }
    item = intake.describe_item(user, intake.item_fields(user, description, ""))
    return intake.receive(item, io.BytesIO(data), len(data))


# The first bytes of each kind of file Vigil tells apart by content (vigil.evidence.filetypes):
# what a test needs to make a "photo" or a "clip" of a few bytes.
MAGIC = {
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "png": b"\x89PNG\r\n\x1a\n",
    "gif": b"GIF89a",
    "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
    "mp4": b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41",
    "mov": b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ",
    "webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm",
    "mkv": b"\x1a\x45\xdf\xa3\xa3\x42\x86\x81\x01\x42\x82\x88matroska",
    "avi": b"RIFF\x24\x00\x00\x00AVI LIST",
    "mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00",
    "wav": b"RIFF\x24\x00\x00\x00WAVEfmt ",
    "m4a": b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom",
    "ogg": b"OggS\x00\x02\x00\x00",
    "pdf": b"%PDF-1.7\n",
}


def tiny_file(kind: str, payload: bytes = b"") -> bytes:
    """A file of ``kind`` as Vigil sees it (its signature), followed by ``payload``."""
    return MAGIC[kind] + payload
