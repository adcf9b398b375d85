"""Who gets the state scholarship, and why not: the list comes from the registry's projections."""

from __future__ import annotations

from typing import Any

import pytest

from records.errors import RecordsError
from records.models import AuditEvent, Document, Role
from records.services.document import document_create
from records.services.scholarship import ScholarshipRequest, scholarship_list, scholarship_preview
from tests.records.scholarship.conftest import Registry

TERM = ScholarshipRequest(academic_year=2025, semester=1)


def by_key(registry: Registry, lines: list[Any]) -> dict[str, Any]:
    keys = {person.iin: key for key, person in registry.people.items()}
    return {keys[line.iin]: line for line in lines}


def test_each_student_is_awarded_or_excluded_with_the_reason(complete: Registry) -> None:
    result = scholarship_list(request=TERM)
    awarded = by_key(complete, result.awarded)
    excluded = by_key(complete, result.excluded)
    assert set(awarded) == {"excellent", "good", "medical", "freshman"}
    assert set(excluded) == {"c_grade", "failed", "paid", "leave"}
    assert (awarded["excellent"].decision.rate, awarded["excellent"].amount) == ("increased", 54205)
    assert awarded["excellent"].decision.codes == ["all_excellent"]
    assert (awarded["good"].decision.rate, awarded["good"].amount) == ("base", 47135)
    assert awarded["freshman"].decision.codes == ["first_semester"]
    assert awarded["medical"].decision.codes == ["medical_leave_continuation"]
    assert awarded["medical"].decision.rate == "base"
    assert excluded["c_grade"].decision.codes == ["grade_below_good"]
    assert "D22" in excluded["c_grade"].decision.reasons[0].message
    assert excluded["failed"].decision.codes == ["failed"]
    assert excluded["paid"].decision.codes == ["not_state_funded"]
    assert excluded["leave"].decision.codes == ["on_academic_leave"]
    assert result.total == 54205 + 3 * 47135
    assert result.policy_version.isdigit()  # the registered policy's document id, not "default"


def test_the_order_data_records_the_policy_version_and_reason_codes(complete: Registry) -> None:
    data = scholarship_list(request=TERM).order_data()
    policy = Document.objects.get(kind="academic_policy")
    assert data["policy_version"] == str(policy.pk)
    assert data["session_label"].startswith("2024/25")
    excluded = {line["iin"]: line for line in data["excluded"]}
    assert excluded[complete.people["failed"].iin]["reasons"][0]["code"] == "failed"
    assert all(line["reasons"][0]["text"] for line in data["excluded"])


def test_a_faculty_without_students_has_no_state_funded_students(complete: Registry) -> None:
    with pytest.raises(RecordsError) as error:
        scholarship_list(request=ScholarshipRequest(2025, 1, faculty=complete.org.other_faculty))
    assert error.value.code == "no_state_funded_students"


def test_a_discipline_without_a_registered_statement_is_named(registry: Registry) -> None:
    with pytest.raises(RecordsError) as error:
        scholarship_list(request=TERM)
    assert error.value.code == "session_incomplete"
    assert "IS-24-1" in error.value.message and "D25" in error.value.message


def test_a_statement_still_on_its_route_is_named(registry: Registry) -> None:
    document_create(
        by=registry.users[Role.TEACHER],
        kind="grade_statement",
        org_unit=registry.org.department,
        title="D25",
        data=registry.statement_data(5),
    )
    with pytest.raises(RecordsError) as error:
        scholarship_list(request=TERM)
    assert "D25" in error.value.message and "draft" in error.value.message


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        (ScholarshipRequest(2025, 1, base_amount=0), "amount_out_of_range"),
        (ScholarshipRequest(2025, 1, base_amount=50000, increased_amount=40000), "amount_out_of_range"),
        (ScholarshipRequest(2025, 1, increased_amount=5_000_000), "amount_out_of_range"),
        (ScholarshipRequest(2090, 1), "term_in_future"),
        (ScholarshipRequest(2025, 3), "bad_term"),
    ],
)
def test_bad_requests_are_refused(complete: Registry, request_: ScholarshipRequest, code: str) -> None:
    with pytest.raises(RecordsError) as error:
        scholarship_list(request=request_)
    assert error.value.code == code


def test_the_preview_is_audited_and_refused_to_others(complete: Registry, users: dict[str, Any]) -> None:
    before = AuditEvent.objects.count()
    for role in (Role.TEACHER, Role.ARCHIVIST, "other_dean"):
        with pytest.raises(RecordsError):
            scholarship_preview(
                by=users[role], request=ScholarshipRequest(2025, 1, faculty=complete.org.faculty)
            )
    assert AuditEvent.objects.count() == before
    scholarship_preview(
        by=users[Role.DEAN], request=ScholarshipRequest(2025, 1, faculty=complete.org.faculty)
    )
    event = AuditEvent.objects.get(action="scholarship.preview")
    assert event.changes["awarded"] == 4 and event.changes["faculty"] == complete.org.faculty.code
