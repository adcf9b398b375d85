"""The transcript of one student, from the projections of registered statements and orders.

Every attempt in effect (lines replaced by an amendment are left out), marked when it is the grade
that counts; GPA per term and cumulative as the projection computed them (each by its policy).
"""

from __future__ import annotations

from typing import Any

from records.models import Person
from records.models.academic import GradeLine, Student, StudentGpa


def _term(year: int, period: int) -> str:
    return f"{year}/{year + 1}-{period}"


def _num(value: Any) -> str | None:
    return None if value is None else str(value)


def student_transcript(student: Person) -> dict[str, Any]:
    """Plain data of `student`'s transcript (JSON-ready; the transcript kind stores and renders it)."""
    record = Student.objects.filter(person=student).select_related("programme", "group").first()
    lines = (
        GradeLine.objects.filter(person=student, in_effect=True)
        .select_related("document")
        .order_by("term_year", "term_period", "discipline_code", "registered_at", "document_id")
    )
    terms = StudentGpa.objects.filter(person=student).order_by("term_year", "term_period")
    term_rows = [
        {
            "term": _term(row.term_year, row.term_period),
            "term_gpa": _num(row.term_gpa),
            "term_credits": row.term_credits,
            "cumulative_gpa": _num(row.cumulative_gpa),
            "cumulative_credits": row.cumulative_credits,
            "policy_version": row.policy_version,
        }
        for row in terms
    ]
    counting = [line for line in lines if line.counts]
    return {
        "student": {
            "iin": student.iin,
            "name": student.full_name("ru"),
            "name_en": student.full_name("en"),
            "programme_code": record.programme.code if record and record.programme else "",
            "programme": record.programme.name_ru if record and record.programme else "",
            "group": record.group.code if record and record.group else "",
            "year_of_study": record.year_of_study if record else None,
            "status": record.status if record else "",
            "degree_awarded": record.degree_awarded if record else "",
        },
        "lines": [
            {
                "term": _term(line.term_year, line.term_period),
                "discipline_code": line.discipline_code,
                "discipline_name": line.discipline_name,
                "credits": line.credits,
                "attempt": line.attempt_kind,
                "final_percent": _num(line.final_percent),
                "letter": line.letter or "—",
                "points": _num(line.points),
                "traditional_mark": line.traditional_mark,
                "counts": line.counts,
                "statement": line.document.registry_number,
            }
            for line in lines
        ],
        "terms": term_rows,
        "gpa": term_rows[-1]["cumulative_gpa"] if term_rows else None,
        "credits_earned": sum(
            line.credits for line in counting if line.points is not None and line.points > 0
        ),
    }
