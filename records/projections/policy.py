"""The academic policy in force at a date: the latest registered policy with effective_date ≤ date.

A policy applies from its effective date only; before the first registered policy the defaults of
``records.academics.policy.DEFAULT_POLICY`` apply, recorded as version "default". The version of a
registered policy is its document id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from records.academics.policy import DEFAULT_POLICY, AcademicPolicy
from records.models import Document
from records.projections.base import in_force

POLICY_KIND = "academic_policy"
DEFAULT_VERSION = "default"


@dataclass(frozen=True)
class PolicyEntry:
    """One registered policy."""

    effective_date: dt.date
    registered_at: dt.datetime
    document_id: int
    policy: AcademicPolicy


def policy_from_data(data: dict[str, object]) -> AcademicPolicy:
    """The AcademicPolicy in a policy document's data (its ``effective_date`` key removed)."""
    fields = {key: value for key, value in data.items() if key != "effective_date"}
    return AcademicPolicy.model_validate(fields)


class PolicyBook:
    """Registered policies ordered by effective date then registration; answers "which policy on date D"."""

    def __init__(self, entries: list[PolicyEntry]) -> None:
        self.entries = sorted(entries, key=lambda e: (e.effective_date, e.registered_at, e.document_id))

    def at(self, date: dt.date) -> tuple[AcademicPolicy, str]:
        """The policy in force on ``date`` and its version ("default" or the document id)."""
        chosen: PolicyEntry | None = None
        for entry in self.entries:
            if entry.effective_date <= date:
                chosen = entry
        if chosen is None:
            return DEFAULT_POLICY, DEFAULT_VERSION
        return chosen.policy, str(chosen.document_id)


def _entry(document: Document) -> PolicyEntry:
    version = document.current_version
    assert version is not None and document.registered_at is not None
    return PolicyEntry(
        effective_date=dt.date.fromisoformat(str(version.data["effective_date"])),
        registered_at=document.registered_at,
        document_id=document.pk,
        policy=policy_from_data(version.data),
    )


def policy_book(*, include: Document | None = None, exclude_id: int | None = None) -> PolicyBook:
    """The book of policies in force, with a document being registered (`include`) or revoked (`exclude_id`)."""
    documents = list(in_force([POLICY_KIND]).select_related("current_version"))
    entries = [_entry(d) for d in documents if d.pk != exclude_id and (include is None or d.pk != include.pk)]
    if include is not None:
        entries.append(_entry(include))
    return PolicyBook(entries)


def term_start(academic_year: int, period: int) -> dt.date:
    """The date whose policy governs a term's GPA: 1 Sep (autumn), 15 Jan (spring), 15 Jun (summer)."""
    if period == 1:
        return dt.date(academic_year, 9, 1)
    if period == 2:
        return dt.date(academic_year + 1, 1, 15)
    return dt.date(academic_year + 1, 6, 15)
