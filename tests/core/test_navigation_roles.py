"""Each role is offered exactly what it may use: no menu item answers 403."""

from __future__ import annotations

import pytest
from django.test import Client

from vigil.core import demo
from vigil.core.models import User
from vigil.core.navigation import menu_for

pytestmark = pytest.mark.django_db


def _menu_answers(username: str) -> dict[str, int]:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    answers: dict[str, int] = {}
    for item in menu_for(user, "/"):
        if item.url is not None:
            answers[item.url] = client.get(item.url).status_code
    return answers


@pytest.mark.parametrize("username", [row[0] for row in demo.LOGINS])
def test_no_menu_item_answers_403_for_any_demo_role(username: str) -> None:
    demo.seed()
    answers = _menu_answers(username)
    assert answers, f"{username} is offered nothing"
    assert {url: status for url, status in answers.items() if status != 200} == {}


def test_police_see_only_their_portal() -> None:
    demo.seed()
    police = User.objects.get(username="police")
    assert {item.label for item in menu_for(police, "/")} == {"Shared with me", "Requests"}


@pytest.mark.parametrize(
    ("username", "offered"),
    [("lp.officer", True), ("store.manager", True), ("executive", False), ("auditor", False)],
)
def test_new_incident_is_offered_only_to_roles_that_may_record(
    username: str, offered: bool
) -> None:
    demo.seed()
    client = Client()
    client.force_login(User.objects.get(username=username))
    assert ("+ New incident" in client.get("/incidents/").content.decode()) is offered
    assert client.get("/incidents/new/").status_code == (200 if offered else 403)


@pytest.mark.parametrize(("username", "offered"), [("lp.manager", True), ("lp.officer", False)])
def test_importing_pos_data_is_offered_only_to_investigators(username: str, offered: bool) -> None:
    demo.seed()
    client = Client()
    client.force_login(User.objects.get(username=username))
    assert ("Import a data set" in client.get("/pos/").content.decode()) is offered
