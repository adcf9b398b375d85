"""Students a user may name in a document they draft: the dean's student picker reads through here.

A student is within reach when their study group's programme belongs to a unit under the scope of
one of the user's roles that may draft the kind (a dean: the faculty; the registrar: the
university). Org paths make that a prefix match, done in the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from records.kinds.base import get_kind
from records.models import Document, Person
from records.models.academic import Student
from records.permissions import grants, under_path_q
from records.projections.students import pending_changes
from records.projections.transcript import student_transcript
from records.selectors.document import documents_visible_to
from records.selectors.org import person_of_user

MAX_RESULTS = 20
NAME_FIELDS = (
    "last_name_kk",
    "last_name_ru",
    "last_name_en",
    "first_name_kk",
    "first_name_ru",
    "first_name_en",
    "patronymic_kk",
    "patronymic_ru",
)


def _word_q(word: str) -> Q:
    """One typed word against every spelling of the name, in the cases people type it.

    SQLite compares only ASCII letters without case, so the usual spellings of a Cyrillic word
    (as typed, lower, Capitalised, UPPER) are tried explicitly; PostgreSQL gets the same filter.
    """
    q = Q()
    for variant in {word, word.lower(), word.capitalize(), word.upper()}:
        for name_field in NAME_FIELDS:
            q |= Q(**{f"{name_field}__startswith": variant})
    return q


def students_within_reach(*, user: Any, roles: frozenset[str] | set[str]) -> QuerySet[Person]:
    """Students whose group lies under the scope of one of the user's `roles` (nothing otherwise)."""
    paths = sorted({g.path for g in grants(user) if g.role in roles})
    if not paths:
        return Person.objects.none()
    scope = Q()
    for path in paths:
        scope |= under_path_q(path, "group__programme__department__path")
    return Person.objects.filter(scope, kind=Person.Kind.STUDENT).select_related("group")


def students_matching(
    *, user: Any, roles: frozenset[str] | set[str], query: str, limit: int = MAX_RESULTS
) -> list[Person]:
    """Students within reach whose name starts with every typed word, or whose IIN starts with the
    typed digits; at most `limit`, by name."""
    words = [w for w in re.split(r"[\s,]+", query.strip()) if w][:4]
    if not words:
        return []
    found = students_within_reach(user=user, roles=roles)
    for word in words:
        found = found.filter(Q(iin__startswith=word) if word.isdigit() else _word_q(word[:50]))
    return list(found.order_by("last_name_ru", "first_name_ru", "iin")[:limit])


def student_within_reach(*, user: Any, roles: frozenset[str] | set[str], iin: str) -> Person | None:
    """The student with this IIN when within reach (None otherwise: unknown and out of scope look alike)."""
    return students_within_reach(user=user, roles=roles).filter(iin=iin).first()


def student_record(person: Person) -> Student | None:
    """The student projection row of `person`, with programme and group (None: not a student yet)."""
    return Student.objects.select_related("programme", "group").filter(person=person).first()


@dataclass
class StudentHome:
    """What the portal's home page shows a student of themselves."""

    person: Person | None
    student: Student | None = None
    transcript: dict[str, Any] | None = None
    pending: list[Any] = field(default_factory=list)  # registered orders not yet in force
    documents: list[Document] = field(default_factory=list)  # their own, newest first (at most 100)


def student_home(*, user: Any) -> StudentHome:
    """The signed-in student's own record: status, transcript (when graded) and orders still to come
    into force (each carrying its kind's name); an account that is nobody's gets an empty home."""
    person = person_of_user(user)
    if person is None:
        return StudentHome(person=None)
    student = student_record(person)
    pending = pending_changes(person)
    for event in pending:
        event.kind_name = get_kind(event.document.kind).name  # type: ignore[attr-defined]
    return StudentHome(
        person=person,
        student=student,
        transcript=student_transcript(person) if student is not None else None,
        pending=pending,
        documents=list(
            documents_visible_to(user=user)
            .filter(subject=person)
            .select_related("current_version")
            .prefetch_related("signatures")[:100]
        ),
    )


def student_own_document(*, user: Any, pk: Any) -> Document | None:
    """One of the signed-in student's own documents (None: not theirs, or not visible to them)."""
    person = person_of_user(user)
    if person is None:
        return None
    return documents_visible_to(user=user).filter(pk=pk, subject=person).first()
