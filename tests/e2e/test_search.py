"""Search in the browser: the shell's box at phone and desk width leads to results that fit
the screen, read to a screen reader and name the zone of every time."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browsing import open_browser_page, sign_in
from tests.e2e.test_shell import _LAYOUT_FAULTS, AXE, DESK, PHONE, _times_without_zone
from vigil.cases import demo as investigations_demo
from vigil.core import demo

# What the browser reads is the same on either database (tests/search runs on both).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
]
# axe-core's findings that stop a person using the page, as the shell walk reads them.
_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => ({rule: v.id, impact: v.impact,
                  targets: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
}"""


def _demo_with_an_alias() -> str:
    """The demo retailer and its investigations, one subject known by an alias."""
    from vigil.cases.models import Subject

    summary = demo.seed()
    investigations_demo.seed()
    subject = Subject.objects.filter(store__code="S101").first()
    assert subject is not None
    subject.aliases = "Red Fox, R.F."
    subject.save()
    return summary.password


def _faults(page: Any, where: str) -> list[str]:
    problems = [f"{where}: {fault}" for fault in page.evaluate(_LAYOUT_FAULTS)]
    problems += [f"{where}: no zone: {t}" for t in _times_without_zone(page.inner_text("body"))]
    problems += [
        f"{where}: axe {found['rule']} ({found['impact']}) at {found['targets']}"
        for found in page.evaluate(_AXE_RUN)
    ]
    return problems


@pytest.mark.parametrize(
    ("width", "viewport"),
    [("390", PHONE), ("768", {"width": 768, "height": 1024}), ("1366", DESK)],
)
def test_the_header_box_finds_a_plate_misread_and_an_alias(
    browser: Any, live_server: Any, screenshots: Any, width: str, viewport: dict[str, int]
) -> None:
    password = _demo_with_an_alias()
    refused: list[str] = []
    context, page = open_browser_page(browser, viewport, refused)
    context.add_init_script(script=AXE)
    sign_in(page, live_server.url, "lp.manager", password)
    box = page.locator(".shell-search input[type=search]")
    assert box.is_visible(), "the search box is in the bar, menu open or not"
    box.fill("KDL447I")
    box.press("Enter")
    page.wait_for_load_state()
    assert "/search/" in page.url
    results = page.locator(".search-group")
    assert "KDL4471" in results.first.inner_text()
    assert "look-alike" in page.inner_text("main")
    problems = _faults(page, f"plate @{width}")
    page.screenshot(path=str(screenshots / f"search-plate-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/search/?q=razor")
    assert page.locator(".search-group h2").count() >= 2  # incidents and cases at least
    problems += _faults(page, f"razor @{width}")
    page.screenshot(path=str(screenshots / f"search-razor-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/search/?q=red+fox")
    assert "Red Fox" in page.inner_text("main")
    problems += _faults(page, f"alias @{width}")
    page.screenshot(path=str(screenshots / f"search-alias-{width}.png"))
    page.goto(f"{live_server.url}/search/")
    problems += _faults(page, f"empty @{width}")
    page.screenshot(path=str(screenshots / f"search-empty-{width}.png"))
    context.close()
    assert problems == []
    assert refused == []
