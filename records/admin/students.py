"""The student picker of order forms: search as you type by name (or IIN), through the scope selector.

The visible input is an ARIA combobox (role="combobox", a listbox of suggestions, arrow keys,
Enter to choose, Escape to close); the lookup endpoint answers from
`records.selectors.students.students_matching`, so a dean is offered only their faculty's students.
Without script the input still works: a typed name that matches exactly one student within reach
is taken, several are listed in the error, an IIN is checked against the same scope.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from records.admin.base import RegistryView
from records.errors import RecordsError
from records.kinds.base import get_kind
from records.models import Person
from records.selectors.students import student_within_reach, students_matching

IIN_IN_TEXT = re.compile(r"(?<!\d)(\d{12})(?!\d)")


def student_label(person: Person) -> str:
    """How a student is named in the picker: name, group, IIN."""
    group = person.group.code if person.group_id and person.group else ""
    parts = [person.full_name(), group, person.iin]
    return " — ".join(p for p in parts if p)


class StudentPickerWidget(forms.TextInput):
    """A text input that the picker script turns into a search-as-you-type combobox."""

    template_name = "records/admin/widgets/student_picker.html"

    def __init__(self, lookup_url: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "autocomplete": "off",
                "data-student-picker": lookup_url,
                **(attrs or {}),
            }
        )

    class Media:
        js = ("records/student_picker.js",)


class StudentPickerField(forms.CharField):
    """A student named by search: cleans to the IIN of exactly one student within the user's reach."""

    def __init__(self, *, user: Any, roles: frozenset[str], kind_code: str, **kwargs: Any) -> None:
        self.user = user
        self.roles = roles
        url = reverse("records_admin:student_lookup") + f"?kind={kind_code}"
        kwargs.setdefault(
            "help_text", _("Type part of the student's name (or IIN) and choose from the list.")
        )
        super().__init__(widget=StudentPickerWidget(url), max_length=300, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        """A stored IIN is shown as the student's name, group and IIN."""
        if isinstance(value, str) and re.fullmatch(r"\d{12}", value):
            person = student_within_reach(user=self.user, roles=self.roles, iin=value)
            if person is not None:
                return student_label(person)
        return value

    def clean(self, value: Any) -> str:
        text = str(super().clean(value) or "").strip()
        if not text:
            return ""
        match = IIN_IN_TEXT.search(text)
        if match:
            person = student_within_reach(user=self.user, roles=self.roles, iin=match.group(1))
            if person is None:
                raise ValidationError(_("No student with this IIN is within your scope."), code="no_student")
            return person.iin
        found = students_matching(user=self.user, roles=self.roles, query=text, limit=6)
        if not found:
            raise ValidationError(
                _("No student within your scope is called “%(name)s”."),
                code="no_student",
                params={"name": text},
            )
        if len(found) > 1:
            names = "; ".join(student_label(p) for p in found[:5])
            raise ValidationError(
                _("Several students match “%(name)s”: %(names)s. Choose one from the list."),
                code="several_students",
                params={"name": text, "names": names},
            )
        return found[0].iin


class StudentLookupView(RegistryView):
    """GET ?kind=K&q=... → {"results": [{"iin", "label"}]}: students the user may name in a K."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            kind = get_kind(request.GET.get("kind", ""))
        except RecordsError as exc:
            return JsonResponse({"error": exc.message}, status=400)
        query = request.GET.get("q", "")[:100]
        found = students_matching(user=request.user, roles=kind.creator_roles, query=query)
        return JsonResponse({"results": [{"iin": p.iin, "label": student_label(p)} for p in found]})
