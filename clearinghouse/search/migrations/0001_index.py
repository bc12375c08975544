from django.db import migrations


def install(apps, schema_editor):
    # Triggers are added after every migrate run (see search.index), because a
    # trigger naming a catalog table breaks SQLite table rebuilds mid-run.
    if schema_editor.connection.vendor == "sqlite":
        from clearinghouse.search.backends import sqlite

        sqlite.create_table(schema_editor.connection)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from clearinghouse.search.backends import sqlite

        sqlite.drop_triggers(schema_editor.connection)
        schema_editor.execute(f"DROP TABLE IF EXISTS {sqlite.TABLE}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {sqlite.PAGE_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
