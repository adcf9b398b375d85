"""Transfer to the next year by GPA threshold (Abai KazNPU 2023/24 defaults) and open debts."""

from decimal import Decimal

import pytest
from django.utils import translation

from records.academics.errors import AcademicInputError
from records.academics.policy import AcademicPolicy, ProgressionRules, TransferThreshold
from records.academics.progression import may_move_to_next_year


@pytest.mark.parametrize(
    ("level", "year", "gpa", "ok"),
    [
        ("bachelor", 1, "1.80", True),
        ("bachelor", 1, "1.79", False),
        ("bachelor", 2, "2.00", True),
        ("bachelor", 2, "1.99", False),
        ("bachelor", 3, "2.10", True),
        ("bachelor", 3, "2.09", False),
        ("bachelor", 4, "2.20", True),
        ("bachelor", 4, "2.19", False),
        ("master", 1, "2.30", True),
        ("master", 1, "2.29", False),
        ("doctoral", 1, "2.33", True),
        ("doctoral", 2, "2.66", False),
        ("doctoral", 2, "4.00", True),
    ],
)
def test_gpa_threshold_per_level_and_year(level, year, gpa, ok):
    decision = may_move_to_next_year(year, Decimal(gpa), level=level)
    assert decision.ok is ok
    assert decision.codes == (["gpa_meets_threshold"] if ok else ["gpa_below_threshold"])


def test_refusal_message_names_gpa_threshold_and_year():
    decision = may_move_to_next_year(2, Decimal("1.95"))
    with translation.override("en"):
        assert decision.messages == ["GPA 1.95 is below 2.00, the minimum to leave year 2."]


def test_no_gpa_and_open_debts_are_each_a_reason():
    decision = may_move_to_next_year(1, None, open_debts=["HIS1101", "MAT1102"])
    assert not decision.ok
    assert decision.codes == ["no_gpa", "academic_debt", "academic_debt"]
    decision = may_move_to_next_year(1, Decimal("3.9"), open_debts=["HIS1101"])
    assert not decision.ok and decision.codes == ["academic_debt"]


def test_thresholds_come_from_the_policy():
    policy = AcademicPolicy(
        progression=ProgressionRules(
            transfer_thresholds=(
                TransferThreshold(level="bachelor", year_of_study=1, min_gpa=Decimal("2.5")),
            )
        )
    )
    assert not may_move_to_next_year(1, Decimal("2.4"), policy).ok


@pytest.mark.parametrize(
    ("year", "level", "code"),
    [
        (5, "bachelor", "no_transfer_threshold"),
        (1, "residency", "no_transfer_threshold"),
        (0, "bachelor", "bad_year_of_study"),
    ],
)
def test_a_year_without_threshold_is_an_error(year, level, code):
    with pytest.raises(AcademicInputError) as caught:
        may_move_to_next_year(year, Decimal(3), level=level)
    assert caught.value.code == code
