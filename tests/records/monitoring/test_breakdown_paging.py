"""The results and ratings tables show a page of rows at a time (by group a university has
hundreds): the page's rows, the whole scope's total on every page, charts over the page's rows once
the breakdown has more than one page, every row in the export, and the viewer's scope."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from records.models import Role
from tests.records.academic.conftest import bulk, line, statement
from tests.records.monitoring.conftest import Law
from tests.records.monitoring.test_ratings import _term

pytestmark = pytest.mark.django_db

RATINGS = reverse("records_monitoring:ratings")
RESULTS = reverse("records_monitoring:results")
# Three disciplines: LAW101 in the law faculty, MAT101 and PHY101 in the dean's faculty.
RATING_QUERY = {"term": "2024-1", "by": "discipline"}
RESULT_QUERY = {"term": "2024-1", "by": "discipline"}


@pytest.fixture
def term(staff: dict[str, Any], org: Any, law: Law) -> dict[str, Any]:
    """Ratings of _term (LAW101: 1, MAT101: 4, PHY101: 1) and exam results of the same students in
    other disciplines (CIV201: 1, GEO201: 2, one failed; OPT201: 1)."""
    a, b, c, _statement = _term(staff, org, law)
    geometry = statement(org, [line(a, 95, 95, 95), line(b, 60, 60, 30)], discipline_code="GEO201")
    bulk(staff, org, "grade_statement", geometry)
    optics = statement(org, [line(a, 70, 70, 70)], discipline_code="OPT201", discipline_name="Оптика")
    bulk(staff, org, "grade_statement", optics)
    law_exam = statement(org, [line(c, 80, 80, 80)], discipline_code="CIV201", discipline_name="Право",
                         group_code=law.group.code)  # fmt: skip
    bulk(staff, org, "grade_statement", law_exam)
    return staff


@pytest.fixture
def one_row_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from records.monitoring import views

    monkeypatch.setattr(views, "ROWS_SHOWN", 1)


def _csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.usefixtures("one_row_a_page")
def test_the_ratings_table_shows_a_page_the_total_of_the_scope_and_exports_every_row(
    term: dict[str, Any], client: Client
) -> None:
    client.force_login(term[Role.RECTOR])
    first, second = (client.get(RATINGS, {**RATING_QUERY, "p": p}) for p in (1, 2))
    assert first.status_code == second.status_code == 200
    assert [r["label"] for r in first.context["display"]] == ["LAW101 Дисциплина LAW101"]
    assert [r["label"] for r in second.context["display"]] == ["MAT101 Дисциплина MAT101"]
    for page in (first, second):
        assert page.context["total_row"]["results"] == "6"  # 1 + 4 + 1: the whole term, not the page
        assert page.context["row_page"].paginator.num_pages == 3
    html = second.content.decode()
    assert "MAT101" in html and "LAW101" not in html and "PHY101" not in html
    assert (
        "?" + second.context["page_query"].replace("&", "&amp;") + "&amp;p=3" in html
        and "by=discipline" in second.context["page_query"]
    )
    # Each figure still opens the statements behind it: the row's key, and "*" for the total.
    drill = client.get(second.context["display"][0]["url"])
    assert drill.status_code == 200 and len(drill.context["items"]) == 2  # MAT101's РК1 and РК2
    # The charts chart the page's rows, and say so.
    assert html.count("<rect") == 2  # one bar in each of the two charts
    assert "rows 2–2 of 3" in html
    exported = _csv(client.post(RATINGS, {**RATING_QUERY, "p": 2, "format": "csv"}))
    labels = {r[0] for r in exported if r}
    assert {"LAW101 Дисциплина LAW101", "MAT101 Дисциплина MAT101", "PHY101 Дисциплина PHY101"} <= labels
    assert ["Total", "6"] == next(r[:2] for r in exported if r and r[0] == "Total")


@pytest.mark.usefixtures("one_row_a_page")
def test_a_dean_pages_through_the_faculty_only(term: dict[str, Any], client: Client) -> None:
    client.force_login(term[Role.DEAN])
    pages = [client.get(RATINGS, {**RATING_QUERY, "p": p}) for p in (1, 2, 3)]
    assert [[r["label"][:6] for r in page.context["display"]] for page in pages] == [
        ["MAT101"], ["PHY101"], ["PHY101"]  # past the last page: the last page
    ]  # fmt: skip
    assert {page.context["total_row"]["results"] for page in pages} == {"5"}
    assert all("LAW101" not in page.content.decode() for page in pages)
    exported = _csv(client.post(RATINGS, {**RATING_QUERY, "format": "csv"}))
    labels = {r[0][:6] for r in exported if r}
    assert {"MAT101", "PHY101"} <= labels and "LAW101" not in labels
    results = [client.get(RESULTS, {**RESULT_QUERY, "p": p}) for p in (1, 2)]
    assert [[r["label"] for r in page.context["display"]] for page in results] == [
        ["GEO201", "Total"], ["OPT201", "Total"]
    ]  # fmt: skip
    assert {page.context["display"][-1]["results"] for page in results} == {"3"}


@pytest.mark.usefixtures("one_row_a_page")
def test_the_results_table_shows_a_page_the_total_of_the_scope_and_exports_every_row(
    term: dict[str, Any], client: Client
) -> None:
    client.force_login(term[Role.RECTOR])
    first, second = (client.get(RESULTS, {**RESULT_QUERY, "p": p}) for p in (1, 2))
    assert [r["label"] for r in first.context["display"]] == ["CIV201", "Total"]
    [row, total] = second.context["display"]
    assert row["label"] == "GEO201" and row["results"] == "2" and row["session_fails"] == "1"
    assert total["results"] == "4" and first.context["display"][-1]["results"] == "4"
    listed = client.get(row["urls"]["session_fails"])
    assert listed.status_code == 200 and listed.context["page"].paginator.count == 1
    html = second.content.decode()
    assert (
        "OPT201" not in html
        and "CIV201" not in html
        and "Quality of knowledge, 2024" in html
        and "rows 2–2 of 3" in html
    )
    assert "?" + second.context["page_query"].replace("&", "&amp;") + "&amp;p=3" in html
    workbook = load_workbook(
        io.BytesIO(client.post(RESULTS, {**RESULT_QUERY, "p": 2, "format": "xlsx"}).content)
    )
    labels = [r[0] for r in workbook.worksheets[0].iter_rows(min_row=3, values_only=True)]
    assert labels[:4] == ["CIV201", "GEO201", "OPT201", "Total"]


def test_a_breakdown_on_one_page_is_charted_whole_under_its_own_title(
    term: dict[str, Any], client: Client
) -> None:
    client.force_login(term[Role.RECTOR])
    page = client.get(RATINGS, RATING_QUERY)
    assert len(page.context["display"]) == 3 and page.context["row_page"].paginator.num_pages == 1
    html = page.content.decode()
    assert html.count("<rect") == 6 and "rows " not in html and 'aria-label="Pages"' not in html


def test_the_ratings_page_costs_the_same_queries_whatever_the_page_size(
    term: dict[str, Any], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from records.monitoring import views

    client.force_login(term[Role.RECTOR])
    counts = []
    for size in (1, 2, 40):
        monkeypatch.setattr(views, "ROWS_SHOWN", size)
        client.get(RATINGS, RATING_QUERY)  # warm the per-user caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(RATINGS, RATING_QUERY).status_code == 200
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


@pytest.mark.parametrize(("language", "average"), [("kk", "62,5"), ("ru", "62,5"), ("en", "62.5")])
def test_the_ratings_table_prints_decimals_in_the_page_language_and_the_xlsx_keeps_numbers(
    term: dict[str, Any], language: str, average: str
) -> None:
    """Kazakh writes a decimal comma as Russian does (Django has no kk formats: a kk page printed 62.5)."""
    client = Client(headers={"accept-language": language})
    client.cookies["django_language"] = language
    client.force_login(term[Role.RECTOR])
    page = client.get(RATINGS, RATING_QUERY)
    mathematics = next(r for r in page.context["display"] if r["label"].startswith("MAT101"))
    assert mathematics["average"] == average and f">{average}<" in page.content.decode()
    workbook = load_workbook(io.BytesIO(client.post(RATINGS, {**RATING_QUERY, "format": "xlsx"}).content))
    cells = next(
        r for r in workbook.worksheets[0].iter_rows(values_only=True) if str(r[0]).startswith("MAT101")
    )
    assert cells[1:3] == (4, 62.5)  # numbers, not text in the page's notation


@pytest.mark.usefixtures("one_row_a_page")
def test_the_student_body_by_group_shows_a_page_the_total_of_the_scope_and_exports_every_row(
    term: dict[str, Any], client: Client, org: Any, law: Law
) -> None:
    """Two groups (two students in the dean's faculty's, one in law's), one row a page."""
    client.force_login(term[Role.RECTOR])
    query = {"on": "2024-10-01", "by": "group"}
    first, second = (client.get(reverse("records_monitoring:students"), {**query, "p": p}) for p in (1, 2))
    assert [[r.label for r in page.context["row_page"].object_list] for page in (first, second)] == [
        [str(org.group.code)], [str(law.group.code)]
    ]  # fmt: skip
    assert first.context["total"] == second.context["total"] == 3  # the scope's, not the page's
    html = second.content.decode()
    assert "rows 2–2 of 2" in html  # the bar chart charts the page's row, and says so
    assert str(law.group.code) in str(second.context["chart"])
    assert str(org.group.code) not in str(second.context["chart"])
    assert "?" + second.context["page_query"].replace("&", "&amp;") + "&amp;p=1" in html
    drill = client.get(second.context["row_page"].object_list[0].values["url"])
    assert drill.status_code == 200 and drill.context["page"].paginator.count == 1  # law's one student
    exported = _csv(client.post(reverse("records_monitoring:students"), {**query, "p": 2, "format": "csv"}))
    labels = [r[0] for r in exported if r]
    assert str(org.group.code) in labels and str(law.group.code) in labels and ["Total", "3"] in exported
