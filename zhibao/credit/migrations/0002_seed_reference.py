from django.db import migrations


def seed(apps, schema_editor):  # noqa: ANN001, ANN201
    from zhibao.credit.reference import seed as do_seed

    do_seed(apps.get_model("credit", "ListType"), apps.get_model("credit", "ListingRule"))


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
