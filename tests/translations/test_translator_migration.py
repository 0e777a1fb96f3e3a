"""TranslatorProfile rows become translator roles of every territory, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(translations: str):
    """Every other app at its latest migration, translations at `translations`."""
    executor = MigrationExecutor(connection)
    targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "translations"]
    targets.append(("translations", translations))
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_profiles_become_translator_roles_of_every_territory():
    apps = migrate("0001_initial")
    try:
        User = apps.get_model("auth", "User")
        Territory = apps.get_model("territories", "Territory")
        RoleAssignment = apps.get_model("accounts", "RoleAssignment")
        TranslatorProfile = apps.get_model("translations", "TranslatorProfile")
        common = {
            "map_centre_latitude": 45,
            "map_centre_longitude": 9,
            "bound_south": 45,
            "bound_west": 9,
            "bound_north": 46,
            "bound_east": 10,
        }
        one = Territory.objects.create(
            slug="one", name="One", offered_languages=["it", "ar", "fr", "en"], **common
        )
        Territory.objects.create(slug="two", name="Two", offered_languages=["it", "ar"], **common)
        amina = User.objects.create(username="amina")
        claire = User.objects.create(username="claire")
        TranslatorProfile.objects.create(user=amina, languages=["ar", "fr", "it"])
        TranslatorProfile.objects.create(user=claire, languages=["fr"])
        # Claire already translates English in One: she keeps it and gains French.
        RoleAssignment.objects.create(
            user=claire, territory=one, role="translator", languages=["en"]
        )

        apps = migrate("0003_delete_translatorprofile")
        RoleAssignment = apps.get_model("accounts", "RoleAssignment")
        rows = {
            (r.user.username, r.territory.slug): r.languages
            for r in RoleAssignment.objects.filter(role="translator").select_related(
                "user", "territory"
            )
        }
        assert rows == {
            ("amina", "one"): ["ar", "fr"],  # Italian is the source, never a target
            ("amina", "two"): ["ar"],  # French is not offered there
            ("claire", "one"): ["en", "fr"],
            ("claire", "two"): [],
        }
        assert "translatorprofile" not in apps.all_models["translations"]

        apps = migrate("0001_initial")
        TranslatorProfile = apps.get_model("translations", "TranslatorProfile")
        back = {p.user.username: p.languages for p in TranslatorProfile.objects.all()}
        assert back == {"amina": ["ar", "fr"], "claire": ["en", "fr"]}
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
