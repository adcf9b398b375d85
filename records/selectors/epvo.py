"""The ЕПВО numbers the registrar entered for graduations (records.models.diploma.EpvoNumber)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from records.models import EpvoNumber


def epvo_numbers_of(order_ids: Iterable[int], *, entered_by: dt.date | None = None) -> dict[int, str]:
    """The ЕПВО number of each graduation order that has one, by the order's id (one query); with
    ``entered_by``, only numbers entered (last changed) by the end of that day (a report's registry day).

    The caller has already read the cohort through its scoped selector (records.selectors.diplomas).
    """
    ids = list(order_ids)
    if not ids:
        return {}
    numbers = EpvoNumber.objects.filter(graduation_order_id__in=ids)
    if entered_by is not None:
        numbers = numbers.filter(entered_at__date__lte=entered_by)
    return dict(numbers.values_list("graduation_order_id", "number"))
