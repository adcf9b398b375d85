"""Labels people read for codes: a kind's name, a lifecycle state's label (in the active language)."""

from __future__ import annotations

from records.errors import RecordsError
from records.kinds.base import get_kind
from records.lifecycle import State


def kind_name(code: str) -> str:
    """The kind's name in the active language, or its code when the kind is unknown."""
    try:
        return get_kind(code).name
    except RecordsError:
        return code


def state_label(state: str) -> str:
    """The translated label of a lifecycle state."""
    try:
        return str(State(state).label)
    except ValueError:
        return state
