"""Turning domain values into what the back office shows: labels, data tables, readable changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.kinds import labels
from records.kinds.base import DocumentKind, get_kind
from records.labels import state_label
from records.lifecycle import TRANSITION_LABELS, State

MAX_VALUE_CHARS = 300


def transition_label(name: str) -> str:
    """The translated label of a lifecycle transition."""
    label = TRANSITION_LABELS.get(name)
    return str(label) if label is not None else name


def field_label(kind: DocumentKind | None, name: str) -> str:
    """The translated label of a data field (records.kinds.labels)."""
    return labels.field_label(name, kind.schema if kind is not None else None)


def short(value: Any) -> str:
    """A value as text, cut to a length a table cell can hold."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = labels.option_label(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


@dataclass(frozen=True)
class DataRow:
    """One row of a version's data table."""

    label: str
    value: str
    changed: bool = False


def data_rows(kind_code: str, data: dict[str, Any], previous: dict[str, Any] | None = None) -> list[DataRow]:
    """A version's data as label → value rows, in the schema's field order, unknown keys last.

    With `previous` (the data of the version before), rows whose value differs are marked changed.
    """
    try:
        kind: DocumentKind | None = get_kind(kind_code)
    except RecordsError:
        kind = None
    order = list(kind.schema.model_fields) if kind is not None else []
    names = [n for n in order if n in data] + sorted(k for k in data if k not in order)
    return [
        DataRow(
            field_label(kind, name),
            short(data[name]),
            changed=previous is not None and previous.get(name) != data[name],
        )
        for name in names
    ]


@dataclass(frozen=True)
class ChangeLine:
    """One readable line of an audit event's `changes`."""

    field: str
    text: str


def _describe(value: Any) -> str:
    if isinstance(value, str) and value in State.values:
        return state_label(value)
    return short(value)


def change_lines(changes: Any, prefix: str = "") -> list[ChangeLine]:
    """Flatten an audit event's `changes` into lines like "state: Draft → In review"."""
    if not isinstance(changes, dict):
        return [ChangeLine(prefix, short(changes))] if changes not in (None, "", {}) else []
    lines: list[ChangeLine] = []
    for key in sorted(changes):
        value = changes[key]
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and set(value) == {"from", "to"}:
            lines.append(ChangeLine(name, f"{_describe(value['from'])} → {_describe(value['to'])}"))
        elif isinstance(value, dict) and value:
            lines.extend(change_lines(value, name))
        else:
            lines.append(ChangeLine(name, _describe(value)))
    return lines
