"""Training on a phone: an associate opens their module, takes the quiz and passes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, make_person, make_store, make_user
from tests.e2e.test_navigation import _sign_in
from vigil.core.models import EmployeeRole, Organisation, Region, Role
from vigil.training import courses
from vigil.training.models import Assignment, Module

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_associate_takes_the_eas_module_quiz_and_passes(page: Any, live_server: Any) -> None:
    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E"), code="R1", name="Region 1"
    )
    store = make_store(region, "S101")
    person = make_person(store, EmployeeRole.CASHIER, name="Jamie Rivera")
    make_user(Role.EXECUTIVE, stores=(store,), person=person, username="jamie")
    manager = make_user(Role.LP_MANAGER, stores=(store,), username="store.lp")
    module = Module.objects.get(key="eas-alarm-response")
    due = timezone.localdate() + dt.timedelta(days=7)
    (assignment,) = courses.assign(manager, module, [store], [EmployeeRole.CASHIER], due)
    base = live_server.url
    _sign_in(page, base, "jamie", PASSWORD)  # the page fixture is phone-sized

    page.goto(f"{base}/training/")
    page.get_by_role("link", name="Responding to an EAS alarm").first.click()
    page.wait_for_selector("text=The response: acknowledge, re-scan, apologise")
    for index, question in enumerate(courses.questions_of(module)):
        page.locator(f"input[name=q{index}][value='{question.answer}']").check()
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_selector("text=Passed with 100%.")
    assert page.get_by_text("Download the certificate").is_visible()
    assignment = Assignment.objects.get(pk=assignment.pk)
    assert assignment.completed_at is not None and assignment.best_score == 100
    assert assignment.attempts.get().recorded_by.username == "jamie"
