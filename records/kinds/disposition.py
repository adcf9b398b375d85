"""The disposition act: a registered document listing the records to destroy at the end of retention.

Drafted by the archivist from the due list, reviewed by the expert commission, signed by the
archivist, the commission and the rector. Only its registration destroys: the engine disposes of
every listed record (records.services.document), each keeping its residual record. Listed records
must be filed, due (their retention ran out), not to be transferred, not disposed already, and owned
within the act's unit; the engine refuses the act while any of them is under hold.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pydantic import BaseModel, Field

from doctemplates.defaults import Field as TemplateField
from doctemplates.defaults import build_template
from records.errors import RecordsError
from records.kinds.base import DocumentKind, RouteStep, get_kind, register_kind
from records.kinds.fileplan import LABELS
from records.kinds.templates import TABLE_MARKER, _number_fields, _with_tables, layout_common
from records.models import Document, Filing
from records.models.org import Role

DISPOSITION_KIND = "disposition_act"
DISPOSABLE_STATES = ("registered", "archived", "revoked", "superseded")


class DisposedRecord(BaseModel):
    """A listed record as the act prints it (computed from the registry when the act is written)."""

    id: int
    number: str
    title: str
    series: str
    registered: str
    due_on: str


class DispositionActData(BaseModel):
    """The registry numbers of the records to destroy and the grounds."""

    records: list[str] = Field(min_length=1, max_length=5000)
    basis: str = Field(min_length=3, max_length=1000)
    entries: list[DisposedRecord] = Field(default_factory=list)


def _validate_db(data: dict[str, Any], org_unit: Any) -> dict[str, Any]:
    numbers = list(dict.fromkeys(n.strip() for n in data["records"] if n.strip()))
    documents = {
        d.registry_number: d
        for d in Document.objects.filter(registry_number__in=numbers).exclude(state="disposed").order_by("id")
    }
    missing = [n for n in numbers if n not in documents]
    if missing:
        raise RecordsError(
            "invalid_data", _("No record to destroy has the number %(numbers)s."), numbers=", ".join(missing)
        )
    filings = {
        f.document_id: f for f in Filing.objects.filter(document__in=[d.pk for d in documents.values()])
    }
    today = timezone.localdate()
    problems: list[str] = []
    items = []
    for number in numbers:
        document = documents[number]
        filing = filings.get(document.pk)
        if document.state not in DISPOSABLE_STATES:
            problems.append(_("%(number)s is not registered.") % {"number": number})
        elif get_kind(document.kind).project is not None:
            # Its registration built derived data (grades, statuses) that a replay rebuilds from it.
            problems.append(
                _("%(number)s is a source of the registry's derived data and is kept.") % {"number": number}
            )
        elif not document.org_path.startswith(org_unit.path):
            problems.append(_("%(number)s belongs to another unit.") % {"number": number})
        elif filing is None or filing.due_on is None:
            problems.append(_("%(number)s is kept permanently.") % {"number": number})
        elif filing.final_action == "transfer":
            problems.append(
                _("%(number)s goes to the state archive, not to destruction.") % {"number": number}
            )
        elif filing.due_on > today:
            problems.append(
                _("%(number)s is kept until %(date)s.")
                % {"number": number, "date": filing.due_on.isoformat()}
            )
        else:
            registered = document.registered_at.date() if document.registered_at else dt.date.min
            items.append(
                {
                    "id": document.pk,
                    "number": number,
                    "title": document.title,
                    "series": filing.series_index,
                    "registered": registered.isoformat(),
                    "due_on": filing.due_on.isoformat(),
                }
            )
    if problems:
        raise RecordsError("invalid_data", "%(problems)s", problems=" ".join(problems))
    return {**data, "records": numbers, "entries": items}


def _disposes(data: dict[str, Any]) -> list[int]:
    return [int(item["id"]) for item in data.get("entries", [])]


def disposition_layout(kind: DocumentKind, language: str) -> bytes:
    """A disposition act: the grounds, then the table of records to destroy."""
    docx = build_template(
        title=kind.names,
        fields=[*_number_fields(), TemplateField(LABELS["grounds"], "data.basis")],
        body_expression=TABLE_MARKER + "0",
        **layout_common(kind, language),  # type: ignore[arg-type]
    )
    columns = (
        ("number", "number"),
        ("title", "title"),
        ("series_index", "series"),
        ("registered", "registered"),
        ("due_on", "due_on"),
    )
    return _with_tables(docx, language, [("data.entries", columns)])


DISPOSITION_ACT = register_kind(
    DocumentKind(
        code=DISPOSITION_KIND,
        names={
            "kk": "Құжаттарды жоюға бөлу туралы акт",
            "ru": "Акт о выделении к уничтожению документов",
            "en": "Disposition act",
        },
        schema=DispositionActData,
        series="АУ",
        number_format="{series}-{year}-{seq:04d}",
        creator_roles=frozenset({Role.ARCHIVIST}),
        approver_roles=frozenset({Role.EXPERT_COMMISSION}),
        revoker_roles=frozenset(),  # destruction is not undone: an act is never revoked
        signing_route=(
            RouteStep(code="archivist", role=Role.ARCHIVIST, label=_lazy("Archivist")),
            RouteStep(
                code="expert_commission", role=Role.EXPERT_COMMISSION, label=_lazy("Expert commission")
            ),
            RouteStep(code="rector", role=Role.RECTOR, label=_lazy("Rector")),
        ),
        retention_class="permanent",
        sample_data={"records": ["ПР-2020-00001"], "basis": "Истёк срок хранения по номенклатуре дел"},
        validate_db=_validate_db,
        disposes=_disposes,
        layout=disposition_layout,
        template_languages=("kk", "ru", "en"),
        search_text=lambda document, version: " ".join(version.data.get("records", [])),
    )
)
