"""The ЕПВО number: entered by the registrar from the Ministry's module, required to issue, on the diploma.

ЕПВО gives every diploma its unique number from the student's record there; nothing here can obtain
it, so the registrar enters it on the cohort page. A cohort with any graduate lacking a number is
refused with their names and nothing issued; an issued diploma carries the number in its data and
on its PDF. Bad, repeated or foreign numbers are refused, naming whom, and nothing is saved.
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from django.urls import reverse

from records.errors import RecordsError
from records.models import AuditEvent, DiplomaBookEntry, Document, EpvoNumber, Job, Role
from records.selectors.diplomas import diploma_batch_documents
from records.selectors.document import document_current_pdf
from records.services.diplomas import diploma_batch_start
from records.services.epvo import epvo_numbers_enter
from records.services.jobs import job_run
from tests.records.admin.conftest import events_after, last_event_id
from tests.records.diplomas.conftest import GRADUATION_DATE, build_cohort

COHORT = reverse("records_diplomas:cohort")


@pytest.fixture
def bare(users: dict[str, Any], org: Any) -> Any:
    """The complete cohort of three graduates, with no ЕПВО number entered yet."""
    return build_cohort(users, org, epvo=False)


def test_a_cohort_without_epvo_numbers_is_refused_naming_each_graduate(
    users: dict[str, Any], bare: Any
) -> None:
    epvo_numbers_enter(
        by=users[Role.REGISTRAR],
        group_code=bare.group_code,
        date=bare.date,
        numbers={bare.students[0].pk: "KZ-0001"},
    )
    with pytest.raises(RecordsError) as info:
        diploma_batch_start(by=users[Role.REGISTRAR], group_code=bare.group_code, date=bare.date)
    assert info.value.code == "epvo_number_missing"
    assert all(person.full_name() in info.value.message for person in bare.students[1:])
    assert bare.students[0].full_name() not in info.value.message
    assert not Job.objects.filter(kind="diploma_batch").exists() and not DiplomaBookEntry.objects.exists()


def test_numbers_entered_on_the_cohort_page_are_on_the_issued_diplomas(
    client: Any, staff: dict[str, Any], bare: Any
) -> None:
    client.force_login(staff[Role.REGISTRAR])
    page = client.get(COHORT, {"group": bare.group_code, "date": bare.date}).content.decode()
    assert 'id="epvo-missing"' in page and all(f'name="epvo-{p.pk}"' in page for p in bare.students)
    numbers = {p.pk: f"ЕПВО-2025/{index:05d}" for index, p in enumerate(bare.students, start=1)}
    before = last_event_id()
    response = client.post(
        COHORT,
        {"group": bare.group_code, "date": bare.date, "action": "epvo"}
        | {f"epvo-{pk}": number for pk, number in numbers.items()},
    )
    assert response.status_code == 302
    assert events_after(before) == ["diploma.epvo_number"] * 3
    page = client.get(COHORT, {"group": bare.group_code, "date": bare.date}).content.decode()
    assert 'id="epvo-missing"' not in page and all(number in page for number in numbers.values())

    job = job_run(
        diploma_batch_start(by=staff[Role.REGISTRAR], group_code=bare.group_code, date=bare.date).pk
    )
    assert job.state == Job.State.DONE
    for diploma in Document.objects.filter(pk__in=diploma_batch_documents(job), kind="diploma"):
        assert diploma.subject is not None and diploma.current_version is not None
        expected = numbers[diploma.subject.pk]
        assert diploma.current_version.data["epvo_number"] == expected
        pdf = document_current_pdf(diploma)
        assert pdf is not None
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert expected in text


@pytest.mark.parametrize(
    ("numbers", "needle"),
    [
        ({0: "12"}, "4 to 40"),
        ({0: "KZ 0001; DROP"}, "4 to 40"),
        ({0: "KZ-0007", 1: "KZ-0007"}, "more than one graduate"),
        ({0: "KZ-0001", 1: "KZ-taken"}, "already"),
    ],
)
def test_bad_numbers_are_refused_naming_whom_and_nothing_is_saved(
    users: dict[str, Any], bare: Any, numbers: dict[int, str], needle: str
) -> None:
    registrar = users[Role.REGISTRAR]
    epvo_numbers_enter(
        by=registrar, group_code=bare.group_code, date=bare.date, numbers={bare.students[2].pk: "KZ-taken"}
    )
    saved = list(EpvoNumber.objects.values_list("graduate_id", "number"))
    events = AuditEvent.objects.count()
    given = {bare.students[index].pk: number for index, number in numbers.items()}
    with pytest.raises(RecordsError) as info:
        epvo_numbers_enter(by=registrar, group_code=bare.group_code, date=bare.date, numbers=given)
    assert info.value.code == "epvo_number_invalid" and needle in info.value.message
    assert "Nothing was saved" in info.value.message
    assert list(EpvoNumber.objects.values_list("graduate_id", "number")) == saved
    assert AuditEvent.objects.count() == events


def test_only_the_registrar_enters_epvo_numbers(client: Any, staff: dict[str, Any], bare: Any) -> None:
    with pytest.raises(RecordsError) as info:
        epvo_numbers_enter(
            by=staff[Role.DEAN],
            group_code=bare.group_code,
            date=GRADUATION_DATE,
            numbers={bare.students[0].pk: "KZ-1"},
        )
    assert info.value.code == "forbidden"
    client.force_login(staff[Role.DEAN])
    before = last_event_id()
    data = {
        "group": bare.group_code,
        "date": bare.date,
        "action": "epvo",
        f"epvo-{bare.students[0].pk}": "KZ-0001",
    }
    assert client.post(COHORT, data).status_code == 403
    client.force_login(staff["other_dean"])
    assert client.post(COHORT, data).status_code in (403, 404)
    assert events_after(before) == [] and not EpvoNumber.objects.exists()
