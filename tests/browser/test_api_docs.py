"""The API documentation renders in a real browser under the site's CSP, with no CDN."""

import re

from playwright.sync_api import Browser, expect


def test_swagger_ui_renders_the_operations_without_csp_errors(chromium: Browser, site: str):
    context = chromium.new_context(viewport={"width": 1024, "height": 800})  # CSP enforced
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(site) else None)
    page.goto(f"{site}/api/v1/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/services")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/suggest")).to_be_visible()
    # Open an operation and run it from the page: the request goes to our own API.
    page.locator(".opblock-summary", has_text="/api/v1/services").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table tbody .response-col_status").first).to_have_text(
        re.compile("200")
    )
    context.close()
    assert problems == []
    assert outside == []
