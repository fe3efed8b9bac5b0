"""Seed the 繁简分流 rules (version 1); the city administrator edits them later (each save a new version)."""

from django.db import migrations

from zhibao.cases.triage_seed import SEED


def seed(apps, schema_editor):  # noqa: ANN001, ANN201
    TriageRule = apps.get_model("cases", "TriageRule")
    for key, priority, name, conditions, complexity, channel, basis in SEED:
        TriageRule.objects.get_or_create(key=key, version=1, defaults=dict(
            priority=priority, name=name, conditions=conditions, complexity=complexity, channel=channel,
            basis=basis, is_current=True, active=True))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
