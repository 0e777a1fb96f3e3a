"""The icon and the web app manifest: what browsers ask for besides the pages."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

ICONS = ["public/favicon.svg", "public/favicon-32.png", "public/favicon.ico",
         "public/apple-touch-icon.png", "public/icon-192.png", "public/icon-512.png",
         "public/icon-maskable-512.png"]  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", ICONS)
def test_every_icon_is_a_static_file_of_its_kind(name):
    path = finders.find(name)
    assert path, name
    data = open(path, "rb").read()  # noqa: SIM115 (a small file)
    if name.endswith(".png"):
        assert data.startswith(PNG)
    elif name.endswith(".ico"):
        assert data[:4] == b"\x00\x00\x01\x00" and PNG in data  # an ICO holding a PNG
    else:
        assert data.startswith(b"<svg") and "#0066cc" in data.decode()


def test_pages_link_the_icons_and_the_manifest_of_their_language(client, lodi):
    page = client.get("/ar/privacy/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/public/favicon\.svg" type="image/svg\+xml">',
                     page)  # fmt: skip
    assert '<link rel="icon" href="/static/public/favicon-32.png" sizes="32x32"' in page
    assert '<link rel="apple-touch-icon" href="/static/public/apple-touch-icon.png">' in page
    assert '<link rel="manifest" href="/ar/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#0066cc">' in page


def test_favicon_ico_never_answers_404(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/public/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.parametrize(("code", "direction"), [("it", "ltr"), ("ar", "rtl"), ("en", "ltr")])
def test_manifest_in_each_language(client, lodi, code, direction):
    response = client.get(f"/{code}/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == manifest["short_name"] == "Lodi per tutti"
    assert manifest["lang"] == code and manifest["dir"] == direction
    assert manifest["start_url"] == f"/{code}/" and manifest["scope"] == "/"
    assert manifest["theme_color"] == "#0066cc"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"any", "192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon


def test_manifest_description_is_translated(client, lodi):
    english = json.loads(client.get("/en/manifest.webmanifest").content)["description"]
    italian = json.loads(client.get("/it/manifest.webmanifest").content)["description"]
    assert english.startswith("Public and social services near you") and italian != english


def test_manifest_without_a_territory_is_a_404(client, db):
    assert client.get("/it/manifest.webmanifest").status_code == 404


def test_pages_without_a_territory_link_no_manifest(client, db):
    assert 'rel="manifest"' not in client.get("/it/privacy/").content.decode()
