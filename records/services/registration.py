"""The registry journal: gapless numbers per series and year."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from records.kinds.base import get_kind
from records.models import Document, RegistryCounter


def registration_reserve_number(*, document: Document) -> str:
    """Give `document` the next number of its series and year; keeps an already reserved one.

    Must run inside the transaction that changes the document's state, so a rollback returns the
    number and no number is ever skipped or given twice (the counter row is locked).
    """
    if document.registry_seq is not None:
        return document.registry_number
    kind = get_kind(document.kind)
    year = timezone.localdate().year
    with transaction.atomic():
        RegistryCounter.objects.bulk_create(
            [RegistryCounter(series=kind.series, year=year, last_value=0)], ignore_conflicts=True
        )
        counter = RegistryCounter.objects.select_for_update().get(series=kind.series, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
    document.registry_series = kind.series
    document.registry_year = year
    document.registry_seq = counter.last_value
    document.registry_number = kind.format_number(year=year, seq=counter.last_value)
    return document.registry_number


def registration_reserve_numbers(*, documents: list[Document]) -> None:
    """`registration_reserve_number` for a batch of unsaved documents, in the order given: each
    series' counter is locked and advanced once for all of its documents (the caller's transaction)."""
    year = timezone.localdate().year
    by_series: dict[str, list[Document]] = {}
    for document in documents:
        if document.registry_seq is None:
            by_series.setdefault(get_kind(document.kind).series, []).append(document)
    with transaction.atomic():
        for series, batch in by_series.items():
            RegistryCounter.objects.bulk_create(
                [RegistryCounter(series=series, year=year, last_value=0)], ignore_conflicts=True
            )
            counter = RegistryCounter.objects.select_for_update().get(series=series, year=year)
            first = counter.last_value + 1
            counter.last_value += len(batch)
            counter.save(update_fields=["last_value"])
            for seq, document in enumerate(batch, start=first):
                document.registry_series = series
                document.registry_year = year
                document.registry_seq = seq
                document.registry_number = get_kind(document.kind).format_number(year=year, seq=seq)
