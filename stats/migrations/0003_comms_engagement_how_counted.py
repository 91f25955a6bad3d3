"""The portal now measures "Staff engagement with research security comms" itself: where the
metric still says what the pack's first text said ("Choose one measure..."), say how the
portal counts it. A text an editor changed is left alone."""

from django.db import migrations

OLD = (
    "Choose one measure (e.g. newsletter opens or intranet page views) and keep to it, so "
    "periods compare."
)
NEW = (
    "Recorded by the portal each month: signed-in staff reading research security pages on "
    "the intranet (each person once per page per day), plus the people who clicked a link in a "
    "newsletter sent that month. Nobody's reading is recorded by name. A figure entered here by "
    "hand replaces the portal's for that month."
)


def forwards(apps, schema_editor):
    Metric = apps.get_model("stats", "Metric")
    Metric.objects.filter(slug="comms-engagement", how_counted=OLD).update(how_counted=NEW)


def backwards(apps, schema_editor):
    Metric = apps.get_model("stats", "Metric")
    Metric.objects.filter(slug="comms-engagement", how_counted=NEW).update(how_counted=OLD)


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_statistic_figure_claim_caps")]

    operations = [migrations.RunPython(forwards, backwards)]
