"""Documents keep the titles their kind makes in kk, ru and en (shown in the reader's language)."""

from typing import Any

from django.db import migrations, models


def _backfill(apps: Any, schema_editor: Any) -> None:
    """Existing documents get their kind's titles when their stored title is the kind's own."""
    # The kinds' title rules are code, not schema: the current ones are the ones to apply.
    from records.kinds.titles import kind_titles, stored_titles

    document_model = apps.get_model("records", "Document")
    rows = document_model.objects.select_related("current_version").only(
        "id", "kind", "title", "current_version__data"
    )
    for document in rows.iterator(chunk_size=500):
        version = document.current_version
        if version is None or not isinstance(version.data, dict):
            continue
        try:
            titles = stored_titles(kind_titles(document.kind, version.data), document.title)
        except Exception:  # noqa: BLE001 - a kind no longer registered keeps its stored title
            continue
        if titles:
            document_model.objects.filter(pk=document.pk).update(titles=titles)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0014_merge_diploma_monitoring"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="titles",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(_backfill, migrations.RunPython.noop),
    ]
