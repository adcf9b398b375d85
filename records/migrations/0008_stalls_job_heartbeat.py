from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0007_diploma_book"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
