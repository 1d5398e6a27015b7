"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's
`live_server`.

- Never a downloaded browser build: Chromium comes from the system (`/usr/bin/chromium`, see
  .ci/run); a missing binary fails the test run with a clear message instead of skipping it.
- `live_server` runs in a thread of this process, so `settings` overrides and the locmem cache
  and mail outbox are shared with the server. Rate limits are off unless a test asks for
  `rate_limits_on`.
- Every test's last page is saved as `test-output/screenshots/<test name>.png` (gitignored),
  whether the test passed or failed.
- The database is rolled back with `serialized_rollback`, so the countries loaded by migrations
  are there for every browser test.

Typical use::

    def test_something(page, demo_shop):
        page.goto("/products/")          # relative to live_server.url
        page.get_by_role("link", name="Ceramic Mug").click()
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by the
# test code itself (fixtures, assertions) would otherwise raise SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
#: Playwright's default of 30 s hides a stuck page for too long on CI.
TIMEOUT_MS = 15_000


def screenshot_path(name: str) -> Path:
    """`test-output/screenshots/<name>.png`, with the test name made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "screenshot"
    return SCREENSHOTS / f"{safe}.png"


def save_screenshot(page, name: str) -> Path:
    """Save what `page` shows now (the whole page) under test-output/screenshots/."""
    path = screenshot_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole run."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(`apt-get install chromium`, as .ci/run does). Never run `playwright install`.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright for Python is not installed: `pip install -e '.[dev]'` (make setup).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def browser_settings(settings, live_server):
    """The live server as the storefront (email links point at it), rate limits off."""
    settings.RATE_LIMITS_ENABLED = False
    settings.STOREFRONT_URL = live_server.url
    return settings


@pytest.fixture
def rate_limits_on(browser_settings):
    """For the tests that exercise a rate limit or lockout through the pages."""
    browser_settings.RATE_LIMITS_ENABLED = True
    return browser_settings


@pytest.fixture
def context(browser, live_server, browser_settings, django_db_serialized_rollback, request):
    """A fresh browser profile (no cookies) per test, with `live_server.url` as base URL."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    """A page of the fresh context; its last state is saved as the test's screenshot."""
    page = context.new_page()
    yield page
    try:
        save_screenshot(page, request.node.name)
    finally:
        page.close()


@pytest.fixture
def demo_shop(transactional_db) -> dict[str, str]:
    """The demo catalog (catalog/demo.py) and checkout setup (orders/demo.py): a T-shirt in
    three sizes, a mug, a poster, a sold-out tote; the North America zone with Standard and
    Express delivery; the Check payment method."""
    from catalog.demo import seed_catalog
    from orders.demo import seed_checkout

    quiet = lambda _line: None  # noqa: E731
    return {**seed_catalog(write=quiet), **seed_checkout(write=quiet)}
