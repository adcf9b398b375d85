"""What a teacher types in a journal cell, and back: keyboard-first, one short token per cell.

- empty: not marked yet;
- a number (0..mark_max, "," or "." as decimal point): present with that mark;
- "+" (or "п", "p"): present, no mark;
- "н" (or "n", "a"): absent without a valid reason;
- "у" (or "ув", "e"): absent for a valid reason (excused).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from records.academics.errors import AcademicInputError
from records.academics.policy import AcademicPolicy
from records.journal.rating import ABSENT, EXCUSED, PRESENT, Cell, check_mark

TOKENS = {
    "+": PRESENT,
    "п": PRESENT,
    "p": PRESENT,
    "н": ABSENT,
    "n": ABSENT,
    "a": ABSENT,
    "у": EXCUSED,
    "ув": EXCUSED,
    "e": EXCUSED,
}
SHOWN = {PRESENT: "+", ABSENT: "н", EXCUSED: "у"}


def parse_cell(text: str, policy: AcademicPolicy) -> Cell:
    """The Cell a typed token means; AcademicInputError naming the token when it means nothing."""
    token = (text or "").strip().lower()
    if not token:
        return Cell()
    if token in TOKENS:
        return Cell(TOKENS[token], None)
    try:
        value = Decimal(token.replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise AcademicInputError(
            "bad_cell",
            _("“%(text)s” is not a mark: type a number, + (present), н (absent) or у (excused)."),
            text=text.strip()[:20],
        )
    return Cell(PRESENT, check_mark(value, policy))


def format_cell(cell: Cell) -> str:
    """The token that shows a cell (a mark alone when present with a mark)."""
    if cell.mark is not None:
        text = format(cell.mark.normalize(), "f")
        return text
    return SHOWN.get(cell.attendance, "")
