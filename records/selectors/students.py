"""Students a user may name in a document they draft: the dean's student picker reads through here.

A student is within reach when their study group's programme belongs to a unit under the scope of
one of the user's roles that may draft the kind (a dean: the faculty; the registrar: the
university). Org paths make that a prefix match, done in the database.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q, QuerySet

from records.models import Person
from records.permissions import grants, under_path_q

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
        for field in NAME_FIELDS:
            q |= Q(**{f"{field}__startswith": variant})
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
