"""Reads of the file plan (nomenclature of files): the series in force on a date and what is filed in them.

The nomenclature in force on a date is the registered, never revoked ``file_plan`` document with the
latest effective date not after it (ties: the later registration); its series are the `FileSeries`
rows its registration materialised. Records are filed by series index: `documents_in_series` returns
every document filed under the series' index, whichever version of the nomenclature filed it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from records.models import Document, FileSeries, Filing, OrgUnit
from records.models.org import Role
from records.permissions import grants, has_role, under_path_q, visible_documents_q

ARCHIVE_ROLES = frozenset({Role.ARCHIVIST, Role.RECTOR, Role.AUDITOR, Role.EXPERT_COMMISSION})


def plan_in_force(on: dt.date | None = None) -> int | None:
    """The id of the nomenclature in force on `on` (today when None); None before the first one."""
    on = on or timezone.localdate()
    return (
        FileSeries.objects.filter(effective_from__lte=on)
        .order_by("-effective_from", "-plan_id")
        .values_list("plan_id", flat=True)
        .first()
    )


def series_in_force(on: dt.date | None = None) -> list[FileSeries]:
    """Every series of the nomenclature in force on `on` (today when None), by index."""
    plan_id = plan_in_force(on)
    if plan_id is None:
        return []
    return list(FileSeries.objects.filter(plan_id=plan_id).select_related("unit").order_by("index"))


def series_by_index(index: str, *, on: dt.date | None = None) -> FileSeries | None:
    """The series `index` of the nomenclature in force on `on` (today when None), or None."""
    plan_id = plan_in_force(on)
    if plan_id is None:
        return None
    return FileSeries.objects.filter(plan_id=plan_id, index=index).select_related("unit").first()


def documents_in_series(series: FileSeries) -> QuerySet[Document]:
    """Every document filed under the series' index (by any version of the nomenclature), oldest first."""
    return Document.objects.filter(filing__series_index=series.index).order_by("registered_at", "id")


def filing_of(document: Document) -> Filing | None:
    """Where `document` is filed (None: not registered yet, or registered before filing existed)."""
    return Filing.objects.filter(document=document).first()


def may_see_archive(user: Any) -> bool:
    """The archive area: the archivist, the expert commission, the rector and the auditor."""
    return bool(getattr(user, "is_superuser", False)) or has_role(user, ARCHIVE_ROLES)


def _archive_paths(user: Any) -> list[str] | None:
    """The unit paths the user's archive roles cover; None: the whole university."""
    if getattr(user, "is_superuser", False):
        return None
    paths = sorted({g.path for g in grants(user) if g.role in ARCHIVE_ROLES})
    if any(path.count("/") <= 2 for path in paths):
        return None
    return paths


def archive_documents_q(user: Any) -> Q:
    """The documents the user's archive roles reach (and may see)."""
    paths = _archive_paths(user)
    if paths is None:
        return visible_documents_q(user) if not getattr(user, "is_superuser", False) else Q()
    if not paths:
        return Q(pk__in=[])
    scope = Q(pk__in=[])
    for path in paths:
        scope |= under_path_q(path)
    return scope & visible_documents_q(user)


def series_counts(user: Any, on: dt.date | None = None) -> list[tuple[FileSeries, int]]:
    """The series in force on `on` with how many documents the user may see are filed under each (two queries)."""
    series = series_in_force(on)
    counts = dict(
        Filing.objects.filter(document__in=Document.objects.filter(archive_documents_q(user)))
        .values_list("series_index")
        .annotate(n=Count("document"))
        .order_by()
    )
    return [(s, counts.get(s.index, 0)) for s in series]


def archivist_unit(user: Any) -> OrgUnit | None:
    """The widest unit of the user's archivist role (where a disposition act they draft belongs)."""
    found = sorted(
        (g for g in grants(user) if g.role == Role.ARCHIVIST), key=lambda g: (g.path.count("/"), g.path)
    )
    return OrgUnit.objects.filter(pk=found[0].org_unit_id).first() if found else None
