"""A generic internal order: the first, simplest kind of the registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from records.kinds.base import DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.templates import internal_order_layout
from records.models.org import Role


class InternalOrderData(BaseModel):
    """The data of an internal order."""

    subject: str = Field(min_length=3, max_length=300, description="What the order is about")
    body: str = Field(min_length=1, max_length=20_000, description="The text of the order")
    effective_date: RecordDate | None = None
    executor: str = Field(default="", max_length=300, description="Who carries it out")


INTERNAL_ORDER = register_kind(
    DocumentKind(
        layout=internal_order_layout,
        code="internal_order",
        names={"kk": "Ішкі бұйрық", "ru": "Внутренний приказ", "en": "Internal order"},
        schema=InternalOrderData,
        series="ПР",
        number_format="{series}-{year}-{seq:05d}",
        creator_roles=frozenset(
            {Role.REGISTRAR, Role.DEAN, Role.HEAD_OF_DEPARTMENT, Role.VICE_RECTOR, Role.RECTOR, Role.TEACHER}
        ),
        approver_roles=frozenset({Role.DEAN, Role.VICE_RECTOR, Role.RECTOR, Role.REGISTRAR}),
        revoker_roles=frozenset({Role.RECTOR, Role.REGISTRAR}),
        signing_route=(RouteStep(code="rector", role=Role.RECTOR, label=_("Rector")),),
        retention_class="permanent",
        sample_data={
            "subject": "Об организации учебного процесса",
            "body": "Приказываю утвердить график учебного процесса на 2026-2027 учебный год.",
            "effective_date": "2026-09-01",
            "executor": "Офис регистратора",
        },
        search_text=lambda document, version: " ".join(
            str(version.data.get(k, "")) for k in ("subject", "body", "executor")
        ),
    )
)
