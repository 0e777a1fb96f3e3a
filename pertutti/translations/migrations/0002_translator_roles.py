"""A translator's languages move from TranslatorProfile to the translator role of each territory.

TranslatorProfile had no territory, so each profile becomes a translator RoleAssignment in
every territory, with the profile's languages that the territory translates into (an
assignment that already exists keeps its languages and gains the profile's). The reverse
rebuilds one profile per translator from the union of their languages.
"""

from django.db import migrations


def profiles_to_roles(apps, schema_editor):
    TranslatorProfile = apps.get_model("translations", "TranslatorProfile")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    Territory = apps.get_model("territories", "Territory")
    territories = list(Territory.objects.all())
    for profile in TranslatorProfile.objects.all():
        codes = [code for code in profile.languages or [] if isinstance(code, str)]
        for territory in territories:
            targets = [
                code
                for code in codes
                if code in territory.offered_languages and code != territory.source_language
            ]
            assignment, created = RoleAssignment.objects.get_or_create(
                user_id=profile.user_id,
                territory=territory,
                role="translator",
                defaults={"languages": targets},
            )
            if not created:
                merged = list(assignment.languages or [])
                merged += [code for code in targets if code not in merged]
                if merged != assignment.languages:
                    assignment.languages = merged
                    assignment.save(update_fields=["languages"])


def roles_to_profiles(apps, schema_editor):
    TranslatorProfile = apps.get_model("translations", "TranslatorProfile")
    RoleAssignment = apps.get_model("accounts", "RoleAssignment")
    languages: dict[int, list[str]] = {}
    for assignment in RoleAssignment.objects.filter(role="translator").order_by("pk"):
        codes = languages.setdefault(assignment.user_id, [])
        codes += [code for code in assignment.languages or [] if code not in codes]
    for user_id, codes in languages.items():
        TranslatorProfile.objects.update_or_create(user_id=user_id, defaults={"languages": codes})


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0001_initial"),
        ("accounts", "0001_initial"),
        ("territories", "0002_emergency_numbers"),
    ]

    operations = [migrations.RunPython(profiles_to_roles, roles_to_profiles)]
