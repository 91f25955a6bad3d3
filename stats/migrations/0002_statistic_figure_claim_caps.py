"""Cap a statistic's figure (40 characters) and claim (400), so share cards stay legible and
quick to draw. The comms pack's longest figure is 18 characters and its longest claim 176.

A row over a cap is never truncated: the first step stops the migration, naming each such
statistic, and changes nothing; shorten them in the admin and run ``migrate`` again.
"""

import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models
from django.db.models.functions import Length

CAPS = {"figure": 40, "claim": 400}


def refuse_rows_over_the_caps(apps, schema_editor):
    Statistic = apps.get_model("stats", "Statistic")
    problems = []
    for field, cap in CAPS.items():
        over = (
            Statistic.objects.using(schema_editor.connection.alias)
            .annotate(chars=Length(field))
            .filter(chars__gt=cap)
            .order_by("pk")
            .values_list("pk", "chars")
        )
        problems += [
            f"statistic {pk}: {field} has {chars} characters (at most {cap})" for pk, chars in over
        ]
    if problems:
        raise RuntimeError(
            "Some statistics are longer than the new limits, and nothing is cut without you: "
            + "; ".join(problems)
            + ". Shorten them in the admin (Statistics › Statistics, edit each one), then run "
            "`manage.py migrate` again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(refuse_rows_over_the_caps, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="statistic",
            name="claim",
            field=models.TextField(
                help_text="The statement, as it should be quoted (at most 400 characters).",
                max_length=400,
            ),
        ),
        migrations.AlterField(
            model_name="statistic",
            name="figure",
            field=models.CharField(
                help_text='The figure as shown in large type, e.g. "61.5%" or "2nd" '
                "(at most 40 characters).",
                max_length=40,
            ),
        ),
        migrations.AddConstraint(
            model_name="statistic",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("claim"), 400
                ),
                name="stats_statistic_claim_max_length",
                violation_error_message="A claim has at most 400 characters.",
            ),
        ),
    ]
