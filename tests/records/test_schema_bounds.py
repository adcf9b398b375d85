"""Every schema's bounds are the back-office form's bounds, and dates far outside the registry's
time (0001-01-01, 9999-12-31) are refused by the API and by the back office alike."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.test import Client
from pydantic import BaseModel

from records.admin.forms import DocumentFilterForm, _constraints, schema_field
from records.admin.grade_statements import StatementHeaderForm
from records.admin.scholarship import OrderFilterForm, ScholarshipRequestForm
from records.api.schemas import DocumentListParams
from records.kinds.base import all_kinds, get_kind
from records.kinds.fields import EARLIEST_DATE, latest_date
from records.kinds.grade_statement import GradeStatementData
from records.kinds.scholarship_order import ScholarshipOrderData
from records.models import ApiToken, Document, Person, Role
from tests.factories import make_person


def _form_limits(field: forms.Field) -> dict[str, Any]:
    """The limits a Django form field enforces (None where it has none)."""
    if isinstance(field, forms.DateField):
        attrs = field.widget.attrs
        low, high = attrs.get("min"), attrs.get("max")
        return {
            "max_length": None,
            "min_value": dt.date.fromisoformat(low) if low else None,
            "max_value": dt.date.fromisoformat(high) if high else None,
        }
    limits = {
        "max_length": getattr(field, "max_length", None),
        "min_value": getattr(field, "min_value", None),
    }
    limits["max_value"] = getattr(field, "max_value", None)
    min_length = getattr(field, "min_length", None)
    if min_length and min_length > 1:  # a required field already refuses ""
        limits["min_length"] = min_length
    return limits


def _schema_limits(schema: type[BaseModel], name: str) -> dict[str, Any]:
    found = _constraints(schema.model_fields[name])
    limits = {key: found.get(key) for key in ("max_length", "min_value", "max_value")}
    if found.get("min_length", 0) > 1:
        limits["min_length"] = found["min_length"]
    return limits


def test_every_generated_form_field_has_its_schemas_bounds() -> None:
    """The generated form of every kind: each field enforces exactly the schema's bounds."""
    compared = 0
    for kind in all_kinds():
        for name, info in kind.schema.model_fields.items():
            field = schema_field(name, info)
            if isinstance(field, forms.JSONField | forms.BooleanField | forms.ChoiceField):
                continue
            assert _form_limits(field) == _schema_limits(kind.schema, name), (kind.code, name)
            compared += 1
    assert compared > 50


# (form, form field, schema, schema field): the hand-written forms that feed a schema.
HAND_WRITTEN = [
    (StatementHeaderForm, name, GradeStatementData, name)
    for name in (
        "discipline_code",
        "discipline_name",
        "credits",
        "academic_year",
        "exam_date",
        "examiner",
        "amends_number",
        "reason",
    )
] + [
    (ScholarshipRequestForm, "academic_year", ScholarshipOrderData, "academic_year"),
    (ScholarshipRequestForm, "base_amount", ScholarshipOrderData, "base_amount"),
    (ScholarshipRequestForm, "increased_amount", ScholarshipOrderData, "increased_amount"),
    (OrderFilterForm, "academic_year", ScholarshipOrderData, "academic_year"),
    (DocumentFilterForm, "year", DocumentListParams, "year"),
]


@pytest.mark.parametrize(("form", "field", "schema", "schema_field_name"), HAND_WRITTEN)
def test_hand_written_forms_have_the_schemas_bounds(
    db: Any, form: type[forms.Form], field: str, schema: type[BaseModel], schema_field_name: str
) -> None:
    assert _form_limits(form().fields[field]) == _schema_limits(schema, schema_field_name)


def test_the_date_bounds_are_1990_to_two_years_ahead() -> None:
    assert EARLIEST_DATE == dt.date(1990, 1, 1)
    assert 729 <= (latest_date() - dt.date.today()).days <= 732


BAD_DATES = ["0001-01-01", "9999-12-31", "1989-12-31"]


@pytest.fixture
def statement_case(users: dict[str, Any], org: Any) -> tuple[Any, dict[str, Any]]:
    """A teacher and a valid statement of the teacher's group (one student)."""
    person = make_person(kind=Person.Kind.STUDENT)
    person.group = org.group
    person.save()
    data = {
        "discipline_code": "MAT101",
        "discipline_name": "Математика",
        "credits": 5,
        "group_code": org.group.code,
        "academic_year": 2024,
        "period": 1,
        "exam_date": "2025-01-10",
        "examiner": "Тестов Т.",
        "lines": [{"student_iin": person.iin, "rating1": "80", "rating2": "80", "exam": "80"}],
    }
    teacher = users[Role.TEACHER]
    teacher.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return teacher, data


@pytest.mark.parametrize("exam_date", BAD_DATES)
def test_the_api_refuses_an_exam_date_out_of_range(
    org: Any, statement_case: tuple[Any, dict[str, Any]], exam_date: str
) -> None:
    teacher, data = statement_case
    _token, key = ApiToken.issue(user=teacher, name="t")
    body = {
        "kind": "grade_statement",
        "org_unit": org.department.pk,
        "title": "В",
        "data": {**data, "exam_date": exam_date},
    }
    response = Client().post(
        "/api/v1/documents",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid_data"
    assert ("exam_date" in answer["message"] or "Exam date" in answer["message"]) and "1990-01-01" in answer[
        "message"
    ]
    assert not Document.objects.exists()


@pytest.mark.parametrize("exam_date", BAD_DATES)
def test_the_back_office_refuses_an_exam_date_out_of_range(
    org: Any, statement_case: tuple[Any, dict[str, Any]], exam_date: str
) -> None:
    teacher, data = statement_case
    client = Client()
    client.force_login(teacher)
    fields = {
        "org_unit": org.department.pk,
        "title": "Ведомость",
        **{f"data__{k}": (json.dumps(v) if isinstance(v, list) else v) for k, v in data.items()},
        "data__exam_date": exam_date,
    }
    response = client.post("/admin/registry/documents/new/?kind=grade_statement", fields)
    assert response.status_code == 200
    assert "1990-01-01" in str(response.context["form"].errors["data__exam_date"])
    header = StatementHeaderForm({**data, "exam_date": exam_date, "attempt_kind": "regular"})
    assert not header.is_valid() and "exam_date" in header.errors
    assert not Document.objects.exists()


def test_an_exam_date_in_range_is_accepted(org: Any, statement_case: tuple[Any, dict[str, Any]]) -> None:
    _teacher, data = statement_case
    assert get_kind("grade_statement").validate(data)["exam_date"] == "2025-01-10"
    header = StatementHeaderForm({**data, "attempt_kind": "regular"})
    assert header.is_valid(), header.errors
