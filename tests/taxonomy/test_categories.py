import json
from io import StringIO

from django.core.management import call_command

from pertutti.taxonomy.models import Category
from pertutti.taxonomy.selectors import category_by_name, hsds_taxonomy


def test_the_eleven_categories_exist_after_migrating(db):
    assert Category.objects.count() == 11
    assert list(Category.objects.values_list("code", flat=True))[:3] == [
        "documents",
        "orientation",
        "housing",
    ]
    assert all(c.icon and c.description for c in Category.objects.all())


def test_categories_match_by_name_in_any_case_and_by_code(db):
    index = category_by_name()
    assert index["salute"].code == "health"
    assert index["protezione da violenza tratta e sfruttamento"].code == "protection"
    assert index["language school"].code == "language-school"


def test_hsds_taxonomy_export(db):
    data = hsds_taxonomy()
    terms = data["taxonomy_terms"]
    assert len(terms) == 11
    assert {"id", "code", "name", "description", "parent_id", "taxonomy_id"} <= set(terms[0])
    assert all(t["taxonomy_id"] == data["taxonomy"]["id"] for t in terms)
    assert len({t["id"] for t in terms}) == 11
    # Ids are derived from codes, so a second deployment exports the same ids.
    assert hsds_taxonomy()["taxonomy_terms"][0]["id"] == terms[0]["id"]


def test_export_taxonomy_command_prints_json(db):
    out = StringIO()
    call_command("export_taxonomy", stdout=out)
    assert json.loads(out.getvalue())["taxonomy_terms"][4]["name"] == "Salute"
