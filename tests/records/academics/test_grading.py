"""The letter scale at every band edge, and the rounding of fractional percents before banding."""

from decimal import Decimal

import pytest

from records.academics.errors import AcademicInputError
from records.academics.grading import (
    banding_percent,
    failing_grade_for_exam,
    grade_for_letter,
    grade_for_percent,
)
from records.academics.policy import AcademicPolicy, RatingRules

EDGES = [
    # percent, letter, points, traditional (ru), 5-point mark
    (0, "F", "0", "неудовлетворительно", 2),
    (24, "F", "0", "неудовлетворительно", 2),
    (25, "FX", "0.5", "неудовлетворительно", 2),
    (49, "FX", "0.5", "неудовлетворительно", 2),
    (50, "D", "1.0", "удовлетворительно", 3),
    (54, "D", "1.0", "удовлетворительно", 3),
    (55, "D+", "1.33", "удовлетворительно", 3),
    (59, "D+", "1.33", "удовлетворительно", 3),
    (60, "C-", "1.67", "удовлетворительно", 3),
    (64, "C-", "1.67", "удовлетворительно", 3),
    (65, "C", "2.0", "удовлетворительно", 3),
    (69, "C", "2.0", "удовлетворительно", 3),
    (70, "C+", "2.33", "хорошо", 4),
    (74, "C+", "2.33", "хорошо", 4),
    (75, "B-", "2.67", "хорошо", 4),
    (79, "B-", "2.67", "хорошо", 4),
    (80, "B", "3.0", "хорошо", 4),
    (84, "B", "3.0", "хорошо", 4),
    (85, "B+", "3.33", "хорошо", 4),
    (89, "B+", "3.33", "хорошо", 4),
    (90, "A-", "3.67", "отлично", 5),
    (94, "A-", "3.67", "отлично", 5),
    (95, "A", "4.0", "отлично", 5),
    (100, "A", "4.0", "отлично", 5),
]


@pytest.mark.parametrize(("percent", "letter", "points", "traditional", "mark"), EDGES)
def test_every_band_edge_gets_its_letter_points_and_traditional_grade(
    percent, letter, points, traditional, mark
):
    grade = grade_for_percent(percent)
    assert grade.letter == letter
    assert grade.points == Decimal(points)
    assert grade.traditional.ru == traditional
    assert grade.traditional_mark == mark
    assert grade.is_positive == (percent >= 50)


@pytest.mark.parametrize(
    ("percent", "letter"),
    [
        (Decimal("24.49"), "F"),
        (Decimal("24.5"), "FX"),
        (Decimal("49.49"), "FX"),
        (Decimal("49.5"), "D"),
        (Decimal("94.49"), "A-"),
        (Decimal("94.5"), "A"),
        (Decimal("94.50"), "A"),
        (94.5, "A"),  # a float is taken by its decimal text, not its binary neighbour
        ("74.5", "B-"),
        (Decimal("99.99"), "A"),
        (Decimal("0.4"), "F"),
    ],
)
def test_fractional_percent_is_rounded_half_up_before_banding(percent, letter):
    assert grade_for_percent(percent).letter == letter


def test_rounding_to_whole_percent_is_independent_of_display_places():
    policy = AcademicPolicy(rating=RatingRules(percent_places=1))
    assert grade_for_percent(Decimal("94.5"), policy).letter == "A"
    assert banding_percent(Decimal("94.5")) == 95
    assert banding_percent(Decimal("94.4999")) == 94


def test_every_whole_percent_has_exactly_one_grade_and_points_never_fall():
    previous = Decimal(-1)
    for percent in range(101):
        points = grade_for_percent(percent).points
        assert points >= previous
        previous = points


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (-1, "score_out_of_range"),
        (Decimal("-0.01"), "score_out_of_range"),
        (Decimal("100.01"), "score_out_of_range"),
        (101, "score_out_of_range"),
        ("abc", "not_a_number"),
        (None, "not_a_number"),
        (True, "not_a_number"),
        (float("nan"), "not_a_number"),
        (Decimal("Infinity"), "not_a_number"),
        ([50], "not_a_number"),
    ],
)
def test_percent_outside_0_100_or_not_a_number_is_refused(value, code):
    with pytest.raises(AcademicInputError) as caught:
        grade_for_percent(value)
    assert caught.value.code == code
    assert "percent" in caught.value.message


def test_grade_for_letter_and_unknown_letter():
    assert grade_for_letter("B+").points == Decimal("3.33")
    with pytest.raises(AcademicInputError, match="E is not in the grading scale") as caught:
        grade_for_letter("E")
    assert caught.value.code == "unknown_letter"


@pytest.mark.parametrize(
    ("exam", "letter"), [(0, "F"), (24, "F"), (25, "FX"), (49, "FX"), (55, "FX"), (59, "FX")]
)
def test_failed_exam_is_fx_or_f_even_when_the_pass_threshold_is_above_the_d_band(exam, letter):
    policy = AcademicPolicy(rating=RatingRules(exam_pass_threshold=Decimal(60)))
    assert failing_grade_for_exam(Decimal(exam), policy).letter == letter
