import datetime as dt
from typing import Any

from django.db import migrations
from django.utils import timezone


def pending_from_today(apps: Any, schema_editor: Any) -> None:
    """Orders registered before their effective date wait from now on: mark them pending and rebuild
    those students' rows as of today (a fresh database has none, and imports nothing)."""
    event = apps.get_model("records", "StudentStatusEvent")
    today: dt.date = timezone.localdate()
    people = sorted(set(event.objects.filter(effective_date__gt=today).values_list("person_id", flat=True)))
    if not people:
        return
    from records.projections.students import recompute_students

    for start in range(0, len(people), 1000):
        recompute_students(people[start : start + 1000], as_of=today)


class Migration(migrations.Migration):
    dependencies = [("records", "0009_merge_documents_integrity_journeys")]

    operations = [migrations.RunPython(pending_from_today, migrations.RunPython.noop)]
