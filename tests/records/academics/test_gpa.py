"""GPA weighted by credits, per term and cumulative, with retake counting and FX treatment."""

from decimal import Decimal

import pytest

from records.academics.errors import AcademicInputError
from records.academics.gpa import CourseAttempt, Term, counting_attempts, gpa, gpa_by_term, term_gpa
from records.academics.policy import AcademicPolicy, GpaRules

T1 = Term(2024, 1)
T2 = Term(2024, 2)
SUMMER = Term(2024, 3)
T3 = Term(2025, 1)
FX_HALF = AcademicPolicy(gpa=GpaRules(fx_points=Decimal("0.5")))


def attempt(code, credits, points, letter, term=T1, **extra):
    return CourseAttempt(code, credits, Decimal(points), letter, term, **extra)


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [
        # domain.md §1.4 worked example: 4.0×3 + 3.0×2 + 0.0×3 = 18 / 8 = 2.25
        ([attempt("A1", 3, "4.0", "A"), attempt("B1", 2, "3.0", "B"), attempt("F1", 3, "0", "F")], "2.25"),
        # 4×5 + 3.33×5 + 2×6 = 48.65 / 16 = 3.040625 -> 3.04
        ([attempt("X", 5, "4.0", "A"), attempt("Y", 5, "3.33", "B+"), attempt("Z", 6, "2.0", "C")], "3.04"),
        # (3.33 + 3.0) / 2 = 3.165 -> 3.17 half up (banker's rounding would give 3.16)
        ([attempt("X", 5, "3.33", "B+"), attempt("Y", 5, "3.0", "B")], "3.17"),
        # (3.67×5 + 2.33×6) / 11 = 32.33 / 11 = 2.93909... -> 2.94
        ([attempt("X", 5, "3.67", "A-"), attempt("Y", 6, "2.33", "C+")], "2.94"),
        ([attempt("X", 5, "4.0", "A")], "4.00"),
        ([attempt("X", 5, "0", "F")], "0.00"),
    ],
)
def test_gpa_is_weighted_by_credits_and_rounded_half_up(attempts, expected):
    result = gpa(attempts)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_no_credits_gives_none():
    assert gpa([]) is None
    assert gpa([attempt("PE", 2, "4.0", "A", counts_in_gpa=False)]) is None


def test_attempts_outside_gpa_do_not_count():
    attempts = [attempt("X", 5, "2.0", "C"), attempt("PE", 2, "4.0", "A", counts_in_gpa=False)]
    assert gpa(attempts) == Decimal("2.00")


@pytest.mark.parametrize(("policy", "expected"), [(AcademicPolicy(), "2.00"), (FX_HALF, "2.25")])
def test_fx_counts_for_the_policy_points(policy, expected):
    # FX attempt recorded with the scale's 0.5; the policy decides what it counts for
    attempts = [attempt("X", 5, "0.5", "FX"), attempt("Y", 5, "4.0", "A")]
    assert gpa(attempts, policy) == Decimal(expected)


F_THEN_C = [
    attempt("ALG", 5, "4.0", "A", T1),
    attempt("HIS", 5, "0", "F", T1),
    attempt("HIS", 5, "2.0", "C", T2, is_retake=True),
]
B_THEN_C = [
    attempt("ALG", 5, "4.0", "A", T1),
    attempt("HIS", 5, "3.0", "B", T1),
    attempt("HIS", 5, "2.0", "C", T3, is_retake=True),
]


@pytest.mark.parametrize(
    ("attempts", "counting", "expected"),
    [
        (F_THEN_C, "last", "3.00"),  # (20 + 10) / 10
        (F_THEN_C, "best", "3.00"),
        (F_THEN_C, "all", "2.00"),  # (20 + 0 + 10) / 15
        (B_THEN_C, "last", "3.00"),  # (20 + 10) / 10: the later, worse grade counts
        (B_THEN_C, "best", "3.50"),  # (20 + 15) / 10
        (B_THEN_C, "all", "3.00"),  # (20 + 15 + 10) / 15
    ],
)
def test_retake_counting(attempts, counting, expected):
    assert gpa(attempts, counting=counting) == Decimal(expected)


def test_counting_rule_defaults_to_the_policy():
    assert gpa(B_THEN_C) == Decimal("3.00")
    best = AcademicPolicy(gpa=GpaRules(retake_counting="best"))
    assert gpa(B_THEN_C, best) == Decimal("3.50")


def test_fx_retake_within_the_same_term_replaces_the_fx():
    attempts = [attempt("HIS", 5, "0.5", "FX", T1), attempt("HIS", 5, "2.67", "B-", T1, is_retake=True)]
    assert gpa(attempts) == Decimal("2.67")
    assert term_gpa(attempts, T1) == Decimal("2.67")
    # input order does not matter: the retake comes after the first attempt of the same term
    assert gpa(list(reversed(attempts))) == Decimal("2.67")


def test_last_attempt_is_by_term_not_input_order():
    attempts = [attempt("HIS", 5, "2.0", "C", T2, is_retake=True), attempt("HIS", 5, "0", "F", T1)]
    assert [a.letter for a in counting_attempts(attempts)] == ["C"]


def test_best_prefers_the_later_attempt_on_equal_points():
    attempts = [attempt("HIS", 5, "3.0", "B", T1), attempt("HIS", 6, "3.0", "B", T2, is_retake=True)]
    assert counting_attempts(attempts, counting="best")[0].term == T2


def test_cumulative_gpa_up_to_a_term():
    assert gpa(F_THEN_C, up_to=T1) == Decimal("2.00")  # A and F
    assert gpa(F_THEN_C, up_to=T2) == Decimal("3.00")  # the C replaced the F


def test_gpa_by_term_gives_term_and_cumulative_values():
    attempts = [*F_THEN_C, attempt("PHY", 5, "3.33", "B+", SUMMER), attempt("BIO", 6, "2.67", "B-", T3)]
    rows = gpa_by_term(attempts)
    assert [
        (str(r.term), r.term_gpa, r.term_credits, r.cumulative_gpa, r.cumulative_credits) for r in rows
    ] == [
        ("2024/2025-1", Decimal("2.00"), 10, Decimal("2.00"), 10),
        ("2024/2025-2", Decimal("2.00"), 5, Decimal("3.00"), 10),
        # summer term: (20 + 10 + 16.65) / 15 = 3.11
        ("2024/2025-3", Decimal("3.33"), 5, Decimal("3.11"), 15),
        # (20 + 10 + 16.65 + 16.02) / 21 = 62.67 / 21 = 2.984... -> 2.98
        ("2025/2026-1", Decimal("2.67"), 6, Decimal("2.98"), 21),
    ]


def test_term_gpa_of_a_term_without_attempts_is_none():
    assert term_gpa(F_THEN_C, T3) is None


def test_three_places_when_the_policy_says_so():
    policy = AcademicPolicy(gpa=GpaRules(places=3))
    assert gpa([attempt("X", 5, "3.33", "B+"), attempt("Y", 5, "3.0", "B")], policy) == Decimal("3.165")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"credits": 0}, "bad_credits"),
        ({"credits": -5}, "bad_credits"),
        ({"credits": 5.0}, "bad_credits"),
        ({"credits": True}, "bad_credits"),
        ({"points": Decimal(-1)}, "bad_points"),
        ({"points": "abc"}, "not_a_number"),
        ({"discipline_code": " "}, "bad_attempt"),
    ],
)
def test_bad_attempts_are_refused(kwargs, code):
    values = {"discipline_code": "X", "credits": 5, "points": Decimal(4), "letter": "A", "term": T1} | kwargs
    with pytest.raises(AcademicInputError) as caught:
        CourseAttempt(**values)
    assert caught.value.code == code


@pytest.mark.parametrize(("year", "period"), [(2024, 0), (2024, 4), (1800, 1)])
def test_bad_terms_are_refused(year, period):
    with pytest.raises(AcademicInputError) as caught:
        Term(year, period)
    assert caught.value.code == "bad_term"
