"""Permission-aware reads of scholarship orders: who may look at them, the list, one order."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from records.errors import NotFoundOrForbidden, RecordsError
from records.models import Document
from records.permissions import may_work_with_scholarship
from records.selectors.document import documents_visible_to

KIND = "scholarship_order"


class ScholarshipForbidden(RecordsError):
    """The user holds no role that works with scholarship orders."""


def scholarship_access_check(user: Any) -> None:
    """Raise ScholarshipForbidden unless the user holds a scholarship role (or is a superuser)."""
    if not may_work_with_scholarship(user):
        raise ScholarshipForbidden(
            "forbidden", _("You do not have permission to work with scholarship orders.")
        )


def scholarship_orders_for(
    *, user: Any, academic_year: int | None = None, semester: int | None = None, state: str = ""
) -> QuerySet[Document]:
    """Scholarship orders the user may see (deans: their faculty's), newest first, filtered by term and state."""
    scholarship_access_check(user)
    orders = documents_visible_to(user=user).filter(kind=KIND).select_related("current_version")
    if academic_year is not None:
        orders = orders.filter(current_version__data__academic_year=academic_year)
    if semester is not None:
        orders = orders.filter(current_version__data__semester=semester)
    if state:
        orders = orders.filter(state=state)
    return orders


def scholarship_order_get(*, user: Any, pk: int | str) -> Document:
    """One scholarship order the user may see; absent, forbidden and other kinds all look the same."""
    scholarship_access_check(user)
    try:
        return documents_visible_to(user=user).select_related("current_version").get(pk=int(pk), kind=KIND)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise NotFoundOrForbidden("not_found", _("Scholarship order not found.")) from None
