"""Drafting a report (records.kinds.reports): its figures computed as of a date, frozen in version 1."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.kinds.base import get_kind
from records.models import Document, OrgUnit
from records.selectors.reports import REPORT_KINDS, compute
from records.services.document import document_create


def report_unit(code: str) -> OrgUnit | None:
    """The unit with this code (None for "" : the whole university), or a RecordsError naming it."""
    if not code:
        return None
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise RecordsError("unknown_unit", _("There is no unit %(unit)s."), unit=code)
    return unit


def report_create(
    *,
    by: Any,
    report: str,
    as_of: dt.date,
    unit: OrgUnit | None = None,
    language: str = "ru",
    date_from: dt.date | None = None,
    term: tuple[int, int] | None = None,
    year: int | None = None,
    registered_by: dt.date | None = None,
) -> Document:
    """Compute a report's figures as of `as_of` for `unit` (the whole university when None) and draft
    it, owned by that unit (or the university); it then follows the kind's route to the rector."""
    if report not in REPORT_KINDS:
        raise RecordsError("unknown_report", _("Unknown report %(report)s."), report=report)
    code = REPORT_KINDS[report]
    data = compute(
        report, as_of=as_of, unit=unit, language=language, date_from=date_from, term=term, year=year,
        registered_by=registered_by,
    )  # fmt: skip
    owner = unit or OrgUnit.objects.filter(kind=OrgUnit.Kind.UNIVERSITY).order_by("path").first()
    if owner is None:
        raise RecordsError("no_university", _("The org structure has no university unit."))
    title = get_kind(code).make_title(data, language)
    return document_create(by=by, kind=code, org_unit=owner, title=title, data=data)
