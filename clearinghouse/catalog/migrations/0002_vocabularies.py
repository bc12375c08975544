from django.db import migrations


def load(apps, schema_editor):
    from clearinghouse.catalog.vocabularies import load_vocabularies

    load_vocabularies(apps)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
