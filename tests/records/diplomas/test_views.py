"""The diploma pages: without permission 403/404 and no audit event; with permission 200 and the events."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
from django.urls import reverse

from records.models import DiplomaBookEntry, Job, Role
from tests.records.admin.conftest import events_after, last_event_id
from tests.records.diplomas.conftest import CohortFixture
from tests.records.diplomas.test_refusals import _diploma_entry

INDEX = reverse("records_diplomas:index")
COHORT = reverse("records_diplomas:cohort")
BOOK = reverse("records_diplomas:book")
EXPORT = reverse("records_diplomas:book_export")


def _cohort_query(cohort: CohortFixture) -> dict[str, str]:
    return {"group": cohort.group_code, "date": cohort.date}


def test_pages_refuse_users_without_a_diploma_role(
    client: Any, staff: dict[str, Any], org: Any, cohort: CohortFixture
) -> None:
    """A teacher (staff) gets 403 everywhere, a student too; nothing is recorded."""
    entry = _diploma_entry(staff, org)
    before = last_event_id()
    for who in (Role.TEACHER, Role.STUDENT):
        client.force_login(staff[who])
        assert client.get(INDEX).status_code == 403
        assert client.get(COHORT, _cohort_query(cohort)).status_code == 403
        assert client.post(COHORT, _cohort_query(cohort)).status_code == 403
        assert client.get(BOOK).status_code == 403
        assert client.post(EXPORT, {"format": "csv"}).status_code == 403
        assert (
            client.post(
                reverse("records_diplomas:spoil", args=[entry.pk]), {"confirm": "yes", "reason": "x"}
            ).status_code
            == 403
        )
    client.force_login(staff[Role.DEAN])  # sees the book, may not spoil or reissue
    assert client.get(BOOK).status_code == 200
    for action in ("spoil", "reissue"):
        url = reverse(f"records_diplomas:{action}", args=[entry.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"confirm": "yes", "reason": "x"}).status_code == 403
    assert events_after(before) == []
    assert DiplomaBookEntry.objects.get(pk=entry.pk).status == "issued"


def test_another_faculty_sees_no_cohort_and_no_entry(
    client: Any, staff: dict[str, Any], org: Any, cohort: CohortFixture
) -> None:
    """The other faculty's dean: the cohort, the batch and the entry are 404; the book is empty."""
    entry = _diploma_entry(staff, org)
    client.force_login(staff[Role.REGISTRAR])
    client.post(COHORT, _cohort_query(cohort))
    job = Job.objects.get(kind="diploma_batch")
    before = last_event_id()
    client.force_login(staff["other_dean"])
    assert client.get(COHORT, _cohort_query(cohort)).status_code == 404
    assert client.get(reverse("records_diplomas:batch", args=[job.pk])).status_code == 404
    assert client.get(reverse("records_diplomas:spoil", args=[entry.pk])).status_code == 404
    response = client.get(BOOK)
    assert response.status_code == 200 and entry.display_number not in response.content.decode()
    assert events_after(before) == []


def test_preview_and_batch_start_by_the_registrar(
    client: Any, staff: dict[str, Any], cohort: CohortFixture
) -> None:
    """The preview (recorded) lists graduates with honours and reasons; the dean may look but not start."""
    client.force_login(staff[Role.REGISTRAR])
    response = client.get(INDEX)
    assert response.status_code == 200 and cohort.group_code in response.content.decode()
    before = last_event_id()
    response = client.get(COHORT, _cohort_query(cohort))
    page = response.content.decode()
    assert response.status_code == 200 and ("Abayev Abai" in page or "Абаев Абай" in page)
    assert "D11" in page  # Bolat's refusal reason names the discipline
    assert events_after(before) == ["diploma.preview"]
    client.force_login(staff[Role.DEAN])
    before = last_event_id()
    assert client.post(COHORT, _cohort_query(cohort)).status_code == 403
    assert events_after(before) == [] and not Job.objects.filter(kind="diploma_batch").exists()
    client.force_login(staff[Role.REGISTRAR])
    response = client.post(COHORT, _cohort_query(cohort))
    job = Job.objects.get(kind="diploma_batch")
    assert response.status_code == 302 and response["Location"] == reverse(
        "records_diplomas:batch", args=[job.pk]
    )
    assert events_after(before) == ["job.create", "diploma.batch_start"]
    response = client.post(COHORT, _cohort_query(cohort), follow=True)  # twice: refused with a message
    assert str(job.pk) in response.content.decode() and Job.objects.filter(kind="diploma_batch").count() == 1
    client.force_login(staff[Role.DEAN])
    response = client.get(reverse("records_diplomas:batch", args=[job.pk]))
    assert response.status_code == 200 and 'http-equiv="refresh"' in response.content.decode()  # pending
    assert (
        client.post(reverse("records_diplomas:batch", args=[job.pk]), {"action": "stop"}).status_code == 403
    )


def test_book_list_export_and_spoil(
    client: Any, staff: dict[str, Any], org: Any, django_assert_max_num_queries: Any
) -> None:
    """The book lists and filters; exports are recorded; spoiling asks to confirm and needs a reason."""
    first = _diploma_entry(staff, org, number=1)
    _diploma_entry(staff, org, number=2)
    client.force_login(staff[Role.REGISTRAR])
    client.get(BOOK)
    with django_assert_max_num_queries(12):
        response = client.get(BOOK, {"series": "bd", "status": "issued"})
    assert response.status_code == 200 and "BD 0000002" in response.content.decode()
    assert "BD 0000002" not in client.get(BOOK, {"q": "0000001"}).content.decode()
    before = last_event_id()
    response = client.post(EXPORT, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response.status_code == 200 and [r[1] for r in rows[1:]] == ["BD 0000001", "BD 0000002"]
    response = client.post(EXPORT, {"format": "xlsx", "q": "0000002"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [[c.value for c in row][1] for row in sheet.iter_rows()][1:] == ["BD 0000002"]
    assert events_after(before) == ["diploma_book.export", "diploma_book.export"]
    spoil = reverse("records_diplomas:spoil", args=[first.pk])
    before = last_event_id()
    assert client.get(spoil).status_code == 200
    assert client.post(spoil, {"reason": "Опечатка"}).status_code == 200  # not confirmed
    assert client.post(spoil, {"confirm": "yes", "reason": ""}).status_code == 200  # no reason
    assert events_after(before) == [] and DiplomaBookEntry.objects.get(pk=first.pk).status == "issued"
    response = client.post(spoil, {"confirm": "yes", "reason": "Опечатка"})
    assert response.status_code == 302 and DiplomaBookEntry.objects.get(pk=first.pk).status == "spoiled"
    assert events_after(before) == ["diploma.spoil"]
    reissue = reverse("records_diplomas:reissue", args=[first.pk])
    before = last_event_id()
    response = client.post(reissue, {"confirm": "yes", "reason": "Утерян"})
    assert response.status_code == 200 and "BD 0000001" in response.content.decode()
    assert events_after(before) == []


def test_batch_page_signs_the_batch_with_one_passphrase(
    client: Any, staff: dict[str, Any], cohort: CohortFixture
) -> None:
    """The batch page offers the dean, then the rector, the batch's documents to sign with one passphrase."""
    from records.demo.pki import bootstrap_pki, demo_passphrase
    from records.models import Document
    from records.selectors.diplomas import diploma_batch_documents
    from records.services.diplomas import diploma_batch_start
    from records.services.jobs import job_run

    bootstrap_pki(usernames={staff[Role.DEAN].username, staff[Role.RECTOR].username})
    job = job_run(
        diploma_batch_start(by=staff[Role.REGISTRAR], group_code=cohort.group_code, date=cohort.date).pk
    )
    ids = diploma_batch_documents(job)
    page = reverse("records_diplomas:batch", args=[job.pk])
    for role in (Role.DEAN, Role.RECTOR):
        client.force_login(staff[role])
        content = client.get(page).content.decode()
        assert content.count('name="documents"') == len(ids) == 6
        response = client.post(
            reverse("records_signing:batch_start"),
            {"documents": ids, "passphrase": demo_passphrase(staff[role].username)},
        )
        assert response.status_code == 302
    assert set(Document.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"registered"}
    from records.projections.replay import replay

    assert replay(check=True).differs is False  # registered diplomas leave the projections alone
    assert 'name="documents"' not in client.get(page).content.decode()


def test_bad_input_gives_404_or_a_message_and_changes_nothing(
    client: Any, staff: dict[str, Any], cohort: CohortFixture
) -> None:
    """An unknown cohort is 404 (GET and POST), an unknown export format a message; nothing is recorded."""
    client.force_login(staff[Role.REGISTRAR])
    before = last_event_id()
    assert client.get(COHORT, {"group": "NOPE", "date": "2025-06-30"}).status_code == 404
    assert client.post(COHORT, {"group": cohort.group_code, "date": "not-a-date"}).status_code == 404
    assert client.get(reverse("records_diplomas:batch", args=[999])).status_code == 404
    assert client.post(EXPORT, {"format": "pdf"}).status_code == 302
    assert events_after(before) == [] and not Job.objects.exists()
