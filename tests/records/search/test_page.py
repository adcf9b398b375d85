"""The back-office search page: who may use it, ranked highlighted hits, facets, sort, cursor pages, lag notice."""

from __future__ import annotations

import re
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from records.admin.search import _lag_notice
from records.models import AccessEvent, OrgUnit, Role
from records.selectors.search import kind_label, state_label
from records.services.retention import RETENTION_CLASSES
from search.sync import drain
from tests.records.search.conftest import PAGE, Corpus, draft, last_read_id, login, reads_after


def hit_ids(content: bytes) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-hit="(\d+)"', content.decode())]


def test_a_student_gets_403_and_no_event(staff: dict[str, Any], corpus: Corpus) -> None:
    before = last_read_id()
    response = login(staff[Role.STUDENT]).get(PAGE, {"q": "Қазақстан"})
    assert response.status_code == 403
    assert b"data-hit" not in response.content
    assert reads_after(before) == []


def test_without_admin_access_the_page_redirects_and_records_nothing(users: dict[str, Any], org: Any) -> None:
    before = last_read_id()
    response = login(users[Role.ARCHIVIST]).get(PAGE, {"q": "Қазақстан"})
    assert response.status_code == 302
    assert reads_after(before) == []


def test_anonymous_is_sent_to_the_login_page(client: Any, corpus: Corpus) -> None:
    response = client.get(PAGE, {"q": "Қазақстан"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_upper_case_kazakh_query_finds_the_inflected_word_and_records_one_event(
    staff: dict[str, Any], corpus: Corpus
) -> None:
    before = last_read_id()
    response = login(staff[Role.ARCHIVIST]).get(PAGE, {"q": "ҚАЗАҚСТАН"})
    assert response.status_code == 200
    assert set(hit_ids(response.content)) == {corpus.faculty.pk, corpus.department.pk, corpus.law.pk}
    assert "<mark>Қазақстандағы</mark>" in response.content.decode()
    assert f'href="/admin/registry/documents/{corpus.law.pk}/"' in response.content.decode()
    assert reads_after(before) == ["search.query"]
    event = AccessEvent.objects.get(id__gt=before)
    assert event.actor == staff[Role.ARCHIVIST]
    assert event.changes == {
        "text": "ҚАЗАҚСТАН",
        "filters": {},
        "sort": "relevance",
        "total": 3,
        "next_page": False,
    }


def test_the_first_visit_shows_a_prompt_and_records_nothing(staff: dict[str, Any], corpus: Corpus) -> None:
    before = last_read_id()
    response = login(staff[Role.ARCHIVIST]).get(PAGE)
    assert response.status_code == 200
    assert hit_ids(response.content) == []
    assert reads_after(before) == []


def test_markup_in_a_title_is_escaped_while_highlights_stay_marks(staff: dict[str, Any], org: Any) -> None:
    draft(staff, Role.DEAN, org.faculty, '<script>alert("Қазақстан")</script>', "<b>Қазақстан</b> мәтіні")
    drain()
    content = login(staff[Role.DEAN]).get(PAGE, {"q": "қазақстан"}).content.decode()
    assert "<script>alert" not in content
    assert "<b>" not in content
    assert "&lt;script&gt;" in content
    assert "<mark>" in content


def test_a_registry_number_free_word_and_prefix_search(staff: dict[str, Any], corpus: Corpus) -> None:
    client = login(staff[Role.ARCHIVIST])
    assert hit_ids(client.get(PAGE, {"q": "юридич*"}).content) == [corpus.law.pk]
    assert hit_ids(client.get(PAGE, {"q": '"Юридический приказ"'}).content) == [corpus.law.pk]
    empty = client.get(PAGE, {"q": "несуществующееслово"})
    assert empty.status_code == 200
    assert hit_ids(empty.content) == []
    assert b"data-empty" in empty.content


def test_facets_show_names_and_counts_and_a_click_narrows(
    staff: dict[str, Any], corpus: Corpus, org: Any
) -> None:
    client = login(staff[Role.ARCHIVIST])
    response = client.get(PAGE, {"q": "Қазақстан"})
    facets = {f["field"]: f["values"] for f in response.context["facets"]}
    with translation.override(response.wsgi_request.LANGUAGE_CODE):  # labels in the page's language
        kind, state = kind_label("internal_order"), state_label("draft")
        faculty = OrgUnit.objects.get(pk=org.faculty.pk)
        law_name = OrgUnit.objects.get(pk=org.other_faculty.pk).name
        permanent = str(RETENTION_CLASSES["permanent"][1])
    assert {link.label: link.count for link in facets["kind"]} == {kind: 3}
    units = {link.label: link.count for link in facets["org_unit"]}
    assert units[faculty.name] == 2
    assert units[law_name] == 1
    assert {link.label: link.count for link in facets["state"]} == {state: 3}
    assert {link.label: link.count for link in facets["retention_class"]} == {permanent: 3}
    narrowed = next(link for link in facets["org_unit"] if link.label == faculty.name)
    assert f"org_unit={org.faculty.pk}" in narrowed.url
    response = client.get(narrowed.url)
    assert set(hit_ids(response.content)) == {corpus.faculty.pk, corpus.department.pk}
    selected = {f["field"]: f["values"] for f in response.context["facets"]}["org_unit"]
    assert any(link.active and link.label == faculty.name for link in selected)


def test_the_next_page_link_keeps_the_query_and_visits_every_hit_once(
    staff: dict[str, Any], corpus: Corpus
) -> None:
    client = login(staff[Role.ARCHIVIST])
    seen: list[int] = []
    url, params = PAGE, {"q": "Қазақстан", "size": "2", "sort": "-date"}
    for _page in range(3):
        response = client.get(url, params)
        assert response.status_code == 200
        seen.extend(hit_ids(response.content))
        url, params = response.context["next_url"], {}
        if not url:
            break
        assert "q=" in url and "size=2" in url and "cursor=" in url
    assert sorted(seen) == sorted([corpus.faculty.pk, corpus.department.pk, corpus.law.pk])
    assert seen[0] == corpus.law.pk  # newest first


def test_the_index_is_behind_notice_appears_while_the_outbox_has_rows(
    staff: dict[str, Any], org: Any
) -> None:
    client = login(staff[Role.DEAN])
    draft(staff, Role.DEAN, org.faculty, "Приказ о практике", "Қазақстандағы практика.")
    response = client.get(PAGE, {"q": "практика"})
    assert b"data-index-behind" in response.content
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        notice = _lag_notice(response.context["results"])
    assert notice in response.content.decode()
    with translation.override("en"):
        assert _lag_notice(response.context["results"]).startswith("The index is behind by 1 change;")
    assert response.context["results"].index_pending == 1
    assert hit_ids(response.content) == []  # not indexed yet
    drain()
    response = client.get(PAGE, {"q": "практика"})
    assert b"data-index-behind" not in response.content
    assert len(hit_ids(response.content)) == 1


def test_the_page_makes_the_same_number_of_queries_for_one_hit_or_many(
    staff: dict[str, Any], org: Any
) -> None:
    client = login(staff[Role.ARCHIVIST])
    draft(staff, Role.DEAN, org.faculty, "Приказ один", "Қазақстандағы.")
    drain()
    client.get(PAGE, {"q": "қазақстан"})  # warm caches (menu, grants)
    cache.clear()  # the result page is cached per chain head: count what a search run now costs
    client.get(PAGE)  # the form alone: the session back in the cache
    with CaptureQueriesContext(connection) as one:
        assert len(hit_ids(client.get(PAGE, {"q": "қазақстан"}).content)) == 1
    for n in range(4):
        draft(staff, Role.DEAN, org.faculty, f"Приказ {n}", "Қазақстандағы.")
    drain()
    with CaptureQueriesContext(connection) as many:
        assert len(hit_ids(client.get(PAGE, {"q": "қазақстан"}).content)) == 5
    assert len(many.captured_queries) == len(one.captured_queries)


def test_staff_have_one_search_the_sidebar_box_that_searches_documents(staff: dict[str, Any]) -> None:
    response = login(staff[Role.TEACHER]).get("/admin/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "registry-search" not in content  # no second "Search" menu item
    assert PAGE in content  # the sidebar search box's target


def test_the_search_page_is_titled_search_not_home(staff: dict[str, Any]) -> None:
    body = login(staff[Role.ARCHIVIST]).get(PAGE).content.decode()
    header = body[body.index("<h1") : body.index("</h1>")]
    assert "Search" in header and "Home" not in header


def test_a_cached_result_page_shows_a_change_once_indexed_and_is_never_another_users(
    staff: dict[str, Any], org: Any
) -> None:
    """A repeated search is served from the cache (fewer queries) and still recorded; a new document
    shows as pending at once and as a hit once drained; a dean of another faculty never gets it."""
    client = login(staff[Role.ARCHIVIST])
    first = draft(staff, Role.DEAN, org.faculty, "Приказ о практике", "Производственная практика.")
    drain()
    client.get(PAGE, {"q": "практика"})
    before = last_read_id()
    with CaptureQueriesContext(connection) as warm:
        assert hit_ids(client.get(PAGE, {"q": "практика"}).content) == [first.pk]
    assert reads_after(before) == ["search.query"]  # recorded although cached
    assert not any("records_document" in q["sql"] for q in warm.captured_queries)
    second = draft(staff, Role.DEAN, org.faculty, "Приказ о практике 2", "Учебная практика.")
    pending = client.get(PAGE, {"q": "практика"}).content
    assert b"data-index-behind" in pending and hit_ids(pending) == [first.pk]
    drain()
    assert sorted(hit_ids(client.get(PAGE, {"q": "практика"}).content)) == sorted([first.pk, second.pk])
    other = login(staff["other_dean"]).get(PAGE, {"q": "практика"}).content
    assert hit_ids(other) == []


def test_the_export_form_of_a_cached_result_page_carries_a_live_csrf_token(
    staff: dict[str, Any], org: Any
) -> None:
    draft(staff, Role.DEAN, org.faculty, "Приказ о графике", "Учебный график.")
    drain()
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff[Role.ARCHIVIST])
    client.get(PAGE, {"q": "график"})
    body = client.get(PAGE, {"q": "график"}).content.decode()  # from the cache
    token = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[-1]
    response = client.post(f"{PAGE}export/", {"q": "график", "format": "csv", "csrfmiddlewaretoken": token})
    assert response.status_code == 200 and "Приказ о графике" in response.content.decode("utf-8-sig")
