"""The demo's registered reports (issue 17): the last year's contingent, movement, session results and
graduates, and the teaching load done by department of the current academic year (after the load and
the journals are seeded: each department's autumn execution report registered from its journals),
each prepared by the registrar, approved by the vice-rector and signed by the rector."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.models import Document, OrgUnit
from records.projections.bulk import document_register_directly
from records.projections.teaching import DISTRIBUTION_KIND, latest_in_force
from records.selectors.reports import academic_year_of, last_first_october, latest_term
from records.selectors.teaching import load_done
from records.services.document import document_transition
from records.services.reports import report_create
from records.services.scholarship import ScholarshipRequest, scholarship_list
from records.services.signature import document_sign


def seed_reports(today: dt.date | None = None) -> list[str]:
    """Register the four reports of the last year (none when reports exist already); returns their numbers.

    The demo's history is registered today, with effective dates in the past: each report is of its
    date as the registry stands today (``registered_by``), which the report states."""
    if Document.objects.filter(kind__startswith="report_").exists():
        return []
    today = today or timezone.localdate()
    october = last_first_october(today)
    year_end = dt.date(october.year, 8, 31)
    requests = [
        {"report": "contingent", "as_of": october, "registered_by": today},
        {
            "report": "movement",
            "as_of": year_end,
            "date_from": dt.date(october.year - 1, 9, 1),
            "registered_by": today,
        },
        {"report": "session_results", "as_of": today, "term": latest_term(today)},
        {"report": "graduates", "as_of": year_end, "registered_by": today},
    ]
    return [_register(request) for request in requests]


def _register(request: dict[str, Any]) -> str:
    """Prepare a report (registrar), approve it (vice-rector) and sign it (rector); its number."""
    users = get_user_model().objects
    registrar, vice_rector, rector = (users.get(username=u) for u in ("registrar", "vicerector", "rector"))
    bootstrap_pki(usernames={rector.username})
    document = report_create(by=registrar, **request)
    for name, who in (("submit", registrar), ("approve", vice_rector), ("start_signing", registrar)):
        document = document_transition(document=document, by=who, name=name)
    document_sign(document=document, by=rector, passphrase=demo_passphrase(rector.username))
    document.refresh_from_db()
    return document.registry_number


def seed_load_report(today: dt.date | None = None) -> list[str]:
    """Register each department's autumn execution report of the current academic year (what its
    journals and statements show so far; in bulk), the scholarship orders (seed_scholarship_orders)
    and the teaching-load report as of today (signed by the rector); their numbers. Nothing when that
    report exists already; no report when no load is registered."""
    if Document.objects.filter(kind="report_teaching_load").exists():
        return []
    today = today or timezone.localdate()
    year = academic_year_of(today)
    registrar = get_user_model().objects.get(username="registrar")
    reported = {
        str(data.get("department_code"))
        for data in Document.objects.filter(
            kind="load_execution_report", current_version__data__academic_year=year,
            current_version__data__semester=1,
        ).values_list("current_version__data", flat=True)
    }  # fmt: skip
    departments = 0
    for department in OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("code"):
        if department.code in reported or latest_in_force(DISTRIBUTION_KIND, department.code, year) is None:
            continue
        summary = load_done(department, year, 1, today=today)
        rows = [
            {"teacher_iin": t.iin, "teacher_name": t.name, "kind": kind,
             "planned": str(t.planned.get(kind, Decimal(0))), "done": str(t.done.get(kind, Decimal(0)))}
            for t in summary.teachers
            for kind in t.planned
        ]  # fmt: skip
        data = {
            "academic_year": year, "semester": 1, "department_code": department.code,
            "department_name": department.name_ru, "distribution_number": summary.distribution_number,
            "rows": rows, "planned_total": str(summary.assigned), "done_total": str(summary.done_total),
        }  # fmt: skip
        document_register_directly(
            by=registrar, kind="load_execution_report", org_unit=department, title="", data=data
        )
        departments += 1
    scholarships = seed_scholarship_orders(today)
    if not departments and not reported:
        return scholarships
    return [*scholarships, _register({"report": "teaching_load", "as_of": today, "year": year})]


def seed_scholarship_orders(today: dt.date | None = None) -> list[str]:
    """Register (in bulk) the scholarship orders of the last three paid terms whose deciding sessions
    are complete — the monitoring's scholarship chart reads them. Per term the widest scope whose
    session is complete: the whole university, else each faculty, else each of its departments (the
    demo grades every group of ``records.demo.academic.GRADED_DEPARTMENT``, so that department's
    orders always exist once its history is registered); a scope whose session is incomplete is
    skipped. Nothing when scholarship orders exist already."""
    if Document.objects.filter(kind="scholarship_order").exists():
        return []
    year = academic_year_of(today or timezone.localdate())
    registrar = get_user_model().objects.get(username="registrar")
    university = OrgUnit.objects.get(parent__isnull=True)
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in OrgUnit.objects.filter(kind__in=(OrgUnit.Kind.FACULTY, OrgUnit.Kind.DEPARTMENT)).order_by(
        "path"
    ):
        children.setdefault(unit.parent_id, []).append(unit)
    numbers = []
    for academic_year, semester in ((year - 1, 1), (year - 1, 2), (year, 1)):
        for unit, data in _complete_scopes(academic_year, semester, university, children):
            if data["awarded"]:
                document = document_register_directly(
                    by=registrar, kind="scholarship_order", org_unit=unit, title="", data=data
                )
                numbers.append(document.registry_number)
    return numbers


def _complete_scopes(
    academic_year: int, semester: int, unit: OrgUnit, children: dict[int | None, list[OrgUnit]]
) -> list[tuple[OrgUnit, dict[str, Any]]]:
    """The widest units within `unit` whose session deciding the term is complete, with their order data."""
    faculty = None if unit.parent_id is None else unit
    try:
        request = ScholarshipRequest(academic_year, semester, faculty=faculty)
        return [(unit, scholarship_list(request=request).order_data())]
    except RecordsError as exc:
        if exc.code != "session_incomplete":
            return []
    return [
        found
        for child in children.get(unit.pk, [])
        for found in _complete_scopes(academic_year, semester, child, children)
    ]
