""" "Something wrong here?" on the public site: no account, no cookie, no session; a honeypot;
five reports an hour per client; a text too long refused with a message; nothing stored when
refused; another territory's service is not found."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from pertutti.accounts.models import Role
from pertutti.editorial.models import ErrorReport
from tests.manage.cast import organization, other_territory, service
from tests.staff import make_person

HALF_PAST_TEN = datetime(2025, 5, 12, 10, 30, tzinfo=ZoneInfo("Europe/Rome"))
URL = "/it/services/CAR-001/report/"
GOOD = {"kind": "hours", "text": "Il martedì chiude alle 12", "contact": "", "website": ""}


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: HALF_PAST_TEN)


@pytest.fixture
def mensa(lodi):
    caritas = organization(lodi, "Caritas Lodigiana")
    make_person("editor", lodi, Role.EDITOR, organizations=[caritas])
    return service(caritas, code="CAR-001", name="Mensa <i>solidale</i>")


def post(client, data, *, url=URL, capture=None, **extra):
    if capture is None:
        return client.post(url, data, **extra)
    with capture(execute=True):
        return client.post(url, data, **extra)


def test_the_form_is_a_cached_public_page_without_cookie(client, mensa):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300" and response["ETag"]
    assert not response.cookies
    assert not response.wsgi_request.session.accessed
    assert "Cookie" not in response.get("Vary", "")
    page = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' not in page
    for kind in ("closed", "moved", "hours", "phone", "other"):
        assert f'type="radio" name="kind" value="{kind}"' in page
    assert 'maxlength="2000"' in page
    # The service's name is content: escaped, marked as Italian.
    assert "Mensa &lt;i&gt;solidale&lt;/i&gt;" in page and "<i>solidale" not in page


def test_the_honeypot_is_hidden_from_people(client, mensa):
    page = client.get(URL).content.decode()
    wrapper = page[page.index('<div class="visually-hidden"') :]
    field = wrapper[: wrapper.index("</div>")]
    assert 'name="website"' in field
    assert 'tabindex="-1"' in field and 'autocomplete="off"' in field


def test_a_report_is_stored_and_e_mailed(client, mensa, django_capture_on_commit_callbacks):
    data = dict(GOOD, contact="me@example.org")
    response = post(client, data, url="/ar/services/CAR-001/report/",
                    capture=django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    report = ErrorReport.objects.get()
    assert (report.service, report.kind, report.text, report.contact, report.language) == (
        mensa, "hours", "Il martedì chiude alle 12", "me@example.org", "ar",
    )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]


def test_posting_sets_no_cookie_and_opens_no_session(client, mensa):
    response = post(client, GOOD)
    assert response.status_code == 200
    assert not response.cookies
    assert not response.wsgi_request.session.accessed


def test_a_post_without_csrf_token_is_accepted(mensa):
    """The form is exempt on purpose: the token would need a cookie."""
    response = Client(enforce_csrf_checks=True).post(URL, GOOD)
    assert response.status_code == 200 and ErrorReport.objects.count() == 1


def test_a_filled_honeypot_is_answered_as_sent_and_nothing_is_stored(
    client, mensa, django_capture_on_commit_callbacks
):
    response = post(client, dict(GOOD, website="http://spam.example"),
                    capture=django_capture_on_commit_callbacks)  # fmt: skip
    assert response.status_code == 200
    assert response.templates[0].name == "public/report_sent.html"
    assert not ErrorReport.objects.exists() and mail.outbox == []


def test_twenty_posts_in_a_minute_only_five_are_stored(client, mensa, clock, settings):
    settings.PERTUTTI_REPORTS_PER_HOUR = 5
    codes = [post(client, GOOD).status_code for _ in range(20)]
    assert codes == [200] * 5 + [429] * 15
    assert ErrorReport.objects.count() == 5
    refused = post(client, GOOD, url="/en/services/CAR-001/report/")
    assert refused.status_code == 429
    assert "You have already sent several reports in the last hour" in refused.content.decode()
    assert refused["Retry-After"] == str(30 * 60)
    assert "no-store" in refused["Cache-Control"] and not refused.cookies
    # Another client is still heard.
    assert post(client, GOOD, REMOTE_ADDR="198.51.100.1").status_code == 200
    assert ErrorReport.objects.count() == 6


def test_clients_behind_the_proxy_are_told_apart_by_its_header(client, mensa, clock, settings):
    settings.PERTUTTI_REPORTS_PER_HOUR = 1
    settings.PERTUTTI_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    assert post(client, GOOD, HTTP_X_REAL_IP="203.0.113.7").status_code == 200
    assert post(client, GOOD, HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    assert post(client, GOOD, HTTP_X_REAL_IP="203.0.113.8").status_code == 200


def test_refused_forms_do_not_use_up_the_limit(client, mensa, clock, settings):
    settings.PERTUTTI_REPORTS_PER_HOUR = 1
    assert post(client, {"kind": "nonsense"}).status_code == 400
    assert post(client, GOOD).status_code == 200


def test_a_text_of_100000_characters_is_refused_with_a_message(client, mensa):
    response = post(client, dict(GOOD, text="x" * 100_000), url="/en/services/CAR-001/report/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The report was not sent" in page
    assert "Your text is too long: at most 2000 characters, and it has 100000." in page
    assert not ErrorReport.objects.exists()


def test_line_breaks_count_as_one_character(client, mensa):
    text = "a\r\n" * 666 + "ab"  # 2000 characters as the browser counts them
    assert post(client, dict(GOOD, text=text)).status_code == 200
    assert ErrorReport.objects.get().text == "a\n" * 666 + "ab"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"text": "no kind"}, "kind"),
        ({"kind": "bogus"}, "kind"),
        ({"kind": "other", "text": ""}, "text"),
        ({"kind": "phone", "contact": "call me maybe"}, "contact"),
        ({"kind": "phone", "contact": "x@" + "a" * 300 + ".it"}, "contact"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(client, mensa, data, field):
    response = post(client, data, url="/en/services/CAR-001/report/")
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert "The report was not sent" in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_the_input_is_kept_escaped_when_refused(client, mensa):
    data = {"kind": "phone", "text": "<script>alert(1)</script>", "contact": "<b>no</b>"}
    page = post(client, data).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "&lt;b&gt;no&lt;/b&gt;" in page


def test_another_territorys_service_is_not_found(client, mensa):
    foreign = service(organization(other_territory(mensa.territory), "Caritas Cremonese"),
                      code="CRE-001")  # fmt: skip
    url = f"/it/services/{foreign.code}/report/"
    assert client.get(url).status_code == 404
    assert post(client, GOOD, url=url).status_code == 404
    assert post(client, GOOD, url="/it/services/NOPE-1/report/").status_code == 404
    assert not ErrorReport.objects.exists()


def test_the_service_page_links_to_the_form_in_every_language(client, mensa):
    for code, _name in settings.LANGUAGES:
        page = client.get(f"/{code}/services/CAR-001/").content.decode()
        assert f'href="/{code}/services/CAR-001/report/"' in page, code


def test_the_privacy_page_says_what_a_report_keeps(client, mensa):
    page = client.get("/en/privacy/").content.decode()
    assert "your contact is erased when the report is closed" in page
    assert "after that hour the code is gone, and the address itself is never stored" in page
