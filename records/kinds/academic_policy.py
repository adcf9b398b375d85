"""The academic policy as a registered document: grading scale, formulas, thresholds, from a date.

The schema is records.academics.policy.AcademicPolicy plus ``effective_date``. The policy in force on
a date is the latest registered one with effective_date ≤ date (records.projections.policy);
registering or revoking one recomputes the GPA of every student, each term by its own policy.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from records.academics.policy import AcademicPolicy
from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.models import Document, Version
from records.models.org import Role
from records.projections.base import replay_context
from records.projections.grades import all_grade_people, recompute_grades
from records.projections.policy import POLICY_KIND, policy_book
from records.projections.term_results import rebuild_term_results


class AcademicPolicyData(AcademicPolicy):
    """An academic policy and the date from which it applies."""

    effective_date: RecordDate


def _project(document: Document, version: Version) -> None:
    context = replay_context()
    if context is not None:
        return  # the replay recomputes every GPA at its end, with every policy in force
    book = policy_book(include=document)
    recompute_grades(all_grade_people(), book)
    rebuild_term_results(None, book)  # what counts as positive and good may have changed in any term


def _unproject(document: Document, version: Version) -> None:
    book = policy_book(exclude_id=document.pk)
    recompute_grades(all_grade_people(), book)
    rebuild_term_results(None, book)


def _search_text(document: Any, version: Any) -> str:
    return f"{version.data.get('effective_date', '')}"


ACADEMIC_POLICY = register_kind(
    DocumentKind(
        code=POLICY_KIND,
        names={"kk": "Академиялық саясат", "ru": "Академическая политика", "en": "Academic policy"},
        schema=AcademicPolicyData,
        series="АП",
        number_format="{series}-{year}-{seq:03d}",
        creator_roles=frozenset({Role.REGISTRAR, Role.VICE_RECTOR}),
        approver_roles=frozenset({Role.VICE_RECTOR, Role.RECTOR}),
        revoker_roles=frozenset({Role.RECTOR}),
        signing_route=(RouteStep(code="rector", role=Role.RECTOR, label=_("Rector")),),
        retention_class="permanent",
        sample_data={"effective_date": "2026-09-01"},
        project=_project,
        unproject=_unproject,
        search_text=_search_text,
    )
)
