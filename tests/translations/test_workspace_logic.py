"""Translation memory, glossary highlighting, the source diff, progress and queue order."""

from pertutti.importing.services import services_import_file
from pertutti.search.usage import usage_flush, usage_service_read
from pertutti.translations.diff import word_diff
from pertutti.translations.exchange import sources_to_translate
from pertutti.translations.glossary import highlight
from pertutti.translations.memory import suggestions
from pertutti.translations.models import GlossaryTerm, SourceText
from pertutti.translations.selectors import language_progress
from pertutti.translations.services import translation_save
from tests.conftest import service_row
from tests.translations.conftest import source_of


def test_memory_finds_exact_and_fuzzy_matches_with_their_similarity(lodi, write_csv):
    rows = [
        service_row(codice="A-1", descrizione="Corsi gratuiti di lingua italiana per adulti."),
        service_row(codice="A-2", descrizione="Corsi gratuiti di lingua italiana per ragazzi."),
        service_row(codice="A-3", descrizione="Mensa per persone senza dimora."),
    ]
    services_import_file(territory=lodi, path=write_csv(rows))
    from pertutti.directory.models import Service

    first = source_of(Service.objects.get(code="A-1"), "description")
    translation_save(source=first, language="en", text="Free Italian courses for adults.",
                     status="translated")  # fmt: skip
    found = suggestions(
        territory=lodi, language="en", text="Corsi gratuiti di lingua italiana per ragazzi."
    )
    assert found[0].target == "Free Italian courses for adults."
    assert 0.6 <= found[0].similarity < 1.0
    exact = suggestions(
        territory=lodi, language="en", text="Corsi gratuiti di lingua italiana per adulti."
    )
    assert exact[0].similarity == 1.0
    assert suggestions(territory=lodi, language="en", text="Mensa per persone senza dimora.") == []
    assert suggestions(territory=lodi, language="ar", text=first.text) == []  # other language


def test_memory_ignores_drafts_and_outdated(lodi, one_service, write_csv):
    source = source_of(one_service, "description")
    translation_save(source=source, language="en", text="Help.", status="draft")
    assert suggestions(territory=lodi, language="en", text=source.text) == []
    translation_save(source=source, language="en", text="Help.", status="translated")
    services_import_file(territory=lodi, path=write_csv([service_row(descrizione="Altro.")]))
    assert suggestions(territory=lodi, language="en", text=source.text) == []


def test_glossary_terms_are_highlighted_longest_first_and_escaped(lodi):
    office = "Sportello Unico per l'Immigrazione"
    terms = [
        GlossaryTerm(territory=lodi, term="Sportello", translations={}),
        GlossaryTerm(territory=lodi, term=office, translations={"ar": "الشباك الموحد للهجرة"}),
        GlossaryTerm(
            territory=lodi, term="permesso di soggiorno", translations={"ar": "تصريح <الإقامة>"}
        ),
    ]
    html, hits = highlight(
        "<b>Lo Sportello Unico per l'Immigrazione</b> rilascia il Permesso di soggiorno.",
        terms,
        "ar",
    )
    assert html.startswith(
        '&lt;b&gt;Lo <mark title="الشباك الموحد للهجرة">'
        "Sportello Unico per l&#x27;Immigrazione</mark>&lt;/b&gt;"
    )
    assert '<mark title="تصريح &lt;الإقامة&gt;">Permesso di soggiorno</mark>' in html
    assert [h.term for h in hits] == ["Sportello Unico per l'Immigrazione", "permesso di soggiorno"]
    assert highlight("Sportelloni", terms, "ar")[1] == []  # whole words only


def test_diff_marks_removed_and_added_words_escaped():
    html = word_diff("Aperto il lunedì <sempre>.", "Aperto il martedì <sempre>.")
    assert "<del>lunedì</del><ins>martedì</ins>" in html
    assert "&lt;sempre&gt;" in html


def test_progress_counts(lodi, one_service, write_csv):
    translation_save(
        source=source_of(one_service, "name"), language="ar", text="x", status="translated"
    )
    translation_save(source=source_of(one_service, "cost"), language="ar", text="y", status="draft")
    translation_save(source=source_of(one_service, "description"), language="ar", text="z",
                     status="translated")  # fmt: skip
    services_import_file(territory=lodi, path=write_csv([service_row(descrizione="Cambiato.")]))
    total = SourceText.objects.filter(territory=lodi).exclude(text="").count()
    progress = language_progress(lodi, "ar")
    assert (progress.total, progress.up_to_date, progress.outdated, progress.drafts) == (
        total,
        1,
        1,
        1,
    )
    assert progress.missing == total - 3
    assert progress.awaiting_review == 1
    assert progress.percent == round(100 / total)


def test_queue_puts_the_most_read_first(lodi, write_csv, client):
    services_import_file(
        territory=lodi, path=write_csv([service_row(codice="A-1"), service_row(codice="B-2")])
    )
    from pertutti.directory.models import Service

    popular = Service.objects.get(code="B-2")
    for _ in range(3):  # page views, counted in memory and written in one batch
        usage_service_read(territory_id=lodi.pk, service_id=popular.pk)
    usage_flush()
    queue = list(sources_to_translate(lodi, "ar"))
    assert queue[0].object_id == popular.pk and queue[0].reads == 3
