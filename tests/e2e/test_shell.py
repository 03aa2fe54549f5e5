"""Every demo login walks its whole navigation at phone and desk width, and every page fits,
reads to a screen reader (axe-core) and names the zone of every time it shows.

axe-core is vendored under tests/e2e/vendor/ (axe.min.js, its LICENSE): a test tool that the
browser loads into each page it walks, never served by Vigil itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.core.test_clock import ZONE, unzoned_times
from tests.e2e.browsing import open_browser_page, sign_in
from vigil.core import demo

# Layout, accessibility and zone labels are the browser's reading of the page, the same on
# either database: walked once, on the SQLite pass (tests/conftest.py).
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.any_database,
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}

# What a page must not do, measured in the browser: be wider than the screen, or squeeze a
# button until its label stands one letter per line.
_LAYOUT_FAULTS = r"""() => {
  const faults = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    faults.push(`page is ${root.scrollWidth}px wide on a ${window.innerWidth}px screen`);
  }
  const controls = document.querySelectorAll(
    "button, a[role=button], input[type=submit], select, input:not([type=hidden])");
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(control);
    const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
    const em = parseFloat(style.fontSize);
    const label = (control.innerText || control.value || control.name || "").trim().slice(0, 30);
    if (box.height > 3 * line && box.width < 3 * em) {
      faults.push(`"${label}" wraps letter by letter (${box.width}x${box.height})`);
    } else if (control.tagName !== "SELECT" && control.tagName !== "INPUT" && label) {
      // More lines than words: a word was broken ("Filte" / "r").
      const range = document.createRange();
      range.selectNodeContents(control);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > label.split(/\s+/).length) {
        faults.push(`"${label}" breaks inside a word (${tops.size} lines)`);
      }
    }
    if (control.tagName === "SELECT" && !control.multiple && box.height > 4 * line) {
      faults.push(`select "${label}" is ${box.height}px tall`);
    }
  }
  return faults;
}"""


AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# Only what stops a person using the page (a control without a name, text they cannot read):
# "serious" and "critical"; "moderate" and "minor" findings are advice, not failures.
_AXE_RUN = """async (skipped) => {
  const rules = Object.fromEntries(skipped.map((rule) => [rule, {enabled: false}]));
  const result = await axe.run(document, {resultTypes: ["violations"], rules});
  return result.violations
    .filter((v) => ["serious", "critical"].includes(v.impact))
    .map((v) => ({rule: v.id, impact: v.impact, help: v.help,
                  targets: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
}"""
# Colours do not change with the width (the phone layout drops at most a row's stripe), and
# contrast is axe's slowest rule: it is read once, at desk width.
_SKIPPED_AT = {"390": ["color-contrast"], "1366": []}
# A twelve-hour clock ("2:05 PM"), which the date-time patterns of the page walk do not read.
_TWELVE_HOUR = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?\s?[AaPp]\.?[Mm]\b\.?")


def _times_without_zone(text: str) -> list[str]:
    """Times in a page's visible text (``innerText``: what is on screen, not attributes or
    hidden parts) with no zone after them: the page walk's rule, and twelve-hour clocks."""
    found = unzoned_times(text.replace("<", " "))
    for match in _TWELVE_HOUR.finditer(text):
        if not re.match(ZONE, text[match.end() :]):
            found.append(" ".join(text[max(0, match.start() - 40) : match.end() + 10].split()))
    return found


def _a_week_of_pos_leads(tmp_path: Path) -> None:
    """A small scanned POS data set for the demo's S101 and S102, so the lead list, its
    filter bar and its table are on the page (the demo's full quarter takes too long)."""
    from vigil.core.models import User
    from vigil.engines.pos.generator import generate
    from vigil.pos import imports

    generate(tmp_path / "week", stores=2, days=3, seed=3, transactions_per_register_day=20)
    manager = User.objects.get(username="lp.manager")
    data_set = imports.import_data_set(manager, tmp_path / "week", "A week", "generated")
    imports.scan_data_set(data_set, manager)


def _menu_hrefs(page: Any) -> list[str]:
    links = page.locator(".shell-header a[href]")
    found = {links.nth(i).get_attribute("href") for i in range(links.count())}
    return sorted(href for href in found if href and href.startswith("/"))


Findings = dict[tuple[str, ...], list[str]]


def _walk(page: Any, base_url: str, username: str, shots: Any, axe_findings: Findings) -> list[str]:
    problems: list[str] = []
    for href in _menu_hrefs(page):
        response = page.goto(f"{base_url}{href}")
        status = response.status if response is not None else 0
        if status != 200:
            problems.append(f"{username} {href}: HTTP {status}")
            continue
        for width, viewport in (("390", PHONE), ("1366", DESK)):
            page.set_viewport_size(viewport)
            where = f"{username} {href} @{width}"
            problems += [f"{where}: {f}" for f in page.evaluate(_LAYOUT_FAULTS)]
            text = page.evaluate("document.body.innerText")
            unzoned = _times_without_zone(text)
            if unzoned:
                many = f" and {len(unzoned) - 1} more" if len(unzoned) > 1 else ""
                problems.append(f"{where}: a time without its zone: {unzoned[0]!r}{many}")
            for found in page.evaluate(_AXE_RUN, _SKIPPED_AT[width]):
                key = (found["rule"], found["impact"], found["help"], *found["targets"])
                axe_findings[key].append(where)
            name = f"{username}-{href.strip('/').replace('/', '_') or 'home'}-{width}.png"
            # The first screen of each page: the shell, the header, the filters (a whole
            # list page is thousands of pixels tall, slow to encode and unreadable).
            page.screenshot(path=str(shots / name))
        page.set_viewport_size(PHONE)
    return problems


def test_every_demo_login_walks_its_navigation_at_phone_and_desk_width(
    browser: Any, live_server: Any, screenshots: Any, tmp_path: Path
) -> None:
    summary = demo.seed()
    _a_week_of_pos_leads(tmp_path)
    refused: list[str] = []
    problems: list[str] = []
    axe_findings: Findings = defaultdict(list)
    for username, *_ in demo.LOGINS:
        context, page = open_browser_page(browser, PHONE, refused)
        # Loaded by the browser itself before each page's scripts: the page's
        # Content-Security-Policy (no inline or foreign script) stays as it is.
        context.add_init_script(script=AXE)
        sign_in(page, live_server.url, username, summary.password)
        problems += _walk(page, live_server.url, username, screenshots, axe_findings)
        context.close()
    # One line per fault, however many pages share it (the shell's faults are on all of them).
    for (rule, impact, summary_line, *targets), pages in axe_findings.items():
        more = f" and {len(pages) - 3} more" if len(pages) > 3 else ""
        problems.append(
            f"axe {rule} ({impact}): {summary_line}; at {targets} on {', '.join(pages[:3])}{more}"
        )
    assert problems == [], "\n".join(problems)
    assert refused == []


def test_the_phone_menu_opens_and_closes_from_the_keyboard(
    browser: Any, live_server: Any, screenshots: Any
) -> None:
    summary = demo.seed()
    context, page = open_browser_page(browser, PHONE, [])
    sign_in(page, live_server.url, "lp.manager", summary.password)
    toggle = page.locator("button.menu-toggle")
    menu = page.locator("nav.main-menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    header_height = page.locator(".shell-header").bounding_box()["height"]
    assert header_height < 100, f"the closed shell takes {header_height}px"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.is_visible() and page.locator("#store-switch").is_visible()
    page.screenshot(path=str(screenshots / "shell-menu-open-390.png"))
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    page.set_viewport_size(DESK)
    assert menu.is_visible() and not toggle.is_visible()
    context.close()
