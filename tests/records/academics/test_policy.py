"""The academic policy schema: defaults from domain.md and validation of a university's own policy."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from records.academics.policy import (
    DEFAULT_GRADING_SCALE,
    AcademicPolicy,
    GpaRules,
    GradeBand,
    HonoursRules,
    RatingRules,
    ScholarshipRules,
)


def band(letter, points, low, high, category="satisfactory"):
    return GradeBand(
        letter=letter,
        points=Decimal(points),
        percent_low=low,
        percent_high=high,
        category=category,
        traditional=DEFAULT_GRADING_SCALE[0].traditional,
        traditional_mark=3,
    )


def replace_band(which, **changes):
    rows = []
    for row in DEFAULT_GRADING_SCALE:
        data = row.model_dump()
        if row.letter == which:
            data.update(changes)
        rows.append(GradeBand(**data))
    return rows


def test_defaults_follow_domain_reference():
    policy = AcademicPolicy()
    assert [b.letter for b in policy.grading_scale] == [
        "A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "FX", "F",
    ]  # fmt: skip
    assert policy.rating.admission_weight == Decimal("0.6")
    assert policy.rating.exam_weight == Decimal("0.4")
    assert policy.rating.admission_threshold == 50
    assert policy.rating.admission_mode == "average"
    assert policy.rating.exam_pass_threshold == 50
    assert policy.gpa.fx_points == 0
    assert policy.honours.min_gpa == Decimal("3.5")
    assert policy.honours.allowed_letters == ("A", "A-", "B+", "B", "B-", "C+")
    assert policy.honours.final_attestation_letters == ("A", "A-")
    assert policy.progression.threshold("bachelor", 1) == Decimal("1.80")
    assert policy.progression.threshold("bachelor", 9) is None
    assert policy.curriculum.credits_per_year == 60
    assert policy.band("C+").traditional.ru == "хорошо"
    assert policy.band("C").traditional.get("kk") == "қанағаттанарлық"
    assert policy.band("A").traditional.get("en-us") == "Excellent"


def test_policy_round_trips_through_json_as_a_document_schema():
    policy = AcademicPolicy(rating=RatingRules(admission_mode="each"), gpa=GpaRules(fx_points=Decimal("0.5")))
    assert AcademicPolicy.model_validate_json(policy.model_dump_json()) == policy


def test_policy_is_frozen():
    policy = AcademicPolicy()
    with pytest.raises(ValidationError):
        policy.rating = RatingRules()  # type: ignore[misc]


def test_scale_order_is_normalised_to_highest_first():
    policy = AcademicPolicy(grading_scale=tuple(reversed(DEFAULT_GRADING_SCALE)))
    assert policy.grading_scale[0].letter == "A"


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        pytest.param(
            {"grading_scale": [b for b in DEFAULT_GRADING_SCALE if b.letter != "FX"]}, "Gap", id="gap"
        ),
        pytest.param({"grading_scale": replace_band("D", percent_high=55)}, "overlap", id="overlap"),
        pytest.param({"grading_scale": replace_band("F", percent_low=1)}, "start at 0", id="not-from-0"),
        pytest.param({"grading_scale": replace_band("A", percent_high=99)}, "end at 100", id="not-to-100"),
        pytest.param({"grading_scale": replace_band("A-", letter="A")}, "twice", id="duplicate-letter"),
        pytest.param(
            {"grading_scale": replace_band("B", points=Decimal("3.5"))}, "fewer points", id="points-fall"
        ),
        pytest.param({"grading_scale": [band("P", "1", 0, 100)]}, "at least two", id="one-band"),
        pytest.param(
            {"grading_scale": [band("P", "1", 50, 100), band("N", "0", 0, 49)]},
            "unsatisfactory",
            id="no-failing-grade",
        ),
        pytest.param(
            {"rating": {"admission_weight": "0.6", "exam_weight": "0.5"}}, "must sum to 1", id="weights-1.1"
        ),
        pytest.param(
            {"rating": {"admission_weight": "0.5", "exam_weight": "0.4"}}, "must sum to 1", id="weights-0.9"
        ),
        pytest.param({"rating": {"rating1_weight": "0.7"}}, "must sum to 1", id="rating-weights"),
        pytest.param({"rating": {"admission_threshold": 101}}, "less than or equal", id="threshold-101"),
        pytest.param({"honours": {"allowed_letters": ["A", "Z"]}}, "not in the scale", id="unknown-letter"),
        pytest.param({"honours": {"final_attestation_letters": []}}, "at least one", id="no-letters"),
        pytest.param({"gpa": {"fx_letter": "E"}}, "not in the scale", id="unknown-fx-letter"),
        pytest.param(
            {"scholarship": {"qualifying_letters": ["B"], "increased_letters": ["A"]}},
            "qualifying letters too",
            id="increased-not-qualifying",
        ),
        pytest.param(
            {
                "progression": {
                    "transfer_thresholds": [
                        {"level": "bachelor", "year_of_study": 1, "min_gpa": "1.8"},
                        {"level": "bachelor", "year_of_study": 1, "min_gpa": "2"},
                    ]
                }
            },
            "Two transfer thresholds",
            id="duplicate-threshold",
        ),
        pytest.param({"unknown": 1}, "Extra inputs", id="unknown-field"),
    ],
)
def test_invalid_policy_is_refused_with_a_clear_message(changes, fragment):
    with pytest.raises(ValidationError) as caught:
        AcademicPolicy.model_validate(changes)
    assert fragment in str(caught.value)


def test_gap_message_names_the_missing_band():
    with pytest.raises(ValidationError) as caught:
        AcademicPolicy(grading_scale=tuple(b for b in DEFAULT_GRADING_SCALE if b.letter != "FX"))
    assert "25-49" in str(caught.value)


def test_band_starting_above_its_end_is_refused():
    with pytest.raises(ValidationError, match="above its end"):
        band("X", "1", 60, 50)


def test_a_different_valid_scale_is_accepted():
    policy = AcademicPolicy(
        grading_scale=(
            band("P", "4", 50, 100, "good"),
            band("FX", "0", 25, 49, "unsatisfactory"),
            band("F", "0", 0, 24, "unsatisfactory"),
        ),
        honours=HonoursRules(allowed_letters=("P",), final_attestation_letters=("P",)),
        scholarship=ScholarshipRules(qualifying_letters=("P",), increased_letters=("P",)),
    )
    assert len(policy.grading_scale) == 3
