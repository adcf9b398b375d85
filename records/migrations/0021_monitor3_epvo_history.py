"""The history of ЕПВО numbers (records.models.diploma.EpvoNumberEntry): every number entered is
kept; the numbers entered so far become the first entries, dated when they were last changed."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _first_entries(apps, schema_editor):  # type: ignore[no-untyped-def]
    EpvoNumber = apps.get_model("records", "EpvoNumber")
    EpvoNumberEntry = apps.get_model("records", "EpvoNumberEntry")
    EpvoNumberEntry.objects.bulk_create(
        [
            EpvoNumberEntry(
                graduation_order_id=n.graduation_order_id,
                graduate_id=n.graduate_id,
                number=n.number,
                entered_by_id=n.entered_by_id,
                entered_at=n.entered_at,
            )
            for n in EpvoNumber.objects.all()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0020_monitor3_teaching_done'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EpvoNumberEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.CharField(max_length=40, verbose_name='EPVO number')),
                ('entered_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('entered_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('graduate', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='records.person')),
                ('graduation_order', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='epvo_entries', to='records.document')),
            ],
            options={
                'verbose_name': 'EPVO number entry',
                'verbose_name_plural': 'EPVO number entries',
                'ordering': ['graduation_order_id', 'entered_at', 'id'],
            },
        ),
        migrations.RunPython(_first_entries, migrations.RunPython.noop),
    ]
