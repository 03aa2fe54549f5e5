"""A lead's amount says what it is: the voided lines, the refund, the discount given, and on
the lead's page how it stands beside the transaction's total."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import World, client_for, make_store, make_user
from tests.pos.test_imports import generated  # noqa: F401 - the module's generated data set
from vigil.core.models import Role, User
from vigil.engines.pos import rules as engine_rules
from vigil.pos import imports
from vigil.pos.amounts import MEANINGS, OWN_RULE, meaning_of
from vigil.pos.models import PosException


@pytest.fixture
def scanned(world: World, generated: Path) -> User:  # noqa: F811
    make_store(world.region_a, "S101")
    make_store(world.region_b, "S102")
    investigator = make_user(Role.LP_MANAGER, everything=True, username="investigator")
    data_set = imports.import_data_set(investigator, generated, "March", "generated")
    imports.scan_data_set(data_set, investigator)
    return investigator


def test_every_built_in_rule_says_what_its_amount_is() -> None:
    built_in = {path.stem for path in Path(engine_rules.__file__).parent.glob("rules/*.sql")}
    assert built_in, "the engine's rule files were not found"
    assert built_in <= set(MEANINGS), sorted(built_in - set(MEANINGS))


def test_an_operators_own_rule_is_described_as_the_amount_it_reports() -> None:
    assert meaning_of("my_own_rule") is OWN_RULE


def test_a_line_void_amount_is_said_to_be_the_voided_lines_not_what_was_paid() -> None:
    meaning = meaning_of("line_void_cash")
    assert meaning.label == "voided lines"
    assert "can be more than the transaction's total" in meaning.explained


def test_the_lead_page_explains_the_amount_beside_the_transactions_total(scanned: User) -> None:
    lead = PosException.objects.exclude(amount=None).order_by("-severity").first()
    assert lead is not None
    body = client_for(scanned).get(f"/pos/exceptions/{lead.pk}/").content.decode()
    meaning = meaning_of(lead.rule)
    assert f"({meaning.label})" in body
    assert "The transaction's total, as tendered, is" in body


def test_the_lead_report_labels_each_amount(scanned: User) -> None:
    body = client_for(scanned).get("/pos/").content.decode()
    labels = {
        meaning_of(rule).label for rule in PosException.objects.values_list("rule", flat=True)
    }
    assert any(f">{label}</span>" in body for label in labels)
    assert "The label under each amount says which" in body
