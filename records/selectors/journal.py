"""Reads of the electronic journal (records.models.journal).

``classes_held`` is the contract the teaching-load execution reads (classes held per teacher,
discipline, group and kind of class); keep its signature stable. The other reads apply the caller's
scope: a teacher sees the journals they keep, a head of department or dean those of their unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, cast

from django.db.models import Sum
from django.utils import timezone

from records.models import JournalClass

ClassKindName = Literal["lecture", "practical", "laboratory"]


@dataclass(frozen=True)
class HeldClass:
    """Academic hours of classes held by one teacher in one discipline with one group, by kind."""

    teacher_id: int  # records.models.Person pk
    discipline_code: str
    group_id: int  # records.models.StudyGroup pk
    kind: ClassKindName
    hours: Decimal


def classes_held(*, year: int, semester: int, department_id: int | None = None) -> list[HeldClass]:
    """Classes held in the term (``year`` = first calendar year of the academic year, ``semester`` =
    1 autumn, 2 spring, 3 summer), summed from the journals; subgroups of a group add up.

    A class counts as held once its date has come (a class dated in the future is planned, not held).
    ``department_id`` narrows to journals kept by that department. A system read, not scoped to a
    user: the load execution report that uses it is itself a registered document.
    """
    rows = JournalClass.objects.filter(
        journal__academic_year=year, journal__period=semester, date__lte=timezone.localdate()
    )
    if department_id is not None:
        rows = rows.filter(journal__department_id=department_id)
    summed = (
        rows.values("journal__teacher_id", "journal__discipline_code", "journal__group_id", "kind")
        .annotate(total=Sum("hours"))
        .order_by("journal__teacher_id", "journal__discipline_code", "journal__group_id", "kind")
    )
    return [
        HeldClass(
            teacher_id=row["journal__teacher_id"],
            discipline_code=row["journal__discipline_code"],
            group_id=row["journal__group_id"],
            kind=cast(ClassKindName, row["kind"]),
            hours=Decimal(row["total"]),
        )
        for row in summed
    ]
