"""Diploma with honours: every condition of Model Rules 595 p.52 and the policy's stance on retakes."""

from decimal import Decimal

import pytest
from django.utils import translation

from records.academics.errors import AcademicInputError
from records.academics.honours import honours_decision
from records.academics.policy import AcademicPolicy, HonoursRules

GOOD_GRADES = {"ALG": "A", "HIS": "A-", "PHY": "B+", "CHE": "B", "BIO": "B-", "ENG": "C+"}
CASE = {
    "course_grades": GOOD_GRADES,
    "gpa": Decimal("3.50"),
    "final_attestation_letters": ["A"],
    "had_retakes": False,
}


def test_all_conditions_met_gives_honours():
    decision = honours_decision(**CASE)
    assert decision.ok and decision.codes == ["honours"]


@pytest.mark.parametrize(
    ("changes", "codes"),
    [
        pytest.param({"course_grades": {**GOOD_GRADES, "GEO": "C"}}, ["grade_not_allowed"], id="grade-C"),
        pytest.param({"course_grades": {**GOOD_GRADES, "GEO": "D"}}, ["grade_not_allowed"], id="grade-D"),
        pytest.param({"course_grades": {**GOOD_GRADES, "GEO": "FX"}}, ["grade_not_allowed"], id="grade-FX"),
        pytest.param({"course_grades": {}}, ["no_grades"], id="no-grades"),
        pytest.param({"gpa": Decimal("3.49")}, ["gpa_below_minimum"], id="gpa-3.49"),
        pytest.param({"gpa": None}, ["no_gpa"], id="no-gpa"),
        pytest.param({"final_attestation_letters": ["B+"]}, ["final_attestation_grade"], id="attestation-B+"),
        pytest.param({"final_attestation_letters": ["A", "B"]}, ["final_attestation_grade"], id="one-of-two"),
        pytest.param({"final_attestation_letters": []}, ["no_final_attestation"], id="no-attestation"),
        pytest.param({"had_retakes": True}, ["had_retakes"], id="retake"),
        pytest.param(
            {"gpa": Decimal("4.00"), "final_attestation_letters": ["A-"]}, ["honours"], id="A-minus-ok"
        ),
    ],
)
def test_each_refusal_reason(changes, codes):
    decision = honours_decision(**{**CASE, **changes})
    assert decision.ok is (codes == ["honours"])
    assert decision.codes == codes


def test_every_refusal_reason_is_listed_at_once():
    decision = honours_decision(
        {"ALG": "A", "HIS": "C", "PHY": "D+"}, Decimal("3.1"), ["B"], had_retakes=True
    )
    assert not decision.ok
    assert decision.codes == [
        "grade_not_allowed",
        "grade_not_allowed",
        "gpa_below_minimum",
        "final_attestation_grade",
        "had_retakes",
    ]
    with translation.override("en"):
        assert decision.messages[0] == "Grade C in HIS; honours need every grade among A, A-, B+, B, B-, C+."
        assert decision.messages[2] == "GPA 3.1 is below 3.5."
        assert decision.messages[3] == "Final attestation grade B; honours need A, A-."


def test_retakes_allowed_when_the_policy_says_so():
    policy = AcademicPolicy(honours=HonoursRules(retakes_disqualify=False))
    assert honours_decision(**{**CASE, "had_retakes": True}, policy=policy).ok


def test_stricter_policy_letters():
    policy = AcademicPolicy(honours=HonoursRules(allowed_letters=("A", "A-", "B+"), min_gpa=Decimal("3.67")))
    assert honours_decision(**CASE, policy=policy).codes == [
        "grade_not_allowed",
        "grade_not_allowed",
        "grade_not_allowed",
        "gpa_below_minimum",
    ]


def test_unknown_letter_is_an_error():
    with pytest.raises(AcademicInputError) as caught:
        honours_decision(**{**CASE, "final_attestation_letters": ["A+"]})
    assert caught.value.code == "unknown_letter"


def test_honours_from_attempts_uses_counting_grades_gpa_and_retake_flags():
    from records.academics.gpa import CourseAttempt, Term
    from records.academics.honours import honours_for_attempts

    t1, t2 = Term(2024, 1), Term(2024, 2)
    attempts = [
        CourseAttempt("ALG", 5, Decimal("4.0"), "A", t1),
        CourseAttempt("HIS", 5, Decimal("3.33"), "B+", t1),
        CourseAttempt("PE", 2, Decimal("1.0"), "D", t1, counts_in_gpa=False),  # additional type of study
    ]
    # (20 + 16.65) / 10 = 3.665 -> 3.67
    assert honours_for_attempts(attempts, ["A-"]).ok
    retaken = [
        *attempts[:1],
        CourseAttempt("HIS", 5, Decimal("0"), "F", t1),
        CourseAttempt("HIS", 5, Decimal("3.33"), "B+", t2, is_retake=True),
    ]
    assert honours_for_attempts(retaken, ["A"]).codes == ["had_retakes"]
    low = [*attempts[:1], CourseAttempt("HIS", 5, Decimal("2.67"), "B-", t1)]  # (20 + 13.35) / 10 = 3.34
    assert honours_for_attempts(low, ["A"]).codes == ["gpa_below_minimum"]
