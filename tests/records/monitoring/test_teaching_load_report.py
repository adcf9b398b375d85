"""The teaching-load report kind: figures frozen from the load documents registered by its date,
equal to a fresh computation for that date, untouched by a later execution report; XLSX, the
command, bad input."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from records.errors import RecordsError
from records.models import Role
from records.selectors.reports import compute
from records.services.reports import report_create
from records.services.teaching import execution_report_create
from tests.conftest import walk_route
from tests.records.monitoring.test_reports import register_report
from tests.records.teaching.conftest import YEAR, setup_load
from tests.records.teaching.test_execution import _held
from tests.records.teaching.test_load import _full_distribution

pytestmark = pytest.mark.django_db


def test_a_registered_teaching_load_report_equals_a_fresh_computation_and_ignores_later_documents(
    staff: dict[str, Any], org: Any, client: Client
) -> None:
    calculation = setup_load(staff, org, students=20)
    distribution, first, _second = _full_distribution(staff, org, calculation)
    _held(org, first, "D30", "lecture", 5)
    autumn = walk_route(
        staff,
        execution_report_create(by=staff[Role.HEAD_OF_DEPARTMENT], department=org.department,
                                academic_year=YEAR, semester=1),
        approver=Role.DEAN,
    )  # fmt: skip
    today = timezone.localdate()
    draft = report_create(by=staff[Role.REGISTRAR], report="teaching_load", as_of=today, year=YEAR)
    report = register_report(staff, draft)
    frozen = report.current_version.data
    assert report.kind == "report_teaching_load" and report.registry_number.startswith("ОТЧ-")
    assert report.current_version.pdf_blob_id
    assert frozen == compute("teaching_load", as_of=today, year=YEAR)
    assert frozen["policy_version"] and len(frozen["projection_digest"]) == 64
    assert frozen["documents"] == {
        "calculation": [calculation.pk], "distribution": [distribution.pk], "execution": [autumn.pk],
    }  # fmt: skip
    [department, total] = frozen["tables"][0]["rows"]
    assert department[0] == org.department.name_ru and department[1] == calculation.registry_number
    assert Decimal(department[2]) == Decimal(calculation.current_version.data["total"])
    assert Decimal(department[4]) == Decimal(distribution.current_version.data["assigned_total"])
    assert Decimal(department[5]) == Decimal(autumn.current_version.data["done_total"]) > 0
    assert department[6] is None  # no spring execution report: not reported
    assert frozen["figures"]["done"] == department[7] == total[7]
    teachers = {row[2]: row for row in frozen["tables"][1]["rows"]}
    assert Decimal(teachers[first.iin][5]) >= Decimal(10)  # the 10 lecture hours held, at least
    # A spring execution report registered the next day changes a fresh count for a later date only.
    with time_machine.travel(timezone.now() + dt.timedelta(days=1), tick=True):
        walk_route(
            staff,
            execution_report_create(by=staff[Role.HEAD_OF_DEPARTMENT], department=org.department,
                                    academic_year=YEAR, semester=2),
            approver=Role.DEAN,
        )  # fmt: skip
    report.refresh_from_db()
    assert report.current_version.data == frozen
    assert compute("teaching_load", as_of=today, year=YEAR) == frozen
    later = compute("teaching_load", as_of=today + dt.timedelta(days=1), year=YEAR)
    assert later["tables"][0]["rows"][0][6] is not None
    assert later["projection_digest"] != frozen["projection_digest"]
    # The XLSX of the registered report carries the frozen tables.
    client.force_login(staff[Role.RECTOR])
    response = client.get(f"/admin/monitoring/reports/{report.pk}/xlsx/")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert any(r[0] == org.department.name_ru for r in rows)


def test_the_command_prints_the_figures_a_scope_narrows_them_and_bad_input_is_refused(
    users: dict[str, Any], org: Any
) -> None:
    setup_load(users, org, students=20)
    today = timezone.localdate().isoformat()
    out = io.StringIO()
    call_command(
        "reports", "build", "teaching_load", "--as-of", today, "--year", str(YEAR), "--json", stdout=out
    )
    printed = json.loads(out.getvalue())
    assert printed == compute("teaching_load", as_of=timezone.localdate(), year=YEAR)
    assert printed["tables"][0]["rows"][0][0] == org.department.name_ru
    scoped = io.StringIO()
    call_command("reports", "build", "teaching_load", "--as-of", today, "--year", str(YEAR),
                 "--scope", org.other_faculty.code, "--json", stdout=scoped)  # fmt: skip
    assert [r[0] for r in json.loads(scoped.getvalue())["tables"][0]["rows"]] == ["Итого"]
    # Before the documents were registered, the registry held no load of the year.
    before = compute("teaching_load", as_of=dt.date(YEAR + 1, 1, 1), year=YEAR)
    assert before["figures"]["calculated"] == "0.00" and len(before["tables"][0]["rows"]) == 1
    with pytest.raises(CommandError, match="2026"):
        call_command("reports", "build", "teaching_load", "--as-of", "2025-01-01", "--year", "2026")
    with pytest.raises(RecordsError):
        report_create(by=users[Role.REGISTRAR], report="teaching_load", as_of=dt.date(2025, 1, 1), year=2026)
