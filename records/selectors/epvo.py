"""The ЕПВО numbers the registrar entered for graduations (records.models.diploma.EpvoNumber)."""

from __future__ import annotations

from collections.abc import Iterable

from records.models import EpvoNumber


def epvo_numbers_of(order_ids: Iterable[int]) -> dict[int, str]:
    """The ЕПВО number of each graduation order that has one, by the order's id (one query).

    The caller has already read the cohort through its scoped selector (records.selectors.diplomas).
    """
    ids = list(order_ids)
    if not ids:
        return {}
    return dict(
        EpvoNumber.objects.filter(graduation_order_id__in=ids).values_list("graduation_order_id", "number")
    )
