"""The rating formula: admission rating, admission threshold modes, exam pass threshold, final grade."""

from decimal import Decimal

import pytest
from django.utils import translation

from records.academics.errors import AcademicInputError
from records.academics.policy import AcademicPolicy, RatingRules
from records.academics.rating import admission_cutoff, admission_rating, final_result
from records.academics.rounding import round_half_up

EACH = AcademicPolicy(rating=RatingRules(admission_mode="each"))
HALF_HALF = AcademicPolicy(rating=RatingRules(admission_weight=Decimal("0.5"), exam_weight=Decimal("0.5")))
ONE_PLACE = AcademicPolicy(rating=RatingRules(percent_places=1))


@pytest.mark.parametrize(
    ("r1", "r2", "exam", "admission", "final", "letter"),
    [
        # final = 0.6 · (R1+R2)/2 + 0.4 · exam, rounded half up to a whole percent
        (50, 50, 50, "50", "50", "D"),
        (100, 100, 100, "100", "100", "A"),
        (60, 40, 70, "50", "58", "D+"),  # 30 + 28
        (90, 90, 50, "90", "74", "C+"),  # 54 + 20: a bare pass of the exam
        (80, 100, 95, "90", "92", "A-"),  # 54 + 38
        (94, 94, 95, "94", "94", "A-"),  # 56.4 + 38 = 94.4 -> 94
        (95, 95, 94, "95", "95", "A"),  # 57 + 37.6 = 94.6 -> 95
        (85, 86, 77, "86", "82", "B"),  # AR 85.5 -> 86; 51.6 + 30.8 = 82.4 -> 82
        (49, 50, 80, "50", "62", "C-"),  # AR 49.5 -> 50: admitted; 30 + 32
        (Decimal("70.4"), Decimal("70.4"), Decimal("69.6"), "70", "70", "C+"),  # scores taken as whole points
    ],
)
def test_final_percent_and_grade(r1, r2, exam, admission, final, letter):
    result = final_result(r1, r2, exam)
    assert result.admitted
    assert result.admission_rating == Decimal(admission)
    assert result.final_percent == Decimal(final)
    assert result.grade is not None and result.grade.letter == letter
    assert not result.exam_failed
    assert result.not_admitted_reason is None


@pytest.mark.parametrize(
    ("exam", "letter"),
    [(49, "FX"), (25, "FX"), (24, "F"), (0, "F"), (Decimal("49.4"), "FX")],
)
def test_exam_below_pass_threshold_fails_whatever_the_ratings(exam, letter):
    result = final_result(100, 100, exam)
    assert result.admitted
    assert result.exam_failed
    assert result.grade is not None and result.grade.letter == letter
    assert result.final_percent == result.exam


def test_exam_at_49_5_rounds_to_a_pass():
    result = final_result(90, 90, Decimal("49.5"))
    assert not result.exam_failed
    assert result.final_percent == 74


def test_positive_exam_with_low_weighted_total_can_still_be_fx_under_a_lower_exam_threshold():
    policy = AcademicPolicy(rating=RatingRules(exam_pass_threshold=Decimal(40)))
    result = final_result(50, 50, 40, policy)  # 30 + 16 = 46
    assert not result.exam_failed
    assert result.grade is not None and result.grade.letter == "FX"


@pytest.mark.parametrize(
    ("policy", "r1", "r2", "admitted", "codes"),
    [
        pytest.param(AcademicPolicy(), 50, 50, True, [], id="average-50"),
        pytest.param(AcademicPolicy(), 60, 40, True, [], id="average-60-40"),
        pytest.param(AcademicPolicy(), 49, 49, False, ["admission_rating_below_threshold"], id="average-49"),
        pytest.param(AcademicPolicy(), 48, 51, True, [], id="average-49.5-rounds-up"),
        pytest.param(AcademicPolicy(), 47, 51, False, ["admission_rating_below_threshold"], id="average-49"),
        pytest.param(AcademicPolicy(), 0, 0, False, ["admission_rating_below_threshold"], id="average-0"),
        pytest.param(EACH, 50, 50, True, [], id="each-50-50"),
        pytest.param(EACH, 60, 40, False, ["rating2_below_threshold"], id="each-60-40"),
        pytest.param(EACH, 49, 90, False, ["rating1_below_threshold"], id="each-49-90"),
        pytest.param(
            EACH, 40, 40, False, ["rating1_below_threshold", "rating2_below_threshold"], id="each-both-below"
        ),
        pytest.param(ONE_PLACE, 49, 50, False, ["admission_rating_below_threshold"], id="one-place-49.5"),
        pytest.param(ONE_PLACE, Decimal("49.96"), 50, True, [], id="one-place-49.96-rounds-to-50.0"),
    ],
)
def test_admission_threshold_modes(policy, r1, r2, admitted, codes):
    result = final_result(r1, r2, None, policy)
    assert result.admitted is admitted
    assert [reason.code for reason in result.not_admitted_reasons] == codes
    if not admitted:
        assert result.grade is None and result.final_percent is None and result.exam is None
        assert not result.absent


def test_not_admitted_reason_message_names_the_values():
    result = final_result(40, 50, None)
    with translation.override("en"):
        assert result.not_admitted_reason is not None
        assert result.not_admitted_reason.message == "The admission rating is 45, below the threshold of 50."


def test_prerequisite_debt_bars_admission_and_every_reason_is_listed():
    result = final_result(40, 50, None, prerequisite_debts=["MATH1101", "PHYS1102"])
    assert not result.admitted
    assert [r.code for r in result.not_admitted_reasons] == [
        "admission_rating_below_threshold",
        "prerequisite_debt",
        "prerequisite_debt",
    ]
    with translation.override("en"):
        assert "PHYS1102" in result.not_admitted_reasons[2].message


def test_exam_score_for_a_student_not_admitted_is_an_error():
    with pytest.raises(AcademicInputError) as caught:
        final_result(30, 30, 90)
    assert caught.value.code == "exam_without_admission"


def test_admitted_student_without_exam_score_is_absent_and_has_no_grade():
    result = final_result(70, 80, None)
    assert result.admitted and result.absent
    assert result.grade is None and result.final_percent is None


def test_weights_come_from_the_policy():
    result = final_result(80, 80, 60, HALF_HALF)  # 40 + 30
    assert result.final_percent == 70
    assert (
        admission_rating(
            80,
            60,
            AcademicPolicy(
                rating=RatingRules(rating1_weight=Decimal("0.25"), rating2_weight=Decimal("0.75"))
            ),
        )
        == 65
    )


def test_one_decimal_place_keeps_tenths():
    result = final_result(Decimal("80.5"), 81, Decimal("77.3"), ONE_PLACE)
    assert result.admission_rating == Decimal("80.8")  # 80.75 -> 80.8
    assert result.final_percent == Decimal("79.4")  # 48.48 + 30.92 = 79.40
    assert result.grade is not None and result.grade.letter == "B-"


@pytest.mark.parametrize(
    ("r1", "r2", "exam", "name"),
    [
        (-1, 50, 50, "rating 1"),
        (50, 101, 50, "rating 2"),
        (50, 50, Decimal("100.5"), "exam"),
        ("x", 50, 50, "rating 1"),
        (50, None, 50, "rating 2"),
    ],
)
def test_scores_out_of_range_are_refused_naming_the_score(r1, r2, exam, name):
    with pytest.raises(AcademicInputError) as caught:
        final_result(r1, r2, exam)
    assert name in caught.value.message
    assert caught.value.code in {"score_out_of_range", "not_a_number"}


@pytest.mark.parametrize(
    ("places", "threshold", "cutoff"),
    [(0, "50", "49.5"), (1, "50", "49.95"), (2, "50", "49.995"), (0, "50.5", "50.5"), (1, "50.25", "50.25"),
     (0, "0", "-0.5")],
)  # fmt: skip
def test_the_admission_cutoff_admits_exactly_what_rounding_then_comparing_admits(
    places: int, threshold: str, cutoff: str
) -> None:
    """x below the cutoff ⇔ x rounded half up to the policy's places below the threshold, for every x
    on a grid finer than the places (the monitoring counts refusals with the cutoff)."""
    policy = AcademicPolicy(rating=RatingRules(percent_places=places, admission_threshold=Decimal(threshold)))
    assert admission_cutoff(policy) == Decimal(cutoff)
    step = Decimal(1).scaleb(-places - 2)
    for n in range(-300, 301):
        x = Decimal(threshold) + n * step
        if x >= 0:
            assert (x < admission_cutoff(policy)) == (round_half_up(x, places) < Decimal(threshold)), x
