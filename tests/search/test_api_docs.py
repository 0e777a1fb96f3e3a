"""/api/v1/docs: Swagger UI from our own static files, under the site's strict CSP."""

import re

from django.contrib.staticfiles import finders


def test_docs_page_uses_only_local_static_files(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert "cdn" not in page.lower()


def test_docs_page_has_no_inline_script(client, db):
    page = client.get("/api/v1/docs").content.decode()
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
        # Only external scripts, and the settings as a JSON data block, which CSP allows.
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert "src=" not in attributes or not body.strip()


def test_docs_page_is_served_under_the_strict_policy(client, db):
    policy = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


def test_openapi_schema_the_docs_read(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/services" in response.json()["paths"]
