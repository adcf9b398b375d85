"""Journey 10 in a browser: the rector opens the monitoring in Kazakh, Russian and English — charts
drawn with the page's words, every figure a link — and a dean sees only their faculty."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from records.models import Role
from records.projections.bulk import document_register_directly
from records.services.scholarship import ScholarshipRequest, scholarship_list
from tests.browser.helpers import enrolled_student, other_faculty_group
from tests.factories import make_person
from tests.records.scholarship.conftest import complete, registry  # noqa: F401 - fixtures
from tests.records.teaching.conftest import YEAR, position, register, setup_load
from tests.records.teaching.test_execution import _held

TITLES = {"kk": "Контингент", "ru": "Контингент", "en": "Student body"}
RESULTS = {"kk": "Білім сапасы", "ru": "Качество знаний", "en": "Quality of knowledge"}


def _registry(users: dict[str, Any], org: Any) -> None:
    people = [enrolled_student(users, org.group, org.faculty) for _ in range(6)]
    law = other_faculty_group(org)
    for _ in range(3):
        enrolled_student(users, law, org.other_faculty)
    scores = [(95, 95, 95), (85, 85, 88), (75, 75, 78), (65, 65, 66), (60, 60, 30), (90, 90, 92)]
    lines = [
        {"student_iin": p.iin, "rating1": r1, "rating2": r2, "exam": exam}
        for p, (r1, r2, exam) in zip(people, scores, strict=True)
    ]
    data = {"discipline_code": "MAT101", "discipline_name": "Математика", "credits": 5, "group_code": org.group.code,
            "academic_year": 2024, "period": 1, "exam_date": "2025-01-10", "examiner": "Тестов Т.", "lines": lines}  # fmt: skip
    document_register_directly(
        by=users[Role.REGISTRAR],
        kind="grade_statement",
        org_unit=org.department,
        title="Ведомость",
        data=data,
    )


def test_the_rector_reads_the_monitoring_in_three_languages(
    browser: Any, staff_users: dict[str, Any], org: Any
) -> None:
    _registry(staff_users, org)
    browser.login_as(staff_users[Role.RECTOR])
    page = browser.page
    for language in ("kk", "ru", "en"):
        browser.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": browser.base_url}]
        )
        browser.goto("/admin/monitoring/?on=2024-10-01")
        assert TITLES[language] in page.locator("h2").first.inner_text()
        assert page.locator("svg.monitoring-chart").count() == 2
        assert page.locator("svg.monitoring-chart rect").count() >= 2
        assert org.faculty.name_en not in page.content() or language == "en"
        browser.shot(f"students-{language}")
        browser.goto("/admin/monitoring/results/?term=2024-1&by=group")
        assert RESULTS[language] in page.content()
        assert page.locator("svg.monitoring-chart").count() == 2
        browser.shot(f"results-{language}")
    page.get_by_role("link", name="6", exact=True).first.click()
    page.wait_for_load_state()
    assert page.locator("table.listing tbody tr").count() == 6
    browser.shot("results-behind")


def test_a_dean_sees_only_the_faculty(browser: Any, staff_users: dict[str, Any], org: Any) -> None:
    _registry(staff_users, org)
    browser.login_as(staff_users[Role.DEAN])
    browser.goto("/admin/monitoring/?on=2024-10-01&by=faculty")
    text = browser.page.locator("table.listing").inner_text()
    assert org.faculty.name_en in text and org.other_faculty.name_en not in text
    browser.shot("dean")


LOAD = {"kk": "Оқу жүктемесі", "ru": "Учебная нагрузка", "en": "Teaching load"}
RATINGS = {"kk": "Рейтингтік бақылаулар", "ru": "Рубежные контроли", "en": "Rating controls"}


def _load_and_ratings(users: dict[str, Any], org: Any) -> None:
    """The department's registered load with classes held, and РК1/РК2 statements of the test group."""
    calculation = setup_load(users, org, students=12)
    first, second = make_person(last_name_ru="Лекторова"), make_person(last_name_ru="Практиков")
    position(first, org.department)
    position(second, org.department, rate="1.5")
    assignments = [
        {
            "line_key": line["key"],
            "teacher_iin": (first if line["kind"] in ("lecture", "exam") else second).iin,
        }
        for line in calculation.current_version.data["lines"]
    ]
    register(users, "load_distribution", org.department,
             {"academic_year": YEAR, "department_code": org.department.code, "assignments": assignments})  # fmt: skip
    _held(org, first, "D30", "lecture", 6)
    _held(org, second, "D30", "practical", 4)
    people = [enrolled_student(users, org.group, org.faculty) for _ in range(4)]
    for control, marks in ((1, (90, 70, 45, 30)), (2, (85, 60, 55, 40))):
        data = {"discipline_code": "MAT101", "discipline_name": "Математика", "credits": 5,
                "group_code": org.group.code, "academic_year": 2024, "period": 1, "control": control,
                "date": "2024-10-19" if control == 1 else "2024-12-14", "teacher": "Тестов Т.",
                "lines": [{"student_iin": p.iin, "current": m, "midterm": m, "present": 10}
                          for p, m in zip(people, marks, strict=True)]}  # fmt: skip
        document_register_directly(
            by=users[Role.REGISTRAR], kind="rating_statement", org_unit=org.department, title="РК", data=data
        )


def test_teaching_load_and_rating_controls_for_the_rector_and_a_dean_in_three_languages(
    browser: Any, staff_users: dict[str, Any], org: Any
) -> None:
    _load_and_ratings(staff_users, org)
    page = browser.page
    for who in (Role.RECTOR, Role.DEAN):
        browser.context.clear_cookies()
        browser.login_as(staff_users[who])
        for language in ("kk", "ru", "en"):
            browser.context.add_cookies(
                [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": browser.base_url}]
            )
            browser.goto("/admin/monitoring/load/?year=2025&term=1")
            assert LOAD[language] in page.locator("h2").first.inner_text()
            assert page.locator("svg.monitoring-chart rect").count() >= 2
            assert page.locator("table.listing").count() == 2
            browser.shot(f"load-{who}-{language}")
            browser.goto("/admin/monitoring/ratings/?term=2024-1&by=group")
            assert RATINGS[language] in page.locator("h2").first.inner_text()
            assert page.locator("svg.monitoring-chart").count() == 2
            browser.shot(f"ratings-{who}-{language}")
        page.get_by_role("link", name="8", exact=True).first.click()
        page.wait_for_load_state()
        assert page.locator("table.listing tbody tr").count() == 2  # РК1 and РК2 statements
        browser.shot(f"ratings-behind-{who}")


SCHOLARSHIPS = {"kk": "Шәкіртақылар", "ru": "Стипендии", "en": "Scholarships"}


def test_scholarships_by_unit_and_by_term_in_three_languages(
    browser: Any,
    staff_users: dict[str, Any],
    org: Any,
    complete: Any,  # noqa: F811 - the scholarship tests' registry with a complete session
) -> None:
    """Two paid terms with registered orders (the earlier one, and the one the complete session
    decides): the bar chart of the latest term by faculty and the columns by term, each order a link."""
    data = scholarship_list(request=ScholarshipRequest(2025, 1)).order_data()
    order = document_register_directly(
        by=staff_users[Role.REGISTRAR], kind="scholarship_order", org_unit=org.university, title="", data=data
    )
    browser.login_as(staff_users[Role.RECTOR])
    page = browser.page
    for language in ("kk", "ru", "en"):
        browser.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": browser.base_url}]
        )
        browser.goto("/admin/monitoring/scholarships/")
        assert SCHOLARSHIPS[language] in page.locator("h2").first.inner_text()
        assert page.locator("svg.monitoring-chart").count() == 2
        assert page.locator("svg.monitoring-chart").nth(1).locator("rect").count() == 2  # two terms
        assert page.locator("table.listing tbody tr").count() == 2
        browser.shot(f"scholarships-{language}")
    page.locator(f'a[href="/admin/registry/documents/{order.pk}/"]').first.click()
    page.wait_for_load_state()
    assert order.registry_number in page.content()
