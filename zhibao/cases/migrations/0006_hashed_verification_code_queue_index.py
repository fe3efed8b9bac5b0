"""Verification codes stored only as HMAC digests (existing plain codes are hashed, then dropped);
the district queue index gains ``channel`` so the queue count reads the index alone; the assignee index
gains ``is_open`` (an officer's open cases elsewhere, and workload counts, without reading closed ones)."""

from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac


def hash_existing_codes(apps, schema_editor):  # noqa: ANN001, ANN201
    """Same digest as ``zhibao.cases.codes.digest`` (kept inline so later changes there cannot alter history)."""
    Case = apps.get_model("cases", "Case")  # noqa: N806
    for pk, number, code in Case.objects.exclude(verification_code="").values_list("pk", "number", "verification_code"
                                                                                   ).iterator():
        message = f"{(number or '').strip().upper()}:{code.strip().upper()}"
        digest = salted_hmac("zhibao.cases.verification_code", message, secret=settings.SECRET_KEY,
                             algorithm="sha256").hexdigest()
        Case.objects.filter(pk=pk).update(verification_hash=digest)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_open_flag'),
        ('evidence', '0002_deposit_category'),
        ('orgs', '0001_initial'),
        ('rights', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_open_queue',
        ),
        migrations.AddField(
            model_name='case',
            name='verification_hash',
            field=models.CharField(blank=True, help_text='HMAC-SHA256 of number:code (cases.codes); the code itself is not kept', max_length=64, verbose_name='查询码摘要'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['district', 'is_open', 'due_at', 'channel'], name='case_open_queue_ch'),
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_assignee',
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['assignee', 'is_open', 'status'], name='case_assignee_open'),
        ),
        migrations.RunPython(hash_existing_codes, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='case',
            name='verification_code',
        ),
    ]
