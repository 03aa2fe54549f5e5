"""What browser tests do on every page: sign in, and hear what the browser refused."""

from __future__ import annotations

import subprocess
import time
import zipfile
from pathlib import Path
from typing import Any

from tests.conftest import PASSWORD


def sign_in(page: Any, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Through the sign-in form, as a person would; lands wherever Vigil sends them."""
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def watch_refusals(page: Any, refused: list[str] | None = None) -> list[str]:
    """Collect what the Content-Security-Policy blocked, and any script that failed, page by
    page; a test ends with ``assert refused == []``."""
    found = refused if refused is not None else []
    page.on(
        "console",
        lambda message: (
            found.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: found.append(f"{page.url}: {error}"))
    return found


def open_browser_page(
    browser: Any, viewport: dict[str, int], refused: list[str]
) -> tuple[Any, Any]:
    """A fresh context (its own cookies) at ``viewport``, its page watched for refusals."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch_refusals(page, refused)
    return context, page


def until(page: Any, expression: str, seconds: float = 20) -> None:
    """Wait until ``expression`` is true in the page, asking from the test: Playwright's own
    ``wait_for_function`` compiles its polling inside the page, which Vigil's CSP (no eval)
    refuses whenever the first answer is false."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        time.sleep(0.05)


def sign_with_a_finger(page: Any) -> None:
    """Draw a signature on the statement's pad, as a witness would, and sign."""
    canvas = page.locator("canvas.signature-pad")
    canvas.scroll_into_view_if_needed()
    pad = canvas.bounding_box()
    page.mouse.move(pad["x"] + 20, pad["y"] + 40)
    page.mouse.down()
    page.mouse.move(pad["x"] + 150, pad["y"] + 60, steps=8)
    page.mouse.move(pad["x"] + 250, pad["y"] + 30, steps=8)
    page.mouse.up()
    page.click("#sign-form button[type=submit]")
    page.wait_for_selector("text=Signed. The statement is locked")


def unpacked_and_verified(archive: Path, folder: Path) -> Path:
    """The package ``archive`` unzipped into ``folder``, once `sha256sum -c SHA256SUMS` has
    checked every file in it as a detective would."""
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    return folder
