"""A person signs in and walks every menu item, at phone width."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD, make_person, make_user
from vigil.core import demo
from vigil.core.models import Role
from vigil.core.navigation import AREAS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_lp_manager_signs_in_and_sees_the_shell_with_their_stores(
    page: Any, live_server: Any
) -> None:
    summary = demo.seed()
    _sign_in(page, live_server.url, "lp.manager", summary.password)
    # The store switcher offers exactly the manager's stores (the North region), and the
    # dashboard says how many it covers.
    offered = page.inner_text("#store-switch")
    for code in ("S101", "S102", "S103"):
        assert code in offered
    assert "S104" not in offered
    assert "your 3 stores" in page.inner_text("main")
    page.screenshot(path=str(demo.settings.DATA_DIR / "dashboard.png"), full_page=True)


def test_admin_navigates_every_menu_item(page: Any, live_server: Any) -> None:
    from vigil.core.models import Organisation, Region, Store

    region = Region.objects.create(
        organisation=Organisation.objects.create(name="E2E"), code="R1", name="R1"
    )
    store = Store.objects.create(region=region, code="E2E1", name="End to end", timezone="UTC")
    make_person(store, name="Pat Person")
    make_user(Role.ADMIN, everything=True, username="e2e.admin")
    _sign_in(page, live_server.url, "e2e.admin", PASSWORD)

    refused: list[str] = []  # what the Content-Security-Policy blocked, page by page
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    links = page.locator("nav.main-menu a[href]")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert "/" in hrefs and "/audit-log/" in hrefs
    for href in sorted(hrefs):
        response = page.goto(f"{live_server.url}{href}")
        assert response is not None and response.status == 200, href
        assert page.locator("main h1").count() >= 1, href
    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector("#swagger-ui .info")  # the API docs ran under the policy
    page.goto(f"{live_server.url}/people/")
    page.click("button.menu-toggle")  # on a phone the switcher is in the folded menu
    with page.expect_navigation():  # the store switcher sends its form by itself
        page.select_option("#store-switch", "E2E1")
    assert page.locator("#store-switch").input_value() == "E2E1"
    assert refused == []
    unavailable = page.locator("nav.main-menu .unavailable")
    planned = {area.label for area in AREAS if area.section == "main"} - {"Dashboard"}
    assert {unavailable.nth(i).text_content() for i in range(unavailable.count())} <= planned

    page.goto(f"{live_server.url}/people/")
    page.locator("tr", has_text="Pat Person").locator("a").click()
    page.wait_for_url("**/people/EMP*/")
    assert "End to end" in page.inner_text("main")
