"""Working curriculum checks: credits per semester, per year and in total, cycles, components, final attestation."""

import pytest
from django.utils import translation

from records.academics.curriculum import DisciplineLine, check_curriculum
from records.academics.errors import AcademicInputError
from records.academics.policy import AcademicPolicy, CurriculumRules

CYCLES = {1: "general", 2: "general", 3: "basic", 4: "basic", 5: "basic", 6: "major", 7: "major", 8: "major"}
COMPONENTS = ["compulsory", "university", "elective", "compulsory", "elective", "elective"]


def bachelor(semesters=8):
    """A clean bachelor curriculum: 6 disciplines × 5 credits per semester, final attestation last."""
    plan = []
    for number in range(1, semesters + 1):
        lines = [
            DisciplineLine(f"D{number}{index}", 5, CYCLES.get(number, "major"), COMPONENTS[index])
            for index in range(6)
        ]
        plan.append(lines)
    plan[-1][-1] = DisciplineLine("FA", 5, "major", "compulsory", "final_attestation")
    return plan


def codes(problems):
    return [(p.code, p.severity, p.semester, p.discipline) for p in problems]


def test_a_clean_bachelor_curriculum_has_no_problems():
    assert check_curriculum(bachelor()) == []


def test_a_300_credit_programme_needs_ten_semesters():
    assert check_curriculum(bachelor(10), degree_total=300) == []
    assert codes(check_curriculum(bachelor(), degree_total=300)) == [
        ("degree_total_below", "error", None, None)
    ]


def test_uneven_semesters_within_a_60_credit_year_are_only_warnings():
    plan = bachelor()
    plan[0] = [
        *plan[0][:5],
        DisciplineLine("D1X", 5, "general", "elective"),
        DisciplineLine("D1Y", 5, "general", "elective"),
    ]
    plan[1] = plan[1][:5]
    problems = check_curriculum(plan)
    assert codes(problems) == [
        ("semester_credits", "warning", 1, None),
        ("semester_credits", "warning", 2, None),
    ]
    assert not any(p.is_error for p in problems)


def test_a_short_year_and_total_are_errors():
    plan = bachelor()
    plan[2] = plan[2][:5]  # 25 credits in semester 3
    assert codes(check_curriculum(plan)) == [
        ("semester_credits", "warning", 3, None),
        ("year_credits", "error", 3, None),
        ("degree_total_below", "error", None, None),
    ]


def test_problem_messages_name_the_row():
    plan = bachelor()
    plan[2] = plan[2][:5]
    with translation.override("en"):
        messages = [p.message for p in check_curriculum(plan)]
    assert messages == [
        "Semester 3 has 25 credits; 30 are usual.",
        "Year 2 has 55 credits; the policy requires 60.",
        "The curriculum has 235 credits; the degree requires at least 240.",
    ]


def test_discipline_below_the_minimum_credits():
    plan = bachelor()
    plan[0][0] = DisciplineLine("D10", 3, "general", "compulsory")
    plan[0].append(DisciplineLine("D1Z", 2, "general", "elective"))
    assert codes(check_curriculum(plan)) == [
        ("discipline_credits_below_minimum", "error", 1, "D10"),
        ("discipline_credits_below_minimum", "error", 1, "D1Z"),
    ]
    relaxed = AcademicPolicy(curriculum=CurriculumRules(min_discipline_credits=2))
    assert check_curriculum(plan, relaxed) == []


def test_a_discipline_is_studied_in_one_semester_only():
    plan = bachelor()
    plan[1][0] = DisciplineLine("D10", 5, "general", "compulsory")
    assert codes(check_curriculum(plan)) == [("duplicate_discipline", "error", 2, "D10")]


def test_missing_cycle_and_component():
    plan = [[DisciplineLine(f"S{s}D{i}", 5, "general", "compulsory") for i in range(6)] for s in range(1, 9)]
    plan[-1][-1] = DisciplineLine("FA", 5, "general", "compulsory", "final_attestation")
    assert [p.code for p in check_curriculum(plan)] == [
        "missing_cycle",
        "missing_cycle",
        "missing_component",
        "missing_component",
    ]
    with translation.override("en"):
        assert "major" in check_curriculum(plan)[1].message


def test_final_attestation_is_required_and_comes_last():
    plan = bachelor()
    plan[-1][-1] = DisciplineLine("D85", 5, "major", "elective")
    assert codes(check_curriculum(plan)) == [("no_final_attestation", "error", None, None)]
    plan = bachelor()
    plan[-1][-1] = DisciplineLine("D85", 5, "major", "elective")
    plan[6][-1] = DisciplineLine("FA", 5, "major", "compulsory", "final_attestation")
    assert codes(check_curriculum(plan)) == [("final_attestation_not_last", "error", 7, "FA")]


def test_empty_semester_and_empty_curriculum():
    plan = bachelor()
    plan.insert(3, [])
    problems = codes(check_curriculum(plan))
    assert ("empty_semester", "error", 4, None) in problems
    assert codes(check_curriculum([])) == [("no_semesters", "error", None, None)]


def test_a_one_and_a_half_year_master_checks_the_last_half_year_per_semester():
    plan = bachelor(3)
    assert check_curriculum(plan, degree_total=90) == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("X", 0, "general", "compulsory"), "bad_credits"),
        (("X", -5, "general", "compulsory"), "bad_credits"),
        (("X", 5.0, "general", "compulsory"), "bad_credits"),
        (("", 5, "general", "compulsory"), "bad_discipline"),
        (("X", 5, "humanities", "compulsory"), "bad_discipline"),
        (("X", 5, "general", "optional"), "bad_discipline"),
        (("X", 5, "general", "compulsory", "oral"), "bad_discipline"),
    ],
)
def test_bad_curriculum_lines_are_refused(args, code):
    with pytest.raises(AcademicInputError) as caught:
        DisciplineLine(*args)
    assert caught.value.code == code


@pytest.mark.parametrize("total", [0, -240, "240", True])
def test_bad_degree_total_is_refused(total):
    with pytest.raises(AcademicInputError) as caught:
        check_curriculum(bachelor(), degree_total=total)
    assert caught.value.code == "bad_degree_total"
