from django.db import migrations


def install(apps, schema_editor):
    # Filled, with the triggers that keep it, by the rebuild after migrate
    # (search.index.after_migrate).
    if schema_editor.connection.vendor == "sqlite":
        from clearinghouse.search.backends import sqlite

        sqlite.create_word_tables(schema_editor.connection)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from clearinghouse.search.backends import sqlite

        sqlite.drop_triggers(schema_editor.connection)
        sqlite.drop_word_tables(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_synonyms")]
    operations = [migrations.RunPython(install, uninstall)]
