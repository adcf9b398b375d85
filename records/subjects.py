"""What a document names: students (by IIN), groups, programmes and units (by code). Plain values,
resolved against the org structure by records.permissions (DESIGN law 9)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

SubjectWhat = Literal["student", "group", "programme", "unit"]


@dataclass(frozen=True)
class SubjectRef:
    """A student (by IIN), group, programme or org unit (by code) that a document names."""

    what: SubjectWhat
    key: str


def student_refs(iins: Iterable[Any]) -> list[SubjectRef]:
    return [SubjectRef("student", str(iin)) for iin in iins if iin]


def code_ref(what: SubjectWhat, code: Any) -> list[SubjectRef]:
    """A group, programme or unit named by code; an empty code names nothing (an optional field)."""
    return [SubjectRef(what, str(code))] if code else []
