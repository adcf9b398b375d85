"""Errors and decision reasons shared by the academic rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from records.errors import RecordsError


class AcademicInputError(RecordsError, ValueError):
    """Bad input to an academic rule (score out of range, unknown letter, ...).

    A ``RecordsError`` (so views show its translated message) and a ``ValueError``. ``code`` is
    stable for programs; ``message`` is the text in the active language with its placeholders filled.
    """

    def __init__(self, code: str, template: Promise | str, **params: Any) -> None:
        super().__init__(code, template, **params)


@dataclass(frozen=True)
class Reason:
    """One reason behind a decision: a stable code and a translatable message.

    The message is rendered when read (``reason.message`` or ``str(reason)``), so it follows the
    language active at display time, not at computation time.
    """

    code: str
    template: Promise | str = field(compare=False)
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The message in the active language."""
        return str(self.template) % dict(self.params) if self.params else str(self.template)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Decision:
    """A yes/no decision with every reason that led to it (all refusal reasons when ``ok`` is false)."""

    ok: bool
    reasons: tuple[Reason, ...] = ()

    @property
    def codes(self) -> list[str]:
        """The reason codes, in order."""
        return [reason.code for reason in self.reasons]

    @property
    def messages(self) -> list[str]:
        """The reason messages in the active language, in order."""
        return [reason.message for reason in self.reasons]


def to_decimal(value: object, *, name: str) -> Decimal:
    """Convert a score-like input (Decimal, int, str, float) to a finite Decimal or raise.

    Floats go through ``str`` so that 94.5 stays 94.5 and not its binary neighbour.
    """
    if isinstance(value, bool) or value is None:
        raise AcademicInputError(
            "not_a_number", _("%(name)s must be a number, got %(value)s."), name=name, value=repr(value)
        )
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise AcademicInputError(
                "not_a_number", _("%(name)s must be a number, got %(value)s."), name=name, value=repr(value)
            ) from None
    elif isinstance(value, float):
        number = Decimal(str(value))
    else:
        raise AcademicInputError(
            "not_a_number", _("%(name)s must be a number, got %(value)s."), name=name, value=repr(value)
        )
    if not number.is_finite():
        raise AcademicInputError(
            "not_a_number", _("%(name)s must be a number, got %(value)s."), name=name, value=repr(value)
        )
    return number


def score(value: object, *, name: str) -> Decimal:
    """A score on the 100-point scale: a number from 0 to 100 inclusive, or a clear error."""
    number = to_decimal(value, name=name)
    if number < 0 or number > 100:
        raise AcademicInputError(
            "score_out_of_range",
            _("%(name)s must be between 0 and 100, got %(value)s."),
            name=name,
            value=str(value),
        )
    return number
