import re

from pertutti.directory.models import Organization, Service


def test_service_page_shows_everything_a_person_needs(client, demo, monday_morning):
    response = client.get("/it/services/LPT-013/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 lang="it">Aiuto per kit permesso di soggiorno' in page
    for heading in ("Che cos’è", "Per chi è", "Cosa portare", "Costo", "Come accedere", "Dove",
                    "Quando", "Lingue parlate", "Condividi"):  # fmt: skip
        assert f"<h2>{heading}</h2>" in page, heading
    assert "<li>passaporto</li>" in page and "<li>codice fiscale</li>" in page
    assert 'Chiuso ora, apre alle <time datetime="14:00" dir="ltr" class="time">14:00<' in page
    assert re.search(r'<tr class="today"><th scope="row">lunedì', page, re.IGNORECASE)
    assert (
        '<bdi dir="ltr" class="time-range"><time datetime="14:00" dir="ltr" class="time-start">'
        '14:00</time>–<time datetime="17:00" dir="ltr" class="time-end">17:00</time></bdi>'
    ) in page
    assert "arabo" in page and "inglese" in page  # languages in the reader's language
    assert "La mappa mostra il centro di Lodi" in page  # approximate placement said plainly
    assert 'href="geo:45.3142,9.5036?q=45.3142,9.5036(' in page
    assert 'src="/it/services/LPT-013/qr.svg"' in page
    assert "Informazioni verificate il" in page and "6 maggio 2025" in page.lower()


def test_english_page_marks_italian_content(client, demo):
    page = client.get("/en/services/LPT-013/").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "<h2>What to bring</h2>" in page
    assert '<ul lang="it"><li>passaporto</li>' in page
    assert "Arabic" in page


def test_phone_numbers_are_tap_to_call(client, demo):
    page = client.get("/it/services/LPT-066/").content.decode()
    assert '<a href="tel:+390294965244">' in page and "02 9496 5244" in page
    assert '<a href="tel:1522">' in client.get("/it/services/LPT-062/").content.decode()


def test_always_open_and_by_appointment(client, demo):
    assert "Sempre aperto" in client.get("/it/services/LPT-069/").content.decode()
    page = client.get("/it/services/LPT-003/").content.decode()
    assert "Solo su appuntamento" in page


def test_unparsed_hours_are_shown_as_written(client, demo):
    page = client.get("/it/services/LPT-009/").content.decode()
    assert "Come scritto dal servizio" in page
    assert "mattina, dal lunedì al venerdì" in page


def test_closed_months_are_named(client, demo):
    page = client.get("/it/services/LPT-015/").content.decode()
    assert "Chiuso a: agosto" in page.replace("Agosto", "agosto")


def test_qr_code_is_an_svg_of_the_page_url(client, demo):
    response = client.get("/it/services/LPT-013/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert (
        response.content.startswith(b"<svg")
        and b'xmlns="http://www.w3.org/2000/svg"' in response.content
    )
    assert client.get("/it/services/NOPE-1/qr.svg").status_code == 404


def test_unknown_service_is_a_helpful_404_in_the_page_language(client, demo):
    response = client.get("/en/services/LPT-999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no service with code “LPT-999”." in page
    assert 'href="/en/services/"' in page
    assert (
        "Non esiste un servizio con codice «LPT-999»."
        in client.get("/it/services/LPT-999/").content.decode()
    )


def test_lowercase_code_finds_the_service(client, demo):
    assert client.get("/it/services/lpt-013/").status_code == 200


def test_inactive_services_are_not_shown(client, demo):
    Service.objects.filter(code="LPT-013").update(status="inactive")
    response = client.get("/it/services/LPT-013/")
    assert response.status_code == 410  # gone: the page says it is closed, nothing more
    assert "Questo servizio è chiuso." in response.content.decode()


def test_script_in_data_is_escaped_everywhere(client, lodi, write_csv):
    from pertutti.importing.services import services_import_file
    from tests.conftest import service_row

    evil = '<script>alert("x")</script>'
    path = write_csv([service_row(servizio=evil, ente=evil, documenti_necessari=evil)])
    services_import_file(territory=lodi, path=path)
    for url in ("/it/services/TST-001/", "/it/services/", "/it/services/map/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page, url
    page = client.get("/it/services/TST-001/").content.decode()
    assert "\\u003Cscript\\u003Ealert" in page  # json_script escapes inside the data island


def test_organization_page_lists_its_services(client, demo):
    organization = Organization.objects.get(name="CPIA di Lodi")
    response = client.get(f"/it/organizations/{organization.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert set(re.findall(r'id="svc-([A-Z0-9-]+)"', page)) >= {"LPT-055", "LPT-070"}
    assert client.get("/it/organizations/999999/").status_code == 404


def test_information_pages(client, demo):
    for url, title in [
        ("/it/privacy/", "Informativa sulla privacy"),
        ("/it/accessibility/", "Dichiarazione di accessibilità"),
        ("/it/legal/", "Note legali"),
        ("/en/privacy/", "Privacy notice"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert f"<h1>{title}</h1>" in response.content.decode()


def test_dates_and_weekdays_use_the_language_s_own_forms(client, demo, monday_morning):
    page = client.get("/it/services/LPT-013/").content.decode()
    assert "6 maggio 2025" in page  # not "6 Maggio 2025"
    page = client.get("/it/services/LPT-016/").content.decode()  # martedì e giovedì 9.30-12.30
    assert 'apre martedì alle <time datetime="09:30" dir="ltr" class="time">09:30<' in page
    english = client.get("/en/services/LPT-013/").content.decode()
    assert "May 6, 2025" in english


def test_a_closed_service_says_so_and_points_to_similar_ones(client, lodi, write_csv):
    from pertutti.directory.models import Service
    from pertutti.directory.snapshots import service_snapshot
    from pertutti.editorial.services import service_publish
    from pertutti.importing.services import services_import_file
    from tests.conftest import service_row

    services_import_file(
        territory=lodi,
        path=write_csv(
            [
                service_row(codice="TST-001"),
                service_row(codice="TST-002", servizio="Altro sportello"),
            ]
        ),
    )
    closing = Service.objects.get(code="TST-001")
    data = service_snapshot(closing)
    data["service"]["status"] = "inactive"
    service_publish(
        service=closing, data=data, base_version=closing.version, source="editor", author=None
    )
    response = client.get("/it/services/TST-001/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "Questo servizio è chiuso." in html
    assert 'href="/it/services/TST-002/"' in html  # the same kind, the same municipality
    assert 'href="/it/categories/' in html
    assert client.get("/it/services/NOPE-1/").status_code == 404
