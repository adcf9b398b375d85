from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0007_diploma_book")]

    operations = [
        migrations.AddField(
            model_name="studentstatusevent",
            name="in_force",
            field=models.BooleanField(default=True, verbose_name="in force"),
        ),
    ]
