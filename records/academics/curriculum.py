"""Checks of a working curriculum against the policy (domain.md §1.5).

A curriculum is a list of semesters, each a list of discipline lines. Errors break the policy;
warnings are unusual but possible (a 28/32 split of a 60-credit year). Checks:

- every semester has disciplines; its credits equal ``credits_per_semester`` (30), else a warning;
- every complete year (``semesters_per_year`` semesters) has ``credits_per_year`` (60), else an error;
  a last, incomplete year (1.5-year master) is only checked per semester;
- the degree total is at least ``degree_total`` (bachelor 240; 300 for veterinary, health care,
  architecture/design; the programme says which);
- every discipline has at least ``min_discipline_credits`` (5) and appears once (a discipline is
  studied within one academic period);
- every required cycle (general, basic, major) and component (compulsory, university, elective) appears;
- the final attestation is there, in the last semester.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from records.academics.errors import AcademicInputError
from records.academics.policy import DEFAULT_POLICY, AcademicPolicy, Component, Cycle

ControlForm = Literal["exam", "coursework", "practice", "final_attestation"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class DisciplineLine:
    """One discipline of a working curriculum in one semester."""

    code: str
    credits: int
    cycle: Cycle
    component: Component
    control_form: ControlForm = "exam"

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise AcademicInputError("bad_discipline", _("A curriculum line has no discipline code."))
        if isinstance(self.credits, bool) or not isinstance(self.credits, int) or self.credits <= 0:
            raise AcademicInputError(
                "bad_credits",
                _("Discipline %(discipline)s: credits must be a positive whole number, got %(credits)s."),
                discipline=self.code,
                credits=repr(self.credits),
            )
        for name, value, allowed in (
            ("cycle", self.cycle, get_args(Cycle)),
            ("component", self.component, get_args(Component)),
            ("control form", self.control_form, get_args(ControlForm)),
        ):
            if value not in allowed:
                raise AcademicInputError(
                    "bad_discipline",
                    _(
                        "Discipline %(discipline)s: unknown %(field)s %(value)s (expected one of %(allowed)s)."
                    ),
                    discipline=self.code,
                    field=name,
                    value=repr(value),
                    allowed=", ".join(allowed),
                )


@dataclass(frozen=True)
class Problem:
    """A curriculum problem: stable code, severity, where (semester 1-based, discipline) and a message."""

    code: str
    severity: Severity
    template: Promise | str = field(compare=False)
    params: Mapping[str, Any] = field(default_factory=dict)
    semester: int | None = None
    discipline: str | None = None

    @property
    def message(self) -> str:
        """The message in the active language."""
        return str(self.template) % dict(self.params) if self.params else str(self.template)

    @property
    def is_error(self) -> bool:
        """True when the curriculum breaks the policy (not a mere warning)."""
        return self.severity == "error"

    def __str__(self) -> str:
        return self.message


def _semester_problems(
    semesters: Sequence[Sequence[DisciplineLine]], policy: AcademicPolicy
) -> list[Problem]:
    rules = policy.curriculum
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, lines in enumerate(semesters, start=1):
        if not lines:
            problems.append(
                Problem(
                    "empty_semester",
                    "error",
                    _("Semester %(semester)s has no disciplines."),
                    {"semester": number},
                    number,
                )
            )
            continue
        credits = sum(line.credits for line in lines)
        if credits != rules.credits_per_semester:
            problems.append(
                Problem(
                    "semester_credits",
                    "warning",
                    _("Semester %(semester)s has %(credits)s credits; %(expected)s are usual."),
                    {"semester": number, "credits": credits, "expected": rules.credits_per_semester},
                    number,
                )
            )
        for line in lines:
            if line.credits < rules.min_discipline_credits:
                problems.append(
                    Problem(
                        "discipline_credits_below_minimum",
                        "error",
                        _(
                            "Semester %(semester)s, %(discipline)s: %(credits)s credits, the minimum is %(minimum)s."
                        ),
                        {
                            "semester": number,
                            "discipline": line.code,
                            "credits": line.credits,
                            "minimum": rules.min_discipline_credits,
                        },
                        number,
                        line.code,
                    )
                )
            if line.code in seen:
                problems.append(
                    Problem(
                        "duplicate_discipline",
                        "error",
                        _("Semester %(semester)s: %(discipline)s is already in semester %(first)s."),
                        {"semester": number, "discipline": line.code, "first": seen[line.code]},
                        number,
                        line.code,
                    )
                )
            else:
                seen[line.code] = number
    return problems


def _year_problems(semesters: Sequence[Sequence[DisciplineLine]], policy: AcademicPolicy) -> list[Problem]:
    rules = policy.curriculum
    problems: list[Problem] = []
    per_year = rules.semesters_per_year
    for start in range(0, len(semesters) - per_year + 1, per_year):
        year = start // per_year + 1
        credits = sum(line.credits for lines in semesters[start : start + per_year] for line in lines)
        if credits != rules.credits_per_year:
            problems.append(
                Problem(
                    "year_credits",
                    "error",
                    _("Year %(year)s has %(credits)s credits; the policy requires %(expected)s."),
                    {"year": year, "credits": credits, "expected": rules.credits_per_year},
                    start + 1,
                )
            )
    return problems


def _coverage_problems(lines: list[DisciplineLine], policy: AcademicPolicy) -> list[Problem]:
    rules = policy.curriculum
    problems: list[Problem] = []
    cycles = {line.cycle for line in lines}
    components = {line.component for line in lines}
    for cycle in rules.required_cycles:
        if cycle not in cycles:
            problems.append(
                Problem(
                    "missing_cycle", "error", _("No discipline of the %(cycle)s cycle."), {"cycle": cycle}
                )
            )
    for component in rules.required_components:
        if component not in components:
            problems.append(
                Problem(
                    "missing_component",
                    "error",
                    _("No discipline of the %(component)s component."),
                    {"component": component},
                )
            )
    return problems


def _final_attestation_problems(semesters: Sequence[Sequence[DisciplineLine]]) -> list[Problem]:
    placed = [
        (number, line.code)
        for number, lines in enumerate(semesters, start=1)
        for line in lines
        if line.control_form == "final_attestation"
    ]
    if not placed:
        return [Problem("no_final_attestation", "error", _("The curriculum has no final attestation."))]
    return [
        Problem(
            "final_attestation_not_last",
            "error",
            _(
                "Final attestation %(discipline)s is in semester %(semester)s, not in the last semester %(last)s."
            ),
            {"discipline": code, "semester": number, "last": len(semesters)},
            number,
            code,
        )
        for number, code in placed
        if number != len(semesters)
    ]


def check_curriculum(
    semesters: Sequence[Sequence[DisciplineLine]],
    policy: AcademicPolicy = DEFAULT_POLICY,
    *,
    degree_total: int = 240,
) -> list[Problem]:
    """Every problem of a working curriculum against the policy; an empty list means it is fine."""
    if isinstance(degree_total, bool) or not isinstance(degree_total, int) or degree_total <= 0:
        raise AcademicInputError(
            "bad_degree_total",
            _("The degree total must be a positive whole number of credits, got %(total)s."),
            total=repr(degree_total),
        )
    if not semesters:
        return [Problem("no_semesters", "error", _("The curriculum has no semesters."))]
    problems = _semester_problems(semesters, policy)
    problems += _year_problems(semesters, policy)
    lines = [line for semester_lines in semesters for line in semester_lines]
    total = sum(line.credits for line in lines)
    if total < degree_total:
        problems.append(
            Problem(
                "degree_total_below",
                "error",
                _("The curriculum has %(credits)s credits; the degree requires at least %(expected)s."),
                {"credits": total, "expected": degree_total},
            )
        )
    problems += _coverage_problems(lines, policy)
    problems += _final_attestation_problems(semesters)
    return problems
