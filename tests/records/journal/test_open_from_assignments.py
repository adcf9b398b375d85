"""A teacher opens the journals of their classes from the journal list: the registered load
distribution lists what they teach (lectures, practicals, laboratories) without a journal yet."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from records.models import Journal, Person, Role
from tests.factories import make_person
from tests.records.teaching.conftest import YEAR, position, register, setup_load

pytestmark = pytest.mark.django_db
CLASS_KINDS = {"lecture", "practical", "laboratory"}


def test_the_teacher_opens_an_assigned_class_journal_once_and_nothing_else(
    staff: dict[str, Any], org: Any
) -> None:
    calculation = setup_load(staff, org, students=6)
    teacher = Person.objects.get(user=staff[Role.TEACHER])
    colleague = make_person(last_name_ru="Коллегова", last_name_en="Kollegova")
    position(teacher, org.department)
    position(colleague, org.department, rate="1.5")
    lines = calculation.current_version.data["lines"]
    mine = [line for line in lines if line["kind"] in CLASS_KINDS and org.group.code in line["group_codes"]]
    assert mine
    register(
        staff,
        "load_distribution",
        org.department,
        {
            "academic_year": YEAR,
            "department_code": org.department.code,
            "assignments": [
                {"line_key": line["key"], "teacher_iin": (teacher if line in mine else colleague).iin}
                for line in lines
            ],
        },
    )
    client = Client()
    client.force_login(staff[Role.TEACHER])
    listing = client.get(reverse("records_journal:list"))
    assert listing.status_code == 200
    offered = {(item.discipline_code, item.period) for item in listing.context["to_open"]}
    assert offered == {(line["discipline_code"], line["term"]) for line in mine}
    first = listing.context["to_open"][0]
    form = {
        "discipline": first.discipline_code,
        "group": org.group.code,
        "year": str(YEAR),
        "period": str(first.period),
    }

    opened = client.post(reverse("records_journal:open"), form)
    journal = Journal.objects.get(teacher=teacher, discipline_code=first.discipline_code, period=first.period)
    assert opened.status_code == 302 and opened["Location"] == reverse(
        "records_journal:journal", args=[journal.pk]
    )
    assert (journal.group, journal.academic_year, journal.department) == (org.group, YEAR, org.department)
    assert (
        journal.students.count()
        == Person.objects.filter(group=org.group, kind=Person.Kind.STUDENT).count()
        >= 6
    )
    after = client.get(reverse("records_journal:list"))
    assert (first.discipline_code, first.period) not in {
        (i.discipline_code, i.period) for i in after.context["to_open"]
    }

    again = client.post(reverse("records_journal:open"), form, follow=True)
    forged = client.post(reverse("records_journal:open"), {**form, "discipline": "NOT-MINE"}, follow=True)
    for answer in (again, forged):
        assert answer.status_code == 200
        assert "This class is not among your assignments without a journal." in answer.content.decode()
    assert Journal.objects.filter(teacher=teacher).count() == 1

    head = Client()
    head.force_login(staff[Role.HEAD_OF_DEPARTMENT])  # the head teaches nothing here: nothing to open
    assert head.get(reverse("records_journal:list")).context["to_open"] == []
