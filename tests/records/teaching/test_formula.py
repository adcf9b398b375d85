"""The load formula per kind of work, at the edges of the size rules (pure: no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from records.academics.teaching_load import (
    DEFAULT_NORMS,
    Cohort,
    DisciplineInput,
    GroupCount,
    LoadNorms,
    annual_limit,
    cohort_lines,
    discipline_lines,
    streams,
)


def _discipline(control: str = "exam", credits: int = 5, **taught: int) -> DisciplineInput:
    return DisciplineInput(
        code="MAT1",
        name="Математика",
        credits=credits,
        control_form=control,
        hours=taught,
        term=1,
        curriculum_semester=3,
        curriculum_id=7,
        curriculum_number="РУП-2025-0007",
    )


def _by_kind(lines: list) -> dict[str, list]:
    result: dict[str, list] = {}
    for line in lines:
        result.setdefault(line.kind, []).append(line)
    return result


@pytest.mark.parametrize(
    ("students", "practical_groups", "subgroups"),
    [(1, 1, 1), (13, 1, 1), (14, 1, 2), (25, 1, 2), (26, 2, 2), (27, 2, 3), (50, 2, 4), (51, 3, 4)],
)
def test_practical_per_group_and_laboratory_per_subgroup_at_the_size_limits(
    students: int, practical_groups: int, subgroups: int
) -> None:
    """A group of 25 is one practical group, 26 are two (group_max 25); 13 make one lab subgroup, 14 two."""
    lines = _by_kind(
        discipline_lines(_discipline(practical=15, lab=30), [GroupCount("G1", students, "ru")], DEFAULT_NORMS)
    )
    (practical,) = lines["practical"]
    (laboratory,) = lines["laboratory"]
    assert (practical.units, practical.hours) == (practical_groups, Decimal(15 * practical_groups))
    assert (laboratory.units, laboratory.hours) == (subgroups, Decimal(30 * subgroups))
    assert practical.norm_item == "practical_per_hour" and laboratory.norm_item == "laboratory_per_hour"


def test_lecture_per_stream_packs_groups_of_one_language_up_to_the_stream_limit() -> None:
    """Lectures are counted once per stream: 60+40 fit in a stream of 100, a third group opens another;
    groups of another language never share a stream."""
    groups = [
        GroupCount("A", 60, "ru"),
        GroupCount("B", 40, "ru"),
        GroupCount("C", 1, "ru"),
        GroupCount("K", 30, "kk"),
    ]
    assert [[g.code for g in s] for s in streams(groups, 100)] == [["K"], ["A", "B"], ["C"]]
    lectures = _by_kind(discipline_lines(_discipline(lecture=30), groups, DEFAULT_NORMS))["lecture"]
    assert [(line.group_codes, line.students, line.hours) for line in lectures] == [
        (("K",), 30, Decimal(30)),
        (("A", "B"), 100, Decimal(30)),
        (("C",), 1, Decimal(30)),
    ]


def test_an_exam_gives_consultation_exam_per_student_and_two_midterms_per_student() -> None:
    lines = _by_kind(discipline_lines(_discipline(), [GroupCount("G1", 20, "ru")], DEFAULT_NORMS))
    assert lines["consultation"][0].hours == Decimal(2)
    assert lines["exam"][0].hours == Decimal("6.60")  # 20 × 0.33
    assert lines["midterm"][0].hours == Decimal("10.00")  # 20 × 2 × 0.25 (domain.md §2.9)
    assert "coursework" not in lines


def test_coursework_per_work_practice_per_student_week_final_attestation_per_student() -> None:
    group = [GroupCount("G1", 10, "ru")]
    coursework = _by_kind(discipline_lines(_discipline("coursework"), group, DEFAULT_NORMS))
    assert coursework["coursework"][0].hours == Decimal(30) and "exam" not in coursework
    practice = _by_kind(discipline_lines(_discipline("practice", credits=6), group, DEFAULT_NORMS))[
        "practice"
    ][0]
    assert practice.base == Decimal("40.00")  # 6 credits × 30 h / 45 h a week = 4 weeks × 10 students
    assert practice.hours == Decimal("20.00")  # × 0.5 h per student-week
    final = _by_kind(discipline_lines(_discipline("final_attestation"), group, DEFAULT_NORMS))
    assert (
        final["thesis_supervision"][0].hours,
        final["thesis_review"][0].hours,
        final["commission"][0].hours,
    ) == (
        Decimal(150),
        Decimal(20),
        Decimal(5),
    )


def test_master_and_doctoral_supervision_per_student_only_for_the_programme_department() -> None:
    cohort = Cohort("7M06102", "master", [GroupCount("M1", 8, "ru"), GroupCount("M2", 0, "ru")])
    (line,) = cohort_lines(cohort, DEFAULT_NORMS)
    assert (line.kind, line.group_codes, line.hours) == ("master_supervision", ("M1",), Decimal(240))
    assert cohort_lines(cohort, DEFAULT_NORMS, supervision=False) == []
    doctoral = Cohort("8D06102", "doctor", [GroupCount("D1", 2, "ru")])
    assert cohort_lines(doctoral, DEFAULT_NORMS)[0].hours == Decimal(100)


def test_the_norms_change_the_figures_and_an_empty_group_has_no_load() -> None:
    norms = LoadNorms(group_max=20, practical_per_hour=Decimal("1.5"), midterms=0)
    lines = _by_kind(discipline_lines(_discipline(practical=10), [GroupCount("G1", 21, "ru")], norms))
    assert lines["practical"][0].hours == Decimal(30)  # 2 groups × 10 h × 1.5
    assert "midterm" not in lines
    assert discipline_lines(_discipline(practical=10, lecture=10), [GroupCount("G0", 0, "ru")], norms) == []


def test_a_line_names_its_inputs() -> None:
    (line,) = [
        line
        for line in discipline_lines(_discipline(lab=15), [GroupCount("G1", 14, "ru")], DEFAULT_NORMS)
        if line.kind == "laboratory"
    ]
    assert line.key == "1:MAT1:laboratory:G1"
    assert (line.curriculum_number, line.curriculum_semester, line.students, line.units) == (
        "РУП-2025-0007",
        3,
        14,
        2,
    )
    assert (line.norm_item, line.norm_value, line.base) == ("laboratory_per_hour", Decimal(1), Decimal(30))


@pytest.mark.parametrize(
    ("kind", "rate", "contracted", "limit"),
    [
        ("staff", "1", None, "680.00"),
        ("staff", "0.5", None, "340.00"),
        ("internal_part_time", "0.25", None, "170.00"),
        ("hourly", "0", "120", "120.00"),
    ],
)
def test_the_annual_limit_is_680_hours_a_rate_or_the_contracted_hours(
    kind: str, rate: str, contracted: str | None, limit: str
) -> None:
    value = annual_limit(
        kind=kind,
        rate=Decimal(rate),
        contracted_hours=Decimal(contracted) if contracted else None,
        norms=DEFAULT_NORMS,
    )
    assert value == Decimal(limit)
