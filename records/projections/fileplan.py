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
