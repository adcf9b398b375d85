"""Academic debt: the disciplines of a student's working curriculum without a positive grade that counts.

Used where the rules need a complete record: admission to the final attestation (an order refused
while a debt remains) and the diploma (a graduate without a complete transcript blocks the batch).
Disciplines whose final control is the final attestation itself are left out: they are what the
admission opens.
"""

from __future__ import annotations

from typing import Any

from records.lifecycle import State
from records.models import Document, Person
from records.models.academic import GradeLine


def curriculum_disciplines(programme_code: str, intake_year: int) -> list[dict[str, Any]] | None:
    """The disciplines of the registered working curriculum of a programme and intake year (None: none)."""
    curriculum = (
        Document.objects.filter(kind="working_curriculum", state=State.REGISTERED)
        .filter(
            current_version__data__programme_code=programme_code,
            current_version__data__intake_year=intake_year,
        )
        .select_related("current_version")
        .order_by("-registered_at", "-id")
        .first()
    )
    if curriculum is None or curriculum.current_version is None:
        return None
    return [d for s in curriculum.current_version.data.get("semesters", []) for d in s.get("disciplines", [])]


def curriculum_disciplines_by_semester(
    programme_code: str, intake_year: int
) -> dict[int, list[dict[str, Any]]] | None:
    """The disciplines of the registered working curriculum by semester number (None: none)."""
    curriculum = (
        Document.objects.filter(kind="working_curriculum", state=State.REGISTERED)
        .filter(
            current_version__data__programme_code=programme_code,
            current_version__data__intake_year=intake_year,
        )
        .select_related("current_version")
        .order_by("-registered_at", "-id")
        .first()
    )
    if curriculum is None or curriculum.current_version is None:
        return None
    return {
        int(s["number"]): list(s.get("disciplines", []))
        for s in curriculum.current_version.data.get("semesters", [])
    }


def passed_disciplines(person: Person) -> set[str]:
    """The discipline codes with a positive grade that counts (FX and F are not positive)."""
    lines = GradeLine.objects.filter(person=person, in_effect=True, counts=True, points__gt=0).exclude(
        letter__in=FAILING_LETTERS
    )
    return set(lines.values_list("discipline_code", flat=True))


FAILING_LETTERS = ("FX", "F")


def passed_in(lines: list[GradeLine]) -> set[str]:
    """`passed_disciplines` computed from a student's grade lines already read (those in effect)."""
    return {
        line.discipline_code
        for line in lines
        if line.in_effect
        and line.counts
        and line.points is not None
        and line.points > 0
        and line.letter not in FAILING_LETTERS
    }


def academic_debts(
    person: Person, disciplines: list[dict[str, Any]], *, passed: set[str] | None = None
) -> list[str]:
    """The codes of `disciplines` (a curriculum) the student has not passed, in curriculum order.

    `passed` (from `passed_in`) spares the query when the caller has the student's lines already."""
    passed = passed_disciplines(person) if passed is None else passed
    return [
        d["code"]
        for d in disciplines
        if d.get("control_form") != "final_attestation" and d["code"] not in passed
    ]
