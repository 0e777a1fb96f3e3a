# Its rows became daily counts in UsageCount (0003); a migration of its own, so that on
# PostgreSQL the table is dropped in another transaction than the one that read it.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0003_usage_counts")]

    operations = [migrations.DeleteModel(name="ZeroResultQuery")]
