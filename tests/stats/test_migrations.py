"""Migrations of the statistics library that change what a row may hold lose nothing silently."""

from datetime import date

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

BEFORE_CAPS = [("stats", "0001_initial")]
CAPS = [("stats", "0002_statistic_figure_claim_caps")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def to_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_caps_migration_refuses_rows_over_the_caps_and_names_them():
    try:
        apps = migrate(BEFORE_CAPS)
        source = apps.get_model("stats", "Source").objects.create(publisher="P", title="T")
        Statistic = apps.get_model("stats", "Statistic")
        dates = {"as_of": date(2024, 1, 1), "review_by": date(2025, 1, 1)}
        long_claim = Statistic.objects.create(figure="1%", claim="x" * 401, source=source, **dates)
        long_figure = Statistic.objects.create(figure="9" * 41, claim="ok", source=source, **dates)
        with pytest.raises(Exception) as refusal:
            migrate(CAPS)
        message = str(refusal.value)
        assert f"statistic {long_claim.pk}: claim has 401 characters (at most 400)" in message
        assert f"statistic {long_figure.pk}: figure has 41 characters (at most 40)" in message
        assert "Shorten them" in message
        # Nothing was changed: the rows are whole, and once shortened the migration runs.
        assert Statistic.objects.get(pk=long_claim.pk).claim == "x" * 401
        Statistic.objects.filter(pk=long_claim.pk).update(claim="x" * 400)
        Statistic.objects.filter(pk=long_figure.pk).update(figure="9" * 40)
        apps = migrate(CAPS)
        Statistic = apps.get_model("stats", "Statistic")
        assert Statistic.objects.get(pk=long_claim.pk).claim == "x" * 400
    finally:
        to_latest()
