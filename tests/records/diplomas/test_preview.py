"""The preview: every graduate's GPA and honours decision with every reason, and what blocks a batch."""

from __future__ import annotations

from typing import Any

from records.models import Role
from records.selectors.diplomas import cohort_preview, graduation_cohorts
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


def test_the_cohort_page_shows_one_gpa_the_one_the_honours_rule_uses(
    client: Any, users: dict[str, Any], cohort: CohortFixture
) -> None:
    """Bolat's GPA column and his "GPA … is below 3.5" reason show the same figure (final attestation
    excluded, as the rule counts it), differing from the transcript's cumulative GPA that includes it,
    and the page says how it was computed."""
    from records.models import StudentGpa

    registrar = users[Role.REGISTRAR]
    preview = cohort_preview(user=registrar, group_code=cohort.group_code, date=cohort.date)
    bolat = next(f for f in preview.graduates if f.person.pk == cohort.students[1].pk)
    reason = bolat.honours.messages[bolat.honours.codes.index("gpa_below_minimum")]
    assert f"GPA {bolat.gpa} is below" in reason
    with_final = StudentGpa.objects.filter(person=bolat.person).order_by("term_year", "term_period").last()
    assert str(with_final.cumulative_gpa) != bolat.gpa  # the projection's figure counts the thesis too
    assert "final attestation excluded" in bolat.gpa_basis
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    registrar.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(registrar)
    response = client.get(
        reverse("records_diplomas:cohort"), {"group": cohort.group_code, "date": cohort.date}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(f">{bolat.gpa}<") == 1 and str(with_final.cumulative_gpa) not in page
    assert "final attestation excluded" in page
