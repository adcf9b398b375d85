"""Rating (РК1/РК2) results in the monitoring: count, average, share below the policy's admission
threshold and students not admitted, by faculty/department/group/discipline, with the statements
behind each figure, the viewer's scope, a revoked statement, an empty term and export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from records.academics.rating import admission_rating
from records.models import Document, Role, StudyGroup
from records.selectors import monitoring
from records.services.document import document_transition
from tests.records.academic.conftest import bulk, bulk_order, enrollment, order
from tests.records.monitoring.conftest import Law, enroll_law, student

pytestmark = pytest.mark.django_db


def _rating(group: str, code: str, control: int, marks: list[tuple[Any, int, int]]) -> dict[str, Any]:
    """A rating statement: (student, ТК, РК) per line; the rating is recomputed as their average."""
    return {
        "discipline_code": code, "discipline_name": f"Дисциплина {code}", "credits": 5, "group_code": group,
        "academic_year": 2024, "period": 1, "control": control,
        "date": "2024-10-19" if control == 1 else "2024-12-14", "teacher": "Тестов Т.",
        "lines": [{"student_iin": p.iin, "current": str(c), "midterm": str(m), "present": 10} for p, c, m in marks],
    }  # fmt: skip


def _term(users: Any, org: Any, law: Law) -> tuple[Any, Any, Any, Document]:
    a, b = student(org), student(org)
    for person in (a, b):
        bulk_order(users, org, "enrollment", enrollment(person, org))
    c = student(org)
    c.group = law.group
    c.save()
    enroll_law(users, org, law, c)
    g = org.group.code
    bulk(users, org, "rating_statement", _rating(g, "MAT101", 1, [(a, 80, 90), (b, 40, 40)]))  # 85, 40
    bulk(users, org, "rating_statement", _rating(g, "MAT101", 2, [(a, 70, 70), (b, 60, 50)]))  # 70, 55
    bulk(users, org, "rating_statement", _rating(g, "PHY101", 1, [(a, 30, 30)]))  # 30, РК2 not yet
    law_statement = bulk(users, org, "rating_statement", _rating(law.group.code, "LAW101", 1, [(c, 100, 90)]))
    return a, b, c, law_statement


def test_counts_average_threshold_and_admission_by_the_policy(users: Any, org: Any, law: Law) -> None:
    _term(users, org, law)
    rector = users[Role.RECTOR]
    results = monitoring.rating_results(rector, year=2024, period=1, by="discipline")
    rows = {r.key: r.values for r in results.rows}
    assert results.threshold == Decimal(50) and results.mode == "average"
    assert rows["MAT101"]["results"] == 4 and rows["MAT101"]["average"] == Decimal("62.5")  # (85+40+70+55)/4
    assert rows["MAT101"]["below"] == 1 and rows["MAT101"]["below_share"] == Decimal("25.0")
    # b: (40 + 55) / 2 = 47.5 < 50 — not admitted; a: 77.5 — admitted; PHY101 has one rating only
    assert rows["MAT101"]["not_admitted"] == 1 and rows["PHY101"]["not_admitted"] == 0
    assert rows["PHY101"]["below"] == 1 and rows["LAW101"]["average"] == Decimal("95.0")
    total = results.total.values
    assert (total["results"], total["below"], total["not_admitted"]) == (6, 2, 1)
    by_faculty = monitoring.rating_results(rector, year=2024, period=1, by="faculty")
    assert sorted(r.values["results"] for r in by_faculty.rows) == [1, 5]
    first = monitoring.rating_results(rector, year=2024, period=1, by="group", control=1)
    assert first.total.values["results"] == 4
    behind = monitoring.rating_statements_behind(rector, year=2024, period=1, by="discipline", key="MAT101")
    assert sorted(s.control for s in behind) == [1, 2]
    assert sum(len(s.ratings) for s in behind) == rows["MAT101"]["results"]
    # An empty term gives no rows and no division by zero.
    empty = monitoring.rating_results(rector, year=2023, period=2)
    assert empty.rows == [] and empty.total.values["average"] is None
    assert monitoring.terms_with_ratings(rector) == [(2024, 1)]


def test_not_admitted_counts_the_students_the_exam_refuses_rounding_as_the_exam_does(
    users: Any, org: Any
) -> None:
    """Ratings 49 and 50 average 49.5, rounded half up to 50: admitted by the exam's rule, so not
    counted (the monitoring compared 49.5 with the threshold and counted them); 49 and 49 are refused."""
    a, b = student(org), student(org)
    for person in (a, b):
        bulk_order(users, org, "enrollment", enrollment(person, org))
    g = org.group.code
    bulk(users, org, "rating_statement", _rating(g, "MAT101", 1, [(a, 49, 49), (b, 49, 49)]))
    bulk(users, org, "rating_statement", _rating(g, "MAT101", 2, [(a, 50, 50), (b, 49, 49)]))
    assert admission_rating(49, 50) == Decimal(50) and admission_rating(49, 49) == Decimal(49)
    results = monitoring.rating_results(users[Role.RECTOR], year=2024, period=1, by="discipline")
    [row] = results.rows
    assert row.values["not_admitted"] == 1 and results.total.values["not_admitted"] == 1
    assert row.values["below"] == 3  # each rating below 50 counts: 49, 49, 49


def test_groups_of_one_faculty_add_up_and_each_group_keeps_its_own_students(users: Any, org: Any) -> None:
    """By faculty the ratings of two groups in one discipline are merged per student; merging must not
    change what the group's own row reads (the statements' ratings are shared, cached values)."""
    second_group = StudyGroup.objects.create(
        code="IS-24-2", programme=org.programme, intake_year=2024, language="ru"
    )
    a, b = student(org), student(org)
    b.group = second_group
    b.save()
    bulk_order(users, org, "enrollment", enrollment(a, org))
    data = order("enrollment", b, "2024-09-01", programme_code=org.programme.code, group_code=second_group.code,
                 year_of_study=1, funding="paid")  # fmt: skip
    bulk_order(users, org, "enrollment", data)
    for group, person in ((org.group.code, a), (second_group.code, b)):
        bulk(users, org, "rating_statement", _rating(group, "MAT101", 1, [(person, 40, 40)]))
        bulk(users, org, "rating_statement", _rating(group, "MAT101", 2, [(person, 45, 45)]))
    rector = users[Role.RECTOR]
    by_faculty = monitoring.rating_results(rector, year=2024, period=1, by="faculty")
    assert [r.values["not_admitted"] for r in by_faculty.rows] == [2]
    by_group = monitoring.rating_results(rector, year=2024, period=1, by="group")
    assert [r.values["not_admitted"] for r in by_group.rows] == [1, 1]
    again = monitoring.rating_results(rector, year=2024, period=1, by="faculty")
    assert again.total.values["not_admitted"] == 2 and again.total.values["results"] == 4


def test_scope_and_a_revoked_statement(users: Any, org: Any, law: Law) -> None:
    _a, _b, _c, law_statement = _term(users, org, law)
    dean = monitoring.rating_results(users[Role.DEAN], year=2024, period=1, by="group")
    assert [r.label for r in dean.rows] == [org.group.code] and dean.total.values["results"] == 5
    other = monitoring.rating_results(users["other_dean"], year=2024, period=1, by="group")
    assert [r.label for r in other.rows] == [law.group.code]
    with pytest.raises(monitoring.MonitoringForbidden):
        monitoring.rating_results(users["other_dean"], year=2024, period=1, unit=org.faculty)
    with pytest.raises(monitoring.MonitoringForbidden):
        monitoring.rating_results(users[Role.TEACHER], year=2024, period=1)
    document_transition(document=law_statement, by=users[Role.REGISTRAR], name="revoke", reason="Ошибка")
    after = monitoring.rating_results(users["other_dean"], year=2024, period=1, by="group")
    assert after.rows == []


def test_the_page_drills_down_and_exports(staff: Any, org: Any, law: Law, client: Any) -> None:
    _term(staff, org, law)
    client.force_login(staff[Role.DEAN])
    url = reverse("records_monitoring:ratings")
    page = client.get(url, {"term": "2024-1", "by": "discipline"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "MAT101" in html and "LAW101" not in html
    drill = client.get(
        reverse("records_monitoring:ratings_list"), {"term": "2024-1", "by": "discipline", "key": "MAT101"}
    )
    assert drill.status_code == 200 and len(drill.context["items"]) == 2
    for item in drill.context["items"]:
        assert reverse("records_admin:document", args=[item["s"].document_id]) in drill.content.decode()
    exported = client.post(url, {"term": "2024-1", "by": "discipline", "format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert any(r[:2] == ["MAT101 Дисциплина MAT101", "4"] for r in rows)
    client.force_login(staff[Role.TEACHER])
    assert client.get(url).status_code == 403
