from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pertutti.territories.models import Municipality, Territory


def test_load_territory_is_idempotent(db):
    out = StringIO()
    call_command("load_territory", "lodi", stdout=out)
    assert "Territory lodi created: 61 municipalities." in out.getvalue()
    call_command("load_territory", "lodi", stdout=out)
    assert "Territory lodi refreshed: 61 municipalities." in out.getvalue()
    assert Territory.objects.count() == 1
    assert Municipality.objects.count() == 61
    territory = Territory.objects.get()
    assert territory.offered_languages[:3] == ["it", "ro", "ar"]
    assert territory.contains(territory.map_centre_latitude, territory.map_centre_longitude)


def test_unknown_territory_is_a_clear_error(db):
    with pytest.raises(CommandError, match=r"no territory 'atlantis'.*available: lodi"):
        call_command("load_territory", "atlantis")
    assert Territory.objects.count() == 0


def test_the_territory_glossary_is_loaded_with_its_approved_translations(db):
    from pertutti.translations.models import GlossaryTerm

    call_command("load_territory", "lodi", stdout=StringIO())
    term = GlossaryTerm.objects.get(term="permesso di soggiorno")
    assert set(term.translations) >= {"en", "fr", "ar"}
    assert GlossaryTerm.objects.filter(term="Questura").exists()
