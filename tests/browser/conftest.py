"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from pertutti.importing.services import services_import_file
from tests.conftest import DEMO_CSV

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries to reach Google at start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def loaded(page: Page, url: str) -> None:
    """Wait until the page a click opened (its address matches the pattern `url`) has
    loaded whole. A click returns once the new document is committed, when it may not be
    parsed yet: counting cards then found 0 of 20 (CI); a width measured then is a part's."""
    page.wait_for_url(re.compile(url), wait_until="load")


def serious_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in_browser(page: Page, site: str, username: str, device=None) -> None:
    """Through the sign-in page, and the second factor when `device` (a TOTPDevice) is given."""
    from django_otp.oath import TOTP
    from playwright.sync_api import expect

    from tests.staff import PASSWORD

    page.goto(f"{site}/it/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    if device is not None:
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/"))
        page.fill("#id_code", f"{TOTP(device.bin_key).token():06d}")
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/(manage|translate)/"))


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """One driver for the session: Playwright's sync API allows one per thread."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (see .ci/run)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def site(transactional_db, live_server, settings):
    from pertutti.taxonomy.services import categories_sync
    from pertutti.territories.services import territory_load

    categories_sync()  # transactional tests flush the rows the data migration made
    settings.PERTUTTI_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # closed port: no tiles
    territory = territory_load(slug="lodi").territory
    services_import_file(territory=territory, path=DEMO_CSV, sample_data=True)
    return live_server.url
