"""Rounding rules used by the academic rules, stated once.

- Scores (admission rating, final percent) are rounded **half up** to ``RatingRules.percent_places``
  decimals (0 by default, i.e. whole points): 49.5 -> 50, 94.49 -> 94, 94.5 -> 95.
- GPA is rounded **half up** to ``GpaRules.places`` decimals (2 by default): 3.345 -> 3.35.

Half up (not banker's rounding) is what a person with a calculator does, so anyone can re-check a
statement or a transcript by hand. domain.md marks the exact national rounding rule as unconfirmed,
so the number of places is a policy parameter.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round ``value`` half up (away from zero on a tie) to ``places`` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
