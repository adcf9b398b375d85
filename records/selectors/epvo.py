"""The ЕПВО numbers the registrar entered for graduations (records.models.diploma.EpvoNumber, the
current value, and EpvoNumberEntry, every value entered with its time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from records.models import EpvoNumber, EpvoNumberEntry


def epvo_numbers_of(order_ids: Iterable[int], *, entered_by: dt.date | None = None) -> dict[int, str]:
    """The ЕПВО number of each graduation order that has one, by the order's id (one query); with
    ``entered_by``, the number as it stood at the end of that day (a report's registry day): the
    newest entry made by then, so a correction made later does not change it, nor remove it.

    The caller has already read the cohort through its scoped selector (records.selectors.diplomas).
    """
    ids = list(order_ids)
    if not ids:
        return {}
    if entered_by is None:
        return dict(
            EpvoNumber.objects.filter(graduation_order_id__in=ids).values_list(
                "graduation_order_id", "number"
            )
        )
    entries = EpvoNumberEntry.objects.filter(graduation_order_id__in=ids)
    kept = set(entries.values_list("graduation_order_id", flat=True).distinct())
    found: dict[int, str] = {}
    for order, number in (
        entries.filter(entered_at__date__lte=entered_by)
        .order_by("entered_at", "id")
        .values_list("graduation_order_id", "number")
    ):
        found[order] = number  # the newest wins
    # A number written without the service (no entry at all): its last change is all there is to go by.
    unkept = EpvoNumber.objects.filter(graduation_order_id__in=[i for i in ids if i not in kept])
    found |= dict(
        unkept.filter(entered_at__date__lte=entered_by).values_list("graduation_order_id", "number")
    )
    return found
