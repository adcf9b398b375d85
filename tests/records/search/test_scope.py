"""The permission scope is inside the query: hits, totals and facet counts never include a document out of scope."""

from __future__ import annotations

from typing import Any

import pytest

from records.models import Role
from records.selectors.search import search_documents, search_documents_for_export
from tests.records.search.conftest import PAGE, Corpus, api_get, login


def facet_total(results: Any, field: str) -> dict[str, int]:
    group = next(g for g in results.facets if g.field == field)
    return {v.value: v.count for v in group.values}


@pytest.mark.parametrize(
    "who,expected",
    [
        (Role.ARCHIVIST, {"faculty", "department", "law"}),
        (Role.DEAN, {"faculty", "department"}),
        ("other_dean", {"law"}),
        (Role.TEACHER, {"department"}),  # a teacher reads only what they drafted
        (Role.STUDENT, set()),  # drafts are never issued to a student
    ],
)
def test_hits_totals_and_facet_counts_stay_inside_the_scope(
    staff: dict[str, Any], corpus: Corpus, org: Any, who: str, expected: set[str]
) -> None:
    ids = {name: getattr(corpus, name).pk for name in ("faculty", "department", "law")}
    results = search_documents(user=staff[who], text="ҚАЗАҚСТАН")
    assert {row.document.pk for row in results.hits} == {ids[name] for name in expected}
    assert results.total == len(expected)
    kinds = facet_total(results, "kind")
    assert kinds == ({"internal_order": len(expected)} if expected else {})
    units = facet_total(results, "org_unit")
    assert units.get(str(org.other_faculty.pk), 0) == ("law" in expected)
    assert units.get(str(org.faculty.pk), 0) == len(expected & {"faculty", "department"})
    # Narrowing to a unit out of scope finds nothing and counts nothing.
    if "law" not in expected:
        narrowed = search_documents(
            user=staff[who], text="", filters={"org_unit": [str(org.other_faculty.pk)]}
        )
        assert narrowed.total == 0 and narrowed.hits == []
        assert all(group.values == [] for group in narrowed.facets)
    # The export goes through the same selector and scope.
    exported = search_documents_for_export(user=staff[who], text="ҚАЗАҚСТАН")
    assert {d.pk for d in exported.documents} == {ids[name] for name in expected}


@pytest.mark.parametrize("who", ["other_dean", Role.TEACHER, Role.STUDENT])
def test_the_api_leaks_neither_hits_nor_facet_values(staff: dict[str, Any], corpus: Corpus, who: str) -> None:
    body = api_get(staff[who], q="Ведомость кафедры" if who != Role.TEACHER else "Юридический").json()
    assert body["total"] == 0
    assert body["hits"] == []
    assert all(values == [] for values in body["facets"].values())


def test_the_page_of_another_faculty_dean_shows_no_foreign_hit_or_count(
    staff: dict[str, Any], corpus: Corpus
) -> None:
    response = login(staff["other_dean"]).get(PAGE, {"q": "Қазақстан"})
    results = response.context["results"]
    assert [row.document.pk for row in results.hits] == [corpus.law.pk]
    assert results.total == 1
    assert "Ведомость кафедры" not in response.content.decode()
    assert "Приказ о практике" not in response.content.decode()
