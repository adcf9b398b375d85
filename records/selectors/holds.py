"""Reads of holds: is a document held, by which holds, and the hold lists for pages and commands.

Active holds are few; they are read once and matched against a document in Python: a document hold
names it, a series hold its filing's series index, a student hold its subject (or a student its
data names), a query hold the saved search's filters (``q`` on number and title, ``kind``,
``org_unit`` with everything below it, ``year``, ``series``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.kinds.base import get_kind
from records.models import Document, Filing, Hold, OrgUnit, Person, Version
from records.selectors.fileplan import may_see_archive


def active_holds() -> list[Hold]:
    """Every hold not lifted, newest first."""
    return list(Hold.objects.filter(lifted_at__isnull=True).select_related("document", "student"))


def parse_hold_query(query: str) -> dict[str, list[str]]:
    """A saved search's filters ("?q=...&kind=..." or "q=...&kind=...")."""
    return {k: [v.strip() for v in vs if v.strip()] for k, vs in parse_qs(query.lstrip("?")).items()}


def _unit_paths(codes: Iterable[str]) -> list[str]:
    return list(OrgUnit.objects.filter(code__in=list(codes)).values_list("path", flat=True))


def _student_iins(document: Document) -> set[str]:
    version = document.current_version
    kind = get_kind(document.kind)
    if version is None or kind.subjects is None or not isinstance(version.data, dict):
        return set()
    try:
        refs = kind.subjects(version.data)
    except Exception:
        return set()
    return {ref.key for ref in refs if ref.what == "student"}


class HoldMatcher:
    """The active holds, ready to match documents (a few queries once, none per document but the data's subjects)."""

    def __init__(self, holds: list[Hold] | None = None) -> None:
        self.holds = active_holds() if holds is None else holds
        self.queries = {h.pk: parse_hold_query(h.query) for h in self.holds if h.scope == "query"}
        codes = {code for q in self.queries.values() for code in q.get("org_unit", [])}
        self.paths = dict(OrgUnit.objects.filter(code__in=codes).values_list("code", "path")) if codes else {}
        student_ids = [h.student_id for h in self.holds if h.scope == "student" and h.student_id is not None]
        self.iins = (
            dict(Person.objects.filter(pk__in=student_ids).values_list("pk", "iin")) if student_ids else {}
        )

    def _query_matches(self, query: dict[str, list[str]], document: Document, series: str) -> bool:
        if not query:
            return False
        if "kind" in query and document.kind not in query["kind"]:
            return False
        if "year" in query and str(document.year) not in query["year"]:
            return False
        if "series" in query and series not in query["series"]:
            return False
        if "org_unit" in query:
            paths = [self.paths.get(code) for code in query["org_unit"]]
            if not any(p and document.org_path.startswith(p) for p in paths):
                return False
        return all(
            term.casefold() in f"{document.registry_number} {document.title}".casefold()
            for term in query.get("q", [])
        )

    def student_documents(self) -> dict[int, set[int]]:
        """For a long list: each student hold's id → the documents it reaches (its subject, or data that
        names the student's IIN), found once with two queries per student hold instead of reading every
        listed document's data."""
        found: dict[int, set[int]] = {}
        for hold in self.holds:
            if hold.scope != "student" or hold.student_id is None:
                continue
            ids = set(Document.objects.filter(subject_id=hold.student_id).values_list("pk", flat=True))
            iin = self.iins.get(hold.student_id, "")
            if iin:
                candidates = (
                    Document.objects.filter(
                        current_version__in=Version.objects.annotate(text=Cast("data", TextField())).filter(
                            text__contains=iin
                        )
                    )
                    .exclude(pk__in=ids)
                    .select_related("current_version")
                )
                ids.update(d.pk for d in candidates if iin in _student_iins(d))
            found[hold.pk] = ids
        return found

    def holds_for(
        self, document: Document, series: str | None = None, students: dict[int, set[int]] | None = None
    ) -> list[Hold]:
        """The active holds that reach `document` (`series`: its filing's index when the caller has it;
        `students`: ``student_documents()`` when matching many documents)."""
        if not self.holds:
            return []
        if series is None:
            series = (
                Filing.objects.filter(document=document).values_list("series_index", flat=True).first() or ""
            )
        found: list[Hold] = []
        iins: set[str] | None = None
        for hold in self.holds:
            if (hold.scope == "document" and hold.document_id == document.pk) or (
                hold.scope == "series" and series and hold.series_index == series
            ):
                found.append(hold)
            elif hold.scope == "student" and students is not None:
                if document.pk in students.get(hold.pk, ()):
                    found.append(hold)
            elif hold.scope == "student":
                if document.subject_id == hold.student_id:
                    found.append(hold)
                    continue
                if iins is None:
                    iins = _student_iins(document)
                if hold.student_id is not None and self.iins.get(hold.student_id, "") in iins:
                    found.append(hold)
            elif hold.scope == "query" and self._query_matches(self.queries[hold.pk], document, series):
                found.append(hold)
        return found


def holds_for(document: Document) -> list[Hold]:
    """The active holds that reach `document`."""
    return HoldMatcher().holds_for(document)


def document_is_held(document: Document) -> bool:
    """True while at least one active hold reaches `document`: it may be neither destroyed nor re-described."""
    return bool(holds_for(document))


def held_documents(documents: Iterable[Document]) -> dict[int, list[Hold]]:
    """For many documents at once: id → the active holds reaching it (only the held ones)."""
    matcher = HoldMatcher()
    if not matcher.holds:
        return {}
    documents = list(documents)
    series = dict(
        Filing.objects.filter(document__in=[d.pk for d in documents]).values_list(
            "document_id", "series_index"
        )
    )
    result: dict[int, list[Hold]] = {}
    for document in documents:
        holds = matcher.holds_for(document, series.get(document.pk, ""))
        if holds:
            result[document.pk] = holds
    return result


def holds_list(*, active_only: bool = False) -> QuerySet[Hold]:
    """Holds for the archive page and `holds list`, newest first."""
    queryset = Hold.objects.select_related("document", "student", "placed_by", "lifted_by")
    if active_only:
        queryset = queryset.filter(lifted_at__isnull=True)
    return queryset.order_by("-placed_at", "-id")


def hold_scope_text(hold: Hold) -> str:
    """The hold's scope in words for lists ("document ПР-2026-00001", "series 02-05", ...)."""
    if hold.scope == "document" and hold.document is not None:
        return hold.document.registry_number or f"#{hold.document_id}"
    if hold.scope == "series":
        return hold.series_index
    if hold.scope == "student" and hold.student is not None:
        return f"{hold.student.last_name_ru} {hold.student.first_name_ru}"
    return hold.query


__all__: list[Any] = [
    "active_holds",
    "document_is_held",
    "held_documents",
    "hold_scope_text",
    "holds_for",
    "holds_list",
]


def hold_get(pk: Any) -> Hold | None:
    """One hold by id (holds are listed to every archive official; None when there is none)."""
    try:
        return Hold.objects.select_related("document").filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def holds_for_official(user: Any, *, active_only: bool = False) -> QuerySet[Hold]:
    """The holds an archive official reads (the API; every hold, as on the archive page): refused to
    everyone else."""
    if not may_see_archive(user):
        raise RecordsError("forbidden", _("Only the archive officials may read the holds."))
    return holds_list(active_only=active_only)
