"""Administrators manage people: an invalid or duplicate IIN gets a clear message and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from records.models import AuditEvent, Person
from tests.factories import make_iin

URL = "/admin/snippets/records/person/add/"


def _form(iin: str) -> dict[str, str]:
    return {
        "kind": "student",
        "citizenship": "KZ",
        "iin": iin,
        "last_name_kk": "Сәрсенова",
        "first_name_kk": "Әлия",
        "last_name_ru": "Сарсенова",
        "first_name_ru": "Алия",
        "last_name_en": "Sarsenova",
        "first_name_en": "Aliya",
    }


@pytest.fixture
def admin_client(client: Any, db: Any) -> Any:
    admin = get_user_model().objects.create_superuser("root", "root@example.kz", "pw")
    client.force_login(admin)
    return client


@pytest.mark.parametrize(
    ("iin", "message"),
    [("12345678901", "exactly 12 digits"), ("000101512340", "wrong check digit")],
)
def test_an_invalid_iin_is_refused_with_a_message(admin_client: Any, iin: str, message: str) -> None:
    valid = make_iin(4242)
    bad = iin if "digits" in message else valid[:11] + str((int(valid[11]) + 1) % 10)
    response = admin_client.post(URL, _form(bad))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action="person.create").exists()


def test_a_duplicate_person_is_refused_and_a_valid_one_is_created_with_an_audit_event(
    admin_client: Any,
) -> None:
    iin = make_iin(4343)
    response = admin_client.post(URL, _form(iin))
    assert response.status_code == 302
    assert Person.objects.filter(iin=iin).count() == 1
    assert AuditEvent.objects.filter(action="person.create").count() == 1
    response = admin_client.post(URL, _form(iin))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Person.objects.filter(iin=iin).count() == 1


def test_staff_without_admin_rights_cannot_add_people(client: Any, users: dict[str, Any]) -> None:
    from django.contrib.auth.models import Permission

    teacher = users["teacher"]
    teacher.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(teacher)
    response = client.post(URL, _form(make_iin(4444)))
    assert response.status_code in (302, 403)
    assert not Person.objects.filter(first_name_en="Aliya", last_name_en="Sarsenova").exists()
