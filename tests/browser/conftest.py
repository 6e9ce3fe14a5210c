"""Browser tests: the system's Chromium driven by Playwright against a live server.

Chromium comes from the operating system (Debian's ``chromium`` package), never from
``playwright install``. Without it the tests are skipped with a loud reason, except in CI (the
``CI`` environment variable set), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def _chromium_or_skip() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return path
    reason = (f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM} (install Debian's 'chromium' "
              "package, or set CHROMIUM_PATH)")
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module.

    Playwright's sync API keeps an event loop on the main thread, which makes Django refuse
    database calls from the test itself; the refusal is lifted only while the browser runs,
    and the browser stops with the module so other tests keep the check.
    """
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page (own cookies) that records console errors, CSP violations included."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID",
                                   base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: page.console_errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ (kept out of git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, user, password: str) -> None:
    """Fill in and send the sign-in form."""
    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit].wide")
    page.wait_for_load_state("networkidle")


def menu(page) -> list[str]:
    """The labels of the main menu, in order."""
    return [text.strip() for text in page.locator("nav.mainnav a").all_inner_texts()]
