"""Current-control rules at their edges: term weeks, halves, ТК/РК/Р, absences, attendance, tokens."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from records.academics.errors import AcademicInputError
from records.academics.policy import DEFAULT_POLICY, AcademicPolicy, JournalRules
from records.journal.cells import format_cell, parse_cell
from records.journal.rating import Cell, ClassInfo, check_class_date, half_rating, student_ratings, term_weeks

P, A, E = "present", "absent", "excused"


def test_term_weeks_autumn_and_spring_and_their_halves() -> None:
    autumn = term_weeks(2024, 1, DEFAULT_POLICY)
    assert (autumn.start, autumn.end) == (dt.date(2024, 9, 1), dt.date(2024, 12, 14))
    assert autumn.first_half_end == dt.date(2024, 10, 19)  # week 7 ends
    assert autumn.half(dt.date(2024, 10, 19)) == 1 and autumn.half(dt.date(2024, 10, 20)) == 2
    spring = term_weeks(2024, 2, DEFAULT_POLICY)
    assert spring.start == dt.date(2025, 1, 12)


@pytest.mark.parametrize(
    ("date", "inside"),
    [
        (dt.date(2024, 8, 31), False),
        (dt.date(2024, 9, 1), True),
        (dt.date(2024, 12, 14), True),
        (dt.date(2024, 12, 15), False),
    ],
)
def test_a_class_date_must_lie_in_the_term(date: dt.date, inside: bool) -> None:
    weeks = term_weeks(2024, 1, DEFAULT_POLICY)
    if inside:
        check_class_date(date, weeks)
    else:
        with pytest.raises(AcademicInputError) as caught:
            check_class_date(date, weeks)
        assert caught.value.code == "date_outside_term"


def test_summer_term_keeps_no_journal() -> None:
    with pytest.raises(AcademicInputError):
        term_weeks(2024, 3, DEFAULT_POLICY)


def classes(*flags: tuple[int, bool, bool]) -> list[ClassInfo]:
    return [ClassInfo(half, midterm, graded) for half, midterm, graded in flags]


def test_rating_is_half_current_half_midterm_and_rounds_half_up() -> None:
    infos = classes((1, False, True), (1, False, True), (1, True, True))
    cells = [Cell(P, Decimal(80)), Cell(P, Decimal(91)), Cell(P, Decimal(70))]
    half = half_rating(infos, cells, 1, DEFAULT_POLICY)
    assert (half.current, half.midterm, half.rating) == (Decimal(86), Decimal(70), Decimal(78))  # 85.5→86


def test_an_unexcused_absence_at_a_graded_class_counts_zero_and_an_excused_one_does_not() -> None:
    infos = classes((1, False, True), (1, False, True), (1, False, False), (1, True, True))
    unexcused = [Cell(P, Decimal(90)), Cell(A), Cell(A), Cell(P, Decimal(60))]
    excused = [Cell(P, Decimal(90)), Cell(E), Cell(A), Cell(P, Decimal(60))]
    assert half_rating(infos, unexcused, 1, DEFAULT_POLICY).current == Decimal(
        45
    )  # the lecture's "н" is no mark
    assert half_rating(infos, excused, 1, DEFAULT_POLICY).current == Decimal(90)
    lenient = AcademicPolicy(journal=JournalRules(absence_counts_as_zero=False))
    assert half_rating(infos, unexcused, 1, lenient).current == Decimal(90)


def test_no_marks_and_a_missed_midterm_give_zero() -> None:
    infos = classes((2, False, False), (2, True, True))
    ratings = student_ratings(infos, [Cell(), Cell(A)], DEFAULT_POLICY)
    assert ratings.second.rating == 0 and ratings.first.rating == 0 and ratings.admission == 0
    assert ratings.attendance_percent == 0


def test_admission_rating_and_attendance_over_both_halves() -> None:
    infos = classes((1, False, True), (1, True, True), (2, False, True), (2, True, True), (2, False, False))
    cells = [
        Cell(P, Decimal(100)),
        Cell(P, Decimal(100)),
        Cell(P, Decimal(50)),
        Cell(P, Decimal(51)),
        Cell(E),
    ]
    ratings = student_ratings(infos, cells, DEFAULT_POLICY)
    assert (ratings.first.rating, ratings.second.rating, ratings.admission) == (
        100,
        51,
        76,
    )  # 50.5→51; 75.5→76
    assert (ratings.present, ratings.absent, ratings.excused, ratings.attendance_percent) == (4, 0, 1, 80)
    assert student_ratings([], [], DEFAULT_POLICY).attendance_percent is None


@pytest.mark.parametrize(
    ("typed", "cell"),
    [
        ("", Cell()),
        ("+", Cell(P)),
        ("Н", Cell(A)),
        ("у", Cell(E)),
        ("0", Cell(P, Decimal(0))),
        ("100", Cell(P, Decimal(100))),
        ("87,5", Cell(P, Decimal("87.5"))),
    ],
)
def test_tokens(typed: str, cell: Cell) -> None:
    assert parse_cell(typed, DEFAULT_POLICY) == cell
    assert parse_cell(format_cell(cell), DEFAULT_POLICY) == cell


@pytest.mark.parametrize(
    ("typed", "code"),
    [("101", "mark_out_of_range"), ("-1", "mark_out_of_range"), ("x", "bad_cell"), ("nan", "bad_cell")],
)
def test_bad_tokens_are_refused(typed: str, code: str) -> None:
    with pytest.raises(AcademicInputError) as caught:
        parse_cell(typed, DEFAULT_POLICY)
    assert caught.value.code == code


def test_policy_refuses_weights_that_do_not_sum_to_one_and_a_midterm_after_the_term() -> None:
    with pytest.raises(ValueError):
        JournalRules(current_weight=Decimal("0.6"), midterm_weight=Decimal("0.6"))
    with pytest.raises(ValueError):
        JournalRules(term_weeks=10, midterm_week=10)
    with pytest.raises(ValueError):
        JournalRules(autumn_start="13-01")
