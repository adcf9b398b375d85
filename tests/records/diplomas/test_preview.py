"""The preview: every graduate's GPA and honours decision with every reason, and what blocks a batch."""

from __future__ import annotations

from typing import Any

from records.models import Role
from records.selectors_diplomas import cohort_preview, graduation_cohorts
from tests.records.diplomas.conftest import CohortFixture, build_cohort


def test_preview_states_honours_and_every_refusal_reason(
    users: dict[str, Any], cohort: CohortFixture
) -> None:
    """Abai gets honours; Bolat is refused for his C; Sara for her retake; nothing blocks the batch."""
    registrar = users[Role.REGISTRAR]
    [found] = graduation_cohorts(user=registrar)
    assert (found.group_code, found.date.isoformat(), found.registered) == (cohort.group_code, cohort.date, 3)
    preview = cohort_preview(user=registrar, group_code=cohort.group_code, date=cohort.date)
    by_name = {facts.person.pk: facts for facts in preview.graduates}
    abai, bolat, sara = (by_name[p.pk] for p in cohort.students)
    assert preview.blocking == []
    assert abai.honours is not None and abai.honours.ok and abai.gpa is not None
    assert bolat.honours is not None and not bolat.honours.ok
    assert bolat.honours.codes == ["grade_not_allowed", "gpa_below_minimum"]
    assert "D11" in bolat.honours.messages[0]
    assert sara.honours is not None and sara.honours.codes == ["had_retakes"]
    assert abai.protocol is not None and abai.final_line is not None and abai.final_line.letter == "A"


def test_preview_blocks_on_incomplete_transcript_naming_the_student(users: dict[str, Any], org: Any) -> None:
    """A curriculum discipline without a positive grade blocks the batch and names student and discipline."""
    built = build_cohort(users, org, skip_d21_for_last=True)
    preview = cohort_preview(user=users[Role.REGISTRAR], group_code=built.group_code, date=built.date)
    sara = built.students[2]
    assert len(preview.blocking) == 1
    assert sara.full_name() in preview.blocking[0] and "D21" in preview.blocking[0]


def test_cohorts_are_scoped_by_faculty(users: dict[str, Any], cohort: CohortFixture) -> None:
    """A dean of another faculty sees no cohort; the faculty's dean does."""
    assert graduation_cohorts(user=users["other_dean"]) == []
    assert len(graduation_cohorts(user=users[Role.DEAN])) == 1
    assert graduation_cohorts(user=users[Role.TEACHER]) == []


def test_preview_blocks_a_graduate_without_a_final_attestation_grade(users: dict[str, Any], org: Any) -> None:
    """Admitted and graduated but absent from the protocol: blocked, naming the student."""
    built = build_cohort(users, org, skip_protocol_for_last=True)
    preview = cohort_preview(user=users[Role.REGISTRAR], group_code=built.group_code, date=built.date)
    sara = built.students[2]
    assert preview.blocking == [f"{sara.full_name()}: there is no final attestation grade."]
