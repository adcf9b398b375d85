"""The teaching load's hours done (records.projections.teaching_done): the columns on each
assignment (empty: the reads compute such rows until the daily task or `registry replay` stores
them) and the registered rating statements' and attestation protocols' keys, filled here."""

import django.db.models.deletion
from django.db import migrations, models

KINDS = ("rating_statement", "final_attestation_protocol")


def _fill_evidence(apps, schema_editor):  # type: ignore[no-untyped-def]
    Document = apps.get_model("records", "Document")
    AuditEvent = apps.get_model("records", "AuditEvent")
    TeachingEvidence = apps.get_model("records", "TeachingEvidence")
    revoked = set(AuditEvent.objects.filter(action="document.revoke").values_list("document_id", flat=True))
    documents = (
        Document.objects.filter(kind__in=KINDS, registered_at__isnull=False)
        .exclude(state="revoked")
        .values_list("pk", "kind", "current_version__data")
    )
    rows = []
    for pk, kind, data in documents.iterator(chunk_size=2000):
        if pk in revoked:
            continue
        data = data if isinstance(data, dict) else {}
        rows.append(
            TeachingEvidence(
                document_id=pk,
                kind=kind,
                academic_year=int(data.get("academic_year") or 0),
                period=int(data.get("period") or 0),
                discipline_code=str(data.get("discipline_code") or "")[:40],
                group_code=str(data.get("group_code") or "")[:40],
            )
        )
    TeachingEvidence.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0019_archive_filing_copies"),
    ]

    operations = [
        migrations.AddField(
            model_name="teachingassignment",
            name="counted_until",
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name="teachingassignment",
            name="done",
            field=models.DecimalField(decimal_places=2, max_digits=9, null=True, verbose_name="hours done"),
        ),
        migrations.AddField(
            model_name="teachingassignment",
            name="next_class",
            field=models.DateField(null=True),
        ),
        migrations.CreateModel(
            name="TeachingEvidence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=40)),
                ("academic_year", models.PositiveSmallIntegerField()),
                ("period", models.PositiveSmallIntegerField()),
                ("discipline_code", models.CharField(max_length=40)),
                ("group_code", models.CharField(max_length=40)),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="records.document"
                    ),
                ),
            ],
            options={
                "verbose_name": "teaching evidence",
                "verbose_name_plural": "teaching evidence",
                "indexes": [
                    models.Index(fields=["academic_year", "group_code"], name="teaching_evidence_year_group")
                ],
            },
        ),
        migrations.RunPython(_fill_evidence, migrations.RunPython.noop),
    ]
