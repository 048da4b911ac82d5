"""Browser tests: Playwright drives Debian's Chromium against Django's live server."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.accessibility import axe_violations, format_report, install_axe
from tests.browser_skips import CHROMIUM_MISSING

CHROMIUM = Path(os.environ.get("EGOV_CHROMIUM", "/usr/bin/chromium"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
# Pages and `expect(...)` assertions wait up to the same 15 s (Playwright's `expect` waits 5 s by
# default): the first request for /api/v1/openapi.json in a worker builds the schema, which
# takes longer than 5 s while other suites share the two cores.
TIMEOUT_MS = 15_000


# Package scope, not session: Playwright's sync API keeps an asyncio loop running in the
# worker's thread while it is open, and the tests that run after the browser tests on the same
# worker must not see it.
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("EGOV_REQUIRE_BROWSER_TESTS"):
            pytest.fail(f"{CHROMIUM_MISSING} {CHROMIUM}; browser tests are required here")
        pytest.skip(f"{CHROMIUM_MISSING} {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    install_axe(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    # axe-core checks every page the journey loads (WCAG 2.x A/AA), once it has loaded; a
    # page the journey leaves before the check could run is checked on the next load.
    inaccessible: dict[str, list[str]] = {}
    running: list[bool] = []
    page.on("load", lambda loaded: _check_accessibility(loaded, inaccessible, running))
    yield page
    context.close()
    # Every journey runs under the site's Content-Security-Policy: nothing may be blocked.
    assert violations == []
    assert not inaccessible, "axe-core found WCAG violations:\n" + format_report(inaccessible)


# Pages whose markup is a third party's, not ours: Django's admin (its own templates) and
# swagger-ui's API docs (ninja's template). The journeys of citizens and staff never use them.
NOT_OURS = ("/admin/", "/api/v1/docs")


def _check_accessibility(page, inaccessible: dict[str, list[str]], running: list[bool]) -> None:
    from playwright.sync_api import Error

    path = urlsplit(page.url).path
    if running or not page.url.startswith("http") or path.endswith(".pdf"):
        return  # one check at a time (load events of one page can overlap)
    if path.startswith(NOT_OURS):
        return
    url = page.url
    running.append(True)
    try:
        found = axe_violations(page)
    except Error as exc:  # the journey moved on to the next page meanwhile
        if "context was destroyed" in exc.message or "navigat" in exc.message:
            return
        raise
    finally:
        running.clear()
    if found:
        inaccessible[url] = found


@pytest.fixture
def live_quang_ninh(transactional_db, live_server, quang_ninh):
    """The live server over the demo data, already committed in the test database (the root
    conftest puts it back after every transactional test)."""
    return live_server
