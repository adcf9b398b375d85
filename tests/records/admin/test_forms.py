"""The form generated from a kind's pydantic schema: one Django field per schema field, right type."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Literal

import pytest
from django import forms
from pydantic import BaseModel, Field

from records.admin.forms import DocumentFilterForm, schema_field


class Sample(BaseModel):
    short: str = Field(max_length=100)
    long: str = Field(max_length=5000, description="Body")
    when: dt.date
    maybe_when: dt.date | None = None
    count: int = Field(ge=0, le=10)
    amount: decimal.Decimal
    ratio: float | None = None
    flag: bool = False
    level: Literal["a", "b"] = "a"
    items: list[str] = []


@pytest.mark.parametrize(
    ("name", "field_class", "required"),
    [
        ("short", forms.CharField, True),
        ("long", forms.CharField, True),
        ("when", forms.DateField, True),
        ("maybe_when", forms.DateField, False),
        ("count", forms.IntegerField, True),
        ("amount", forms.DecimalField, True),
        ("ratio", forms.FloatField, False),
        ("flag", forms.BooleanField, False),
        ("level", forms.ChoiceField, False),
        ("items", forms.JSONField, False),
    ],
)
def test_each_schema_type_gets_its_form_field(name: str, field_class: type, required: bool) -> None:
    field = schema_field(name, Sample.model_fields[name])
    assert type(field) is field_class
    assert field.required is required


def test_long_strings_get_a_textarea_short_ones_an_input_and_bounds_carry_over() -> None:
    assert isinstance(schema_field("long", Sample.model_fields["long"]).widget, forms.Textarea)
    assert isinstance(schema_field("short", Sample.model_fields["short"]).widget, forms.TextInput)
    count = schema_field("count", Sample.model_fields["count"])
    assert (count.min_value, count.max_value) == (0, 10)
    assert schema_field("when", Sample.model_fields["when"]).widget.input_type == "date"


@pytest.mark.django_db
def test_the_filter_form_drops_invalid_values_and_keeps_valid_ones() -> None:
    form = DocumentFilterForm({"q": "ПР-2026", "year": "abc", "state": "bogus", "kind": "internal_order"})
    filters = form.filters()
    assert (filters.q, filters.year, filters.state, filters.kind) == ("ПР-2026", None, "", "internal_order")
    assert form.sort_order() == "-created_at"
