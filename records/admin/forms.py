"""Forms of the back office: list filters, the schema-generated data form, transitions, audit filters."""

from __future__ import annotations

import datetime as dt
import decimal
import types
import typing
from enum import Enum
from typing import Any

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from django import forms
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from records.admin.students import StudentPickerField
from records.kinds.base import DocumentKind, all_kinds
from records.kinds.fields import DateBounds, date_out_of_range_message
from records.kinds.labels import FIELD_LABELS, error_sentence, field_label, option_label
from records.lifecycle import State
from records.models import OrgUnit
from records.selectors.document import MAX_YEAR, MIN_YEAR, DocumentFilters
from records.selectors.org import org_units

# Strings longer than this get a textarea instead of a one-line input.
LONG_TEXT = 500
SORT_CHOICES = [("-created_at", _("Newest first")), ("created_at", _("Oldest first"))]


def org_unit_choices(units: Any) -> list[tuple[int | str, str]]:
    """Choices for an org unit select, indented by depth so the tree reads."""
    return [(unit.pk, "\u2003" * max(unit.path.count("/") - 2, 0) + unit.name) for unit in units]


class DocumentFilterForm(forms.Form):
    """The list filters; every field is optional and a bad value is ignored with an error shown."""

    q = forms.CharField(label=_("Number or title"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    org_unit = forms.TypedChoiceField(label=_("Org unit"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    ordering = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["kind"].choices = any_choice + [(k.code, k.name) for k in all_kinds()]  # type: ignore[attr-defined]
        self.fields["state"].choices = any_choice + list(State.choices)  # type: ignore[attr-defined]
        self.fields["org_unit"].choices = any_choice + org_unit_choices(org_units())  # type: ignore[attr-defined]

    def filters(self) -> DocumentFilters:
        """The valid part of the input as selector filters (invalid fields are dropped)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DocumentFilters(
            kind=data.get("kind") or "",
            state=data.get("state") or "",
            org_unit=data.get("org_unit") or None,
            year=data.get("year") or None,
            q=data.get("q") or "",
        )

    def sort_order(self) -> str:
        """The chosen sort order (newest first by default)."""
        value = getattr(self, "cleaned_data", {}).get("ordering")
        return value if value in dict(SORT_CHOICES) else "-created_at"


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    """(inner type, is_optional) for `X | None` / `Optional[X]`."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(annotation)) == 2:
            return args[0], True
    return annotation, False


def _metadata(info: FieldInfo) -> list[Any]:
    """The field's constraints, also those of an `Annotated[...] | None` (e.g. RecordDate | None)."""
    inner, _optional = _unwrap_optional(info.annotation)
    nested = list(typing.get_args(inner)[1:]) if typing.get_origin(inner) is typing.Annotated else []
    return [*info.metadata, *nested]


def _plain_type(info: FieldInfo) -> tuple[Any, bool]:
    """(the field's type without None and Annotated, is_optional)."""
    inner, optional = _unwrap_optional(info.annotation)
    if typing.get_origin(inner) is typing.Annotated:
        inner = typing.get_args(inner)[0]
    return inner, optional


def _constraints(info: FieldInfo) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for item in _metadata(info):
        if isinstance(item, MaxLen):
            found["max_length"] = item.max_length
        elif isinstance(item, MinLen):
            found["min_length"] = item.min_length
        elif isinstance(item, Ge):
            found["min_value"] = item.ge
        elif isinstance(item, Le):
            found["max_value"] = item.le
        elif isinstance(item, Gt):
            found["gt"] = item.gt
        elif isinstance(item, Lt):
            found["lt"] = item.lt
        elif isinstance(item, DateBounds):
            found["min_value"], found["max_value"] = item.lower(), item.upper()
    return found


def bounded_date_field(*, min_value: dt.date, max_value: dt.date, **common: Any) -> forms.DateField:
    """A date input refusing dates outside [min_value, max_value] with the schema's message."""

    def in_range(value: dt.date) -> None:
        if value is not None and not min_value <= value <= max_value:
            raise forms.ValidationError(date_out_of_range_message(), code="date_out_of_range")

    attrs = {"type": "date", "min": min_value.isoformat(), "max": max_value.isoformat()}
    return forms.DateField(
        widget=forms.DateInput(attrs=attrs, format="%Y-%m-%d"), validators=[in_range], **common
    )


def schema_field(name: str, info: FieldInfo, schema: type[BaseModel] | None = None) -> forms.Field:
    """A Django form field for one pydantic field: its type, length, bounds and requiredness,
    labelled and with options in words (records.kinds.labels)."""
    inner, optional = _plain_type(info)
    limits = _constraints(info)
    common: dict[str, Any] = {
        "label": field_label(name, schema),
        "required": info.is_required() and not optional,
        "help_text": _(info.description) if info.description and name not in FIELD_LABELS else "",
    }
    if inner is bool:
        return forms.BooleanField(**{**common, "required": False})
    if inner is str:
        max_length = limits.get("max_length")
        widget = forms.Textarea(attrs={"rows": 6}) if max_length is None or max_length > LONG_TEXT else None
        return forms.CharField(
            max_length=max_length, min_length=limits.get("min_length"), widget=widget, strip=True, **common
        )
    if inner is dt.date and "min_value" in limits:
        return bounded_date_field(min_value=limits["min_value"], max_value=limits["max_value"], **common)
    if inner is dt.date:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if inner is dt.datetime:
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), **common
        )
    if inner is int:
        return forms.IntegerField(
            min_value=limits.get("min_value"), max_value=limits.get("max_value"), **common
        )
    if inner is decimal.Decimal:
        return forms.DecimalField(
            min_value=limits.get("min_value"), max_value=limits.get("max_value"), **common
        )
    if inner is float:
        return forms.FloatField(
            min_value=limits.get("min_value"), max_value=limits.get("max_value"), **common
        )
    if isinstance(inner, type) and issubclass(inner, Enum):
        return forms.ChoiceField(choices=_choices([m.value for m in inner], common["required"]), **common)
    if typing.get_origin(inner) is typing.Literal:
        values = list(typing.get_args(inner))
        choices = _choices(values, common["required"])
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):  # Literal[1, 2]: an int
            return forms.TypedChoiceField(choices=choices, coerce=int, empty_value=None, **common)
        return forms.ChoiceField(choices=choices, **common)
    # Lists and nested models: edited as JSON until the kind gets a dedicated editor.
    return forms.JSONField(widget=forms.Textarea(attrs={"rows": 6}), **common)


def _choices(values: list[Any], required: bool) -> list[tuple[Any, str]]:
    """Options as words; an optional choice starts with an empty option."""
    options = [(value, option_label(value)) for value in values]
    return options if required else [("", "—"), *options]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


class KindDataFormMixin(forms.Form):
    """Adds one field per schema field of `kind` (prefixed "data-") and validates with the schema."""

    kind: DocumentKind
    data_prefix = "data__"
    # Fields fixed by the kind itself (a Literal with its default), never asked of a person.
    hidden_data_fields: frozenset[str] = frozenset({"order_type"})

    def add_data_fields(self, kind: DocumentKind, user: Any = None) -> None:
        """Append the kind's fields after the fields already declared; a student is picked by name
        among the students within the user's reach."""
        self.kind = kind
        for name, info in kind.schema.model_fields.items():
            if name in self.hidden_data_fields:
                continue
            if name == "student_iin" and user is not None:
                self.fields[self.data_prefix + name] = StudentPickerField(
                    user=user, roles=kind.creator_roles, kind_code=kind.code, label=field_label(name)
                )
                continue
            self.fields[self.data_prefix + name] = schema_field(name, info, kind.schema)

    @staticmethod
    def initial_from_data(data: dict[str, Any]) -> dict[str, Any]:
        """Initial form values for stored version data."""
        return {KindDataFormMixin.data_prefix + key: value for key, value in data.items()}

    def document_data(self) -> dict[str, Any]:
        """The cleaned data fields as the JSON the kind's schema takes (blank optional fields omitted)."""
        result: dict[str, Any] = {}
        for name, info in self.kind.schema.model_fields.items():
            if name in self.hidden_data_fields:
                continue
            value = self.cleaned_data.get(self.data_prefix + name)
            _inner, optional = _unwrap_optional(info.annotation)
            if value in (None, "") and not info.is_required():
                if optional:
                    result[name] = None
                continue
            result[name] = _jsonable(value)
        return result

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(key.startswith(self.data_prefix) for key in self.errors):
            return cleaned
        schema: type[BaseModel] = self.kind.schema
        try:
            schema.model_validate(self.document_data())
        except ValidationError as exc:
            for err in exc.errors():
                field = self.data_prefix + str(err["loc"][0]) if err["loc"] else None
                self.add_error(field if field in self.fields else None, error_sentence(err, schema))
        return cleaned


def autofocus_first(form: forms.Form) -> None:
    """Put the keyboard focus on the first visible field."""
    for field in form.visible_fields():
        field.field.widget.attrs["autofocus"] = True
        return


TITLE_HELP = _("Leave it empty: the title is made from the kind and the data (the student, the date).")


class DocumentCreateForm(KindDataFormMixin):
    """Kind is fixed by the URL; the user picks a unit where they may create and fills the data; the
    title is proposed from the data unless the user writes one."""

    org_unit = forms.TypedChoiceField(label=_("Org unit"), coerce=int)

    def __init__(
        self, *args: Any, kind: DocumentKind, units: list[OrgUnit], user: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.fields["org_unit"].choices = org_unit_choices(units)  # type: ignore[attr-defined]
        if len(units) == 1:
            self.fields["org_unit"].initial = units[0].pk
            self.fields["org_unit"].widget = forms.HiddenInput()
        self.add_data_fields(kind, user)
        self.fields["title"] = forms.CharField(
            label=_("Title"), max_length=500, required=False, help_text=TITLE_HELP
        )
        autofocus_first(self)

    def selected_unit(self) -> OrgUnit:
        """The chosen unit (valid forms only)."""
        return self.units[self.cleaned_data["org_unit"]]


class DocumentEditForm(KindDataFormMixin):
    """Edit a draft: title, data, a comment; `lock_version` carries what the editor loaded."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = forms.CharField(label=_("Title"), max_length=500, required=False, help_text=TITLE_HELP)

    def __init__(self, *args: Any, kind: DocumentKind, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_data_fields(kind, user)
        self.fields["comment"] = forms.CharField(
            label=_("Comment on this version"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )
        autofocus_first(self)


class TransitionForm(forms.Form):
    """A transition request; `reason` is required for the transitions that need one."""

    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, needs_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = needs_reason
        self.fields["reason"].widget.attrs.update({"rows": 4, "autofocus": True})


class AuditFilterForm(forms.Form):
    """Filters of the system audit trail."""

    action = forms.CharField(label=_("Action"), required=False, max_length=60)
    actor = forms.CharField(label=_("Who (user name)"), required=False, max_length=150)
