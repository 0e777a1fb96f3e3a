"""Every public page in every language of the territory, right-to-left where needed."""

import pytest
from django.conf import settings

from pertutti.directory.models import Organization

RTL = {"ar", "ur"}
# English interface sentences that must not appear on a page in another language.
SENTINELS = ["Find the service you need", "What it is", "Skip to content", "Privacy notice"]


@pytest.mark.parametrize("code", [code for code, _ in settings.LANGUAGES])
def test_every_public_page_renders_in_every_language(client, demo, code):
    org = Organization.objects.get(name="CPIA di Lodi").pk
    pages = ["/", "/services/", "/services/map/", "/services/LPT-013/", "/categories/health/",
             f"/organizations/{org}/", "/privacy/", "/accessibility/", "/legal/"]  # fmt: skip
    direction = "rtl" if code in RTL else "ltr"
    for path in pages:
        response = client.get(f"/{code}{path}")
        assert response.status_code == 200, (code, path)
        page = response.content.decode()
        assert f'<html lang="{code}" dir="{direction}">' in page, (code, path)
        if code != "en":
            for sentence in SENTINELS:
                assert sentence not in page, (code, path, sentence)
    missing = client.get(f"/{code}/services/NOPE-1/")
    assert missing.status_code == 404
    assert f'<html lang="{code}" dir="{direction}">' in missing.content.decode()


def test_language_chooser_names_each_language_in_its_own_script(client, demo):
    page = client.get("/it/").content.decode()
    for code, name in [("ar", "العربية"), ("ur", "اردو"), ("pa", "ਪੰਜਾਬੀ"), ("bn", "বাংলা"),
                       ("zh-hans", "简体中文"), ("uk", "Українська")]:  # fmt: skip
        direction = "rtl" if code in RTL else "ltr"
        assert f'hreflang="{code}" lang="{code}" dir="{direction}">{name}</a>' in page


def test_the_territory_chooses_its_languages_and_their_order(client, demo):
    demo.offered_languages = ["it", "ar", "en"]
    demo.save()
    page = client.get("/it/").content.decode()
    chooser = page[page.index('<details class="lang">') : page.index("</details>")]
    assert chooser.index("العربية") < chooser.index("English")
    assert "Română" not in chooser


def test_accept_language_picks_the_first_visit_language(client, demo):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ur-PK,ur;q=0.9")["Location"] == "/ur/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")["Location"] == "/zh-hans/"


def test_numbers_and_phone_numbers_stay_left_to_right_in_arabic(client, demo):
    page = client.get("/ar/services/LPT-066/").content.decode()
    assert '<bdi dir="ltr" class="phone">02 9496 5244</bdi>' in page
    assert '<bdi dir="ltr" class="code">LPT-066</bdi>' in page


def test_plural_forms_follow_each_language(client, demo):
    page = client.get("/ar/services/?category=health").content.decode()
    assert "8" in page
    page = client.get("/ru/services/?category=health").content.decode()
    assert "8" in page
