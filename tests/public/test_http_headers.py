"""Caching and security headers of public pages."""

import re


def test_public_pages_are_cacheable_and_conditional(client, demo):
    response = client.get("/it/services/")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"] and response["Last-Modified"]
    again = client.get("/it/services/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""


def test_etag_changes_when_the_data_change(client, demo, write_csv):
    from pertutti.importing.services import services_import_file
    from tests.conftest import service_row

    before = client.get("/it/services/")["ETag"]
    services_import_file(territory=demo, path=write_csv([service_row(codice="NEW-1")]))
    assert client.get("/it/services/")["ETag"] != before


def test_etag_differs_by_language_and_query(client, demo):
    etags = {client.get(url)["ETag"] for url in ("/it/", "/en/", "/it/services/?q=lavoro")}
    assert len(etags) == 3


def test_strict_content_security_policy(client, demo):
    policy = client.get("/it/services/map/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "img-src 'self' data: https://tile.openstreetmap.org" in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_pages_have_no_inline_script_or_style(client, demo):
    for url in ("/it/", "/it/services/", "/it/services/map/", "/it/services/LPT-013/"):
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert "<style" not in page and " style=" not in page, url
        assert " onclick=" not in page and "javascript:" not in page, url


def test_no_cookies_on_public_pages(client, demo):
    for url in ("/it/", "/it/services/", "/it/services/LPT-013/"):
        assert not client.get(url).cookies, url
