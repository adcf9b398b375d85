"""Teaching load in the monitoring (issue 17): planned against done by department and teacher, the
rate, over-limit teachers, drill-down to the registered assignments, scope, export, replay."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from records.models import AuditEvent, Role, StaffPosition
from records.projections.replay import replay
from records.selectors import monitoring
from records.selectors.teaching import load_done
from tests.factories import make_person
from tests.records.teaching.conftest import YEAR, position, setup_load
from tests.records.teaching.test_execution import _held
from tests.records.teaching.test_load import _full_distribution

pytestmark = pytest.mark.django_db
AUTUMN_END = dt.date(YEAR, 12, 1)


def _load(users: Any, org: Any) -> tuple[Any, Any, Any]:
    calculation = setup_load(users, org, students=20)
    _distribution, first, second = _full_distribution(users, org, calculation)
    _held(org, first, "D30", "lecture", 5)  # 10 lecture hours held
    _held(org, second, "D30", "practical", 3)  # 6 practical hours held
    return calculation, first, second


def test_planned_done_rate_and_over_limit_equal_the_departments_execution(users: Any, org: Any) -> None:
    calculation, first, second = _load(users, org)
    rector = users[Role.RECTOR]
    load = monitoring.teaching_load(rector, year=YEAR, term=1, today=AUTUMN_END)
    summary = load_done(org.department, YEAR, 1, today=AUTUMN_END)
    [row] = load.departments
    assert row.key == org.department.code
    assert row.values["planned"] == summary.assigned
    assert row.values["done"] == summary.done_total
    assert row.values["done"] >= Decimal(16)
    assert row.values["rate"] == (summary.done_total * 100 / summary.assigned).quantize(Decimal("0.1"))
    assert calculation in row.values["documents"]
    by_teacher = {t.person_id: t for t in load.teachers}
    planned = {t.person_id: t.planned_total for t in summary.teachers}
    done = {t.person_id: t.done_total for t in summary.teachers}
    for person in (first, second):
        assert by_teacher[person.pk].planned == planned[person.pk]
        assert by_teacher[person.pk].done == done[person.pk]
    # The first teacher holds one full rate (680 h): over the limit only when the year's hours exceed it.
    assert by_teacher[first.pk].over_limit == (by_teacher[first.pk].planned_year > by_teacher[first.pk].limit)
    year = monitoring.teaching_load(rector, year=YEAR, term=None, today=AUTUMN_END)
    assert year.departments[0].values["planned"] >= row.values["planned"]
    # Drill-down: the assignments behind the teacher's figures add up to them, each naming its document.
    behind = monitoring.load_assignments_behind(
        rector, year=YEAR, term=1, department=org.department.code, teacher_id=first.pk, today=AUTUMN_END
    )
    assert sum(r.assignment.hours for r in behind) == by_teacher[first.pk].planned
    assert sum(r.done for r in behind) == by_teacher[first.pk].done
    assert {r.assignment.document.kind for r in behind} == {"load_distribution"}
    # A teacher whose positions allow fewer hours than the year assigns them is over the limit.
    assert not by_teacher[first.pk].over_limit
    StaffPosition.objects.filter(person=first).update(rate=Decimal("0.05"))
    again = monitoring.teaching_load(rector, year=YEAR, term=1, today=AUTUMN_END)
    teachers = {t.person_id: t for t in again.teachers}
    assert teachers[first.pk].limit < teachers[first.pk].planned_year
    assert teachers[first.pk].over_limit and again.departments[0].values["over_limit"] == 1
    # A teacher with a position and nothing assigned is listed, and not over the limit.
    idle = make_person(last_name_ru="Свободов")
    position(idle, org.department)
    teachers = {t.person_id: t for t in monitoring.teaching_load(rector, year=YEAR, term=1).teachers}
    assert teachers[idle.pk].planned_year == 0 and not teachers[idle.pk].over_limit
    # The projections behind the planned figures are rebuilt by the replay.
    assert replay(check=True).differs is False
    assert (
        monitoring.teaching_load(rector, year=YEAR, term=1, today=AUTUMN_END).total.values
        == again.total.values
    )


def test_the_dean_sees_the_faculty_and_the_other_dean_nothing(users: Any, org: Any) -> None:
    _load(users, org)
    assert [r.key for r in monitoring.teaching_load(users[Role.DEAN], year=YEAR).departments] == [
        org.department.code
    ]
    assert monitoring.teaching_load(users["other_dean"], year=YEAR).departments == []
    with pytest.raises(monitoring.MonitoringForbidden):
        monitoring.teaching_load(users["other_dean"], year=YEAR, unit=org.department)
    with pytest.raises(monitoring.MonitoringForbidden):
        monitoring.load_assignments_behind(users["other_dean"], year=YEAR, department=org.department.code)
    with pytest.raises(monitoring.MonitoringForbidden):
        monitoring.teaching_load(users[Role.TEACHER], year=YEAR)


def test_the_page_links_every_figure_exports_and_refuses_outside_the_scope(
    staff: Any, org: Any, client: Any
) -> None:
    _load(staff, org)
    client.force_login(staff[Role.DEAN])
    url = reverse("records_monitoring:load")
    page = client.get(url, {"year": YEAR, "term": 1})
    assert page.status_code == 200
    html = page.content.decode()
    assert org.department.name in html and "<svg" in html
    assert reverse("records_monitoring:load_list") in html
    drill = client.get(
        reverse("records_monitoring:load_list"), {"year": YEAR, "term": 1, "department": org.department.code}
    )
    assert drill.status_code == 200
    assert (
        reverse("records_admin:document", args=[drill.context["items"][0]["assignment"].document_id])
        in drill.content.decode()
    )
    before = AuditEvent.objects.filter(action="monitoring.export").count()
    exported = client.post(url, {"year": YEAR, "term": 1, "format": "csv"})
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any(r and r[0] == org.department.name for r in rows)
    assert AuditEvent.objects.filter(action="monitoring.export").count() == before + 1
    xlsx = client.post(url, {"year": YEAR, "term": 1, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(staff["other_dean"])
    other = client.get(url, {"year": YEAR, "unit": org.department.pk})  # not a choice of theirs: ignored
    assert other.status_code == 200 and other.context["rows"] == []
    refused = client.get(
        reverse("records_monitoring:load_list"), {"year": YEAR, "department": org.department.code}
    )
    assert refused.status_code == 403
    client.force_login(staff[Role.TEACHER])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_empty_load_section_says_why(staff: Any, client: Any, language: str) -> None:
    client.force_login(staff[Role.RECTOR])
    page = client.get(reverse("records_monitoring:load"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert page.context["no_load"] is True


def test_a_calculation_without_a_distribution_shows_its_hours_and_no_rate(users: Any, org: Any) -> None:
    """The edge between the two documents: calculated hours, nothing assigned, no division by zero."""
    calculation = setup_load(users, org, students=20)
    load = monitoring.teaching_load(users[Role.RECTOR], year=YEAR, term=None, today=AUTUMN_END)
    [row] = load.departments
    assert row.values["calculated"] == Decimal(calculation.current_version.data["total"]) > 0
    assert (row.values["planned"], row.values["done"], row.values["rate"]) == (0, 0, None)
    assert row.values["teachers"] == 0 and row.values["documents"] == [calculation]
    assert load.total.values["rate"] is None
    # Another year has nothing: no row at all.
    assert monitoring.teaching_load(users[Role.RECTOR], year=YEAR + 1).departments == []


def test_the_teacher_table_is_paged_and_the_export_holds_every_teacher(
    staff: Any, org: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from records.monitoring import views

    _load(staff, org)
    monkeypatch.setattr(views, "TEACHERS_SHOWN", 1)
    client.force_login(staff[Role.DEAN])
    url = reverse("records_monitoring:load")
    first = client.get(url, {"year": YEAR, "term": 1})
    second = client.get(url, {"year": YEAR, "term": 1, "p": 2})
    assert first.status_code == second.status_code == 200
    shown = [[r["t"].person_id for r in page.context["teacher_rows"]] for page in (first, second)]
    assert len(shown[0]) == len(shown[1]) == 1 and shown[0] != shown[1]
    assert f"year={YEAR}&amp;term=1&amp;p=2" in first.content.decode()
    exported = client.post(url, {"year": YEAR, "term": 1, "format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    names = {r["t"].name for page in (first, second) for r in page.context["teacher_rows"]}
    assert all(any(name in row for row in rows) for name in names)
