from django.db import migrations


def load(apps, schema_editor):
    from pertutti.taxonomy.services import categories_sync

    categories_sync(category_model=apps.get_model("taxonomy", "Category"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0003_category_translations")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
