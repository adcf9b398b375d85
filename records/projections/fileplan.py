"""The file plan's projection: a registered nomenclature materialises its series as `FileSeries` rows.

Registering a nomenclature (kind ``file_plan``) writes one row per series, in force from its
effective date; revoking it deletes them. The replay (records.projections.replay) deletes the table
and rebuilds it from the registered nomenclatures, giving identical rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from records.models import Document, FileSeries, OrgUnit, Version

FILE_PLAN_KIND = "file_plan"


def series_rows(document: Document, data: dict[str, Any]) -> list[FileSeries]:
    """The FileSeries rows of a nomenclature's data (units resolved by code)."""
    codes = {entry.get("unit") for entry in data.get("series", []) if entry.get("unit")}
    units = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "pk")) if codes else {}
    effective = dt.date.fromisoformat(str(data["effective_date"]))
    return [
        FileSeries(
            plan_id=document.pk,
            index=entry["index"],
            unit_id=units.get(entry.get("unit") or ""),
            title_kk=entry["title_kk"],
            title_ru=entry["title_ru"],
            title_en=entry["title_en"],
            retention_years=entry.get("retention_years"),
            basis=entry.get("basis", ""),
            final_action=entry["final_action"],
            kinds=sorted(entry.get("kinds", [])),
            effective_from=effective,
        )
        for entry in data.get("series", [])
    ]


def project_file_plan(document: Document, version: Version) -> None:
    FileSeries.objects.filter(plan_id=document.pk).delete()
    FileSeries.objects.bulk_create(series_rows(document, version.data))


def unproject_file_plan(document: Document, version: Version) -> None:
    FileSeries.objects.filter(plan_id=document.pk).delete()


# The filing's copies of its document's fixed facts (records/models/fileplan.py Filing) and the
# statement that re-derives them from the documents (the replay's rebuild; one UPDATE, SQLite and
# PostgreSQL alike).
FILING_COPIES = ("disposed", "registry_number", "kind", "title", "year", "org_path", "subject_id")
REFRESH_FILING_COPIES_SQL = """
UPDATE records_filing SET (disposed, registry_number, kind, title, year, org_path, subject_id) = (
    SELECT d.state = 'disposed', d.registry_number, d.kind, d.title, d.registry_year, d.org_path, d.subject_id
    FROM records_document d WHERE d.id = records_filing.document_id
)
"""


def refresh_filing_copies() -> None:
    """Set every filing's copies from its document (what a replay rebuilds; cheap: one statement)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(REFRESH_FILING_COPIES_SQL)
