import django.db.models.deletion
from django.db import migrations, models


def seed(apps, schema_editor):
    from clearinghouse.search.synonyms import seed as seed_groups

    seed_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "preferred",
                    models.CharField(
                        help_text="Shown to readers who searched with a legacy term,"
                        " e.g. “child sexual abuse material (CSAM)”.",
                        max_length=200,
                        unique=True,
                        verbose_name="preferred term",
                    ),
                ),
                (
                    "source",
                    models.CharField(
                        blank=True,
                        help_text="Who prefers it, read after “the term preferred"
                        " by”, e.g. “the Luxembourg Terminology Guidelines”.",
                        max_length=200,
                    ),
                ),
                (
                    "active",
                    models.BooleanField(
                        default=True,
                        help_text="Untick to stop using the group without losing it.",
                    ),
                ),
                (
                    "note",
                    models.TextField(blank=True, help_text="For curators; never shown."),
                ),
            ],
            options={"verbose_name": "synonym group", "ordering": ["preferred"]},
        ),
        migrations.CreateModel(
            name="SynonymTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "text",
                    models.CharField(
                        help_text="A word, acronym or phrase, e.g. “CSEM”.",
                        max_length=200,
                    ),
                ),
                (
                    "legacy",
                    models.BooleanField(
                        default=False,
                        help_text="Outdated or harmful (“child pornography”): still"
                        " matched, never suggested; readers who use it are told the"
                        " preferred term.",
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="terms",
                        to="search.synonymgroup",
                    ),
                ),
            ],
            options={
                "ordering": ["group", "legacy", "text"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("group", "text"), name="synonym_once"
                    )
                ],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
