"""State scholarship: state funding, good/excellent results, first semester, increased rate, medical leave."""

from decimal import Decimal

import pytest
from django.utils import translation

from records.academics.errors import AcademicInputError
from records.academics.policy import AcademicPolicy, ScholarshipRules
from records.academics.rating import final_result
from records.academics.scholarship import (
    ScholarshipAmounts,
    StudentFacts,
    TermGrade,
    scholarship_decision,
)

AMOUNTS = ScholarshipAmounts(Decimal(47135), Decimal(54205))  # bachelor, 2024 draft
STATE_Y2 = StudentFacts(funding="state", year_of_study=2, semester=1)


def grades(*letters):
    return [TermGrade(f"D{index}", letter) for index, letter in enumerate(letters)]


@pytest.mark.parametrize(
    ("letters", "rate", "amount", "codes"),
    [
        (("A", "A-", "A"), "increased", 54205, ["all_excellent"]),
        (("A", "B+"), "base", 47135, ["good_results"]),
        (("B", "B-", "C+"), "base", 47135, ["good_results"]),  # C+ is "good" in the default scale
        (("A", "C"), "none", 0, ["grade_below_good"]),
        (("A", "D"), "none", 0, ["grade_below_good"]),
        (("A", "FX"), "none", 0, ["failed"]),
        (("A", "F"), "none", 0, ["failed"]),
        ((), "none", 0, ["no_results"]),
        (("C", "FX", "F"), "none", 0, ["grade_below_good", "failed", "failed"]),
    ],
)
def test_session_results_decide_eligibility_and_rate(letters, rate, amount, codes):
    decision = scholarship_decision(STATE_Y2, grades(*letters), amounts=AMOUNTS)
    assert decision.eligible is (rate != "none")
    assert decision.rate == rate
    assert decision.amount == amount
    assert decision.codes == codes


def test_not_admitted_and_missed_exam_exclude():
    lines = [TermGrade("ALG", "A"), TermGrade("HIS", None, admitted=False), TermGrade("PHY", None)]
    decision = scholarship_decision(STATE_Y2, lines, amounts=AMOUNTS)
    assert not decision.eligible
    assert decision.codes == ["not_admitted", "no_grade"]
    with translation.override("en"):
        assert [r.message for r in decision.reasons] == [
            "Not admitted to the exam in HIS.",
            "No grade in PHY (the exam was missed).",
        ]


def test_term_grade_from_exam_results():
    admitted = TermGrade.from_exam_result("ALG", final_result(95, 95, 96))
    refused = TermGrade.from_exam_result("HIS", final_result(30, 30, None))
    assert (admitted.letter, admitted.admitted) == ("A", True)
    assert (refused.letter, refused.admitted) == (None, False)


def test_paid_students_are_excluded_with_every_other_reason_too():
    paid = StudentFacts(funding="paid", year_of_study=2, semester=1)
    decision = scholarship_decision(paid, grades("A", "C"), amounts=AMOUNTS)
    assert not decision.eligible and decision.amount == 0
    assert decision.codes == ["not_state_funded", "grade_below_good"]
    with translation.override("en"):
        assert decision.reasons[0].message == "Funding paid does not carry a state scholarship."


def test_first_year_first_semester_gets_the_base_rate_without_results():
    first = StudentFacts(funding="state", year_of_study=1, semester=1)
    decision = scholarship_decision(first, [], amounts=AMOUNTS)
    assert (decision.eligible, decision.rate, decision.amount, decision.codes) == (
        True,
        "base",
        Decimal(47135),
        ["first_semester"],
    )


def test_first_year_first_semester_rule_needs_state_funding_and_can_be_switched_off():
    paid_first = StudentFacts(funding="paid", year_of_study=1, semester=1)
    assert scholarship_decision(paid_first, []).codes == ["not_state_funded"]
    off = AcademicPolicy(scholarship=ScholarshipRules(first_year_first_semester=False))
    first = StudentFacts(funding="state", year_of_study=1, semester=1)
    assert scholarship_decision(first, [], off).codes == ["no_results"]


def test_first_year_second_semester_depends_on_the_winter_session():
    second = StudentFacts(funding="state", year_of_study=1, semester=2)
    assert scholarship_decision(second, grades("C")).codes == ["grade_below_good"]


@pytest.mark.parametrize(
    ("before", "rate", "amount"),
    [("increased", "increased", 54205), ("base", "base", 47135)],
)
def test_medical_leave_continues_the_rate_paid_before(before, rate, amount):
    leave = StudentFacts(
        funding="state", year_of_study=3, semester=2, academic_leave="medical", rate_before_leave=before
    )
    decision = scholarship_decision(leave, [], amounts=AMOUNTS)
    assert (decision.eligible, decision.rate, decision.amount) == (True, rate, amount)
    assert decision.codes == ["medical_leave_continuation"]


def test_medical_leave_without_a_scholarship_before_gets_none():
    leave = StudentFacts(funding="state", year_of_study=3, semester=2, academic_leave="medical")
    assert scholarship_decision(leave, []).codes == ["medical_leave_without_scholarship"]


def test_medical_leave_continuation_can_be_switched_off():
    off = AcademicPolicy(scholarship=ScholarshipRules(medical_leave_continues=False))
    leave = StudentFacts(
        funding="state", year_of_study=3, semester=2, academic_leave="medical", rate_before_leave="base"
    )
    assert not scholarship_decision(leave, [], off).eligible


def test_other_academic_leave_interrupts_the_scholarship():
    leave = StudentFacts(
        funding="state", year_of_study=2, semester=1, academic_leave="other", rate_before_leave="base"
    )
    decision = scholarship_decision(leave, [], amounts=AMOUNTS)
    assert not decision.eligible and decision.codes == ["on_academic_leave"]


def test_without_amounts_only_the_rate_is_decided():
    decision = scholarship_decision(STATE_Y2, grades("A"))
    assert decision.rate == "increased" and decision.amount == 0


def test_policy_can_require_b_minus_for_the_scholarship():
    strict = AcademicPolicy(scholarship=ScholarshipRules(qualifying_letters=("A", "A-", "B+", "B", "B-")))
    assert scholarship_decision(STATE_Y2, grades("C+"), strict).codes == ["grade_below_good"]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"year_of_study": 0}, "bad_year_of_study"),
        ({"semester": 3}, "bad_semester"),
        ({"academic_leave": "sabbatical"}, "bad_leave"),
        ({"rate_before_leave": "double"}, "bad_rate"),
    ],
)
def test_bad_student_facts_are_refused(kwargs, code):
    with pytest.raises(AcademicInputError) as caught:
        StudentFacts(**({"funding": "state", "year_of_study": 2, "semester": 1} | kwargs))
    assert caught.value.code == code


@pytest.mark.parametrize(("base", "increased"), [(-1, 10), (100, 50), ("x", 10)])
def test_bad_amounts_are_refused(base, increased):
    with pytest.raises(AcademicInputError):
        ScholarshipAmounts(base, increased)


def test_unknown_letter_is_an_error():
    with pytest.raises(AcademicInputError) as caught:
        scholarship_decision(STATE_Y2, grades("E"))
    assert caught.value.code == "unknown_letter"
