"""The table of the database cache (settings.CACHES), which keeps sign-in
lockouts: made by `migrate`, so that no install needs `createcachetable`."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("web", "0001_daily_counts")]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
