"""What every projection shares: the documents in force and the replay mode."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models import Exists, OuterRef, QuerySet

from records.models import AuditEvent, Document, Person

INSERT_BATCH = 2000  # rows per executemany


@dataclass
class ReplayContext:
    """Work deferred to the end of a replay: people whose derived rows are recomputed once, rows
    waiting to be inserted in bulk (``pending``, per model) and the person ids by IIN."""

    status_people: set[int] = field(default_factory=set)
    grade_people: set[int] = field(default_factory=set)
    pending: dict[type[models.Model], list[dict[str, Any]]] = field(default_factory=dict)
    _people: dict[str, tuple[int, str]] | None = None

    def person(self, iin: str) -> tuple[int, str] | None:
        """(id, kind) of the person with this IIN, from one query for everyone (people never change in a replay)."""
        if self._people is None:
            self._people = {
                iin: (pk, kind) for iin, pk, kind in Person.objects.values_list("iin", "id", "kind")
            }
        return self._people.get(iin)

    def add(self, model: type[models.Model], row: dict[str, Any]) -> None:
        """Queue a row (attname → value) of `model`; written by ``flush`` in registration order."""
        rows = self.pending.setdefault(model, [])
        rows.append(row)
        if len(rows) >= 10 * INSERT_BATCH:
            insert_rows(model, rows)
            rows.clear()

    def flush(self) -> None:
        """Write every queued row (before anything reads the tables)."""
        for model, rows in self.pending.items():
            insert_rows(model, rows)
            rows.clear()


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT rows (attname → Python value; missing columns take the field default) with executemany.

    Each value goes through the field's ``get_db_prep_save`` exactly as ``bulk_create`` does, without
    building model instances; prepared values of hashable inputs are cached per field.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    cache: dict[tuple[Any, ...], Any] = {}

    def prepare(f: models.Field[Any, Any], value: Any) -> Any:
        if isinstance(value, dict | list):
            return f.get_db_prep_save(value, connection)
        key = (f.attname, type(value), str(value) if isinstance(value, Decimal) else value)
        if key not in cache:
            cache[key] = f.get_db_prep_save(value, connection)
        return cache[key]

    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            params = [
                [prepare(f, row.get(f.attname, defaults[f.attname])) for f in fields]
                for row in rows[start : start + INSERT_BATCH]
            ]
            cursor.executemany(sql, params)


_REPLAY: contextvars.ContextVar[ReplayContext | None] = contextvars.ContextVar("records_replay", default=None)


def replay_context() -> ReplayContext | None:
    """The running replay, or None during live registration."""
    return _REPLAY.get()


@contextmanager
def replaying() -> Iterator[ReplayContext]:
    """Run projections in replay mode: no contradiction checks (they passed at registration), deferred recomputation."""
    context = ReplayContext()
    token = _REPLAY.set(context)
    try:
        yield context
    finally:
        _REPLAY.reset(token)


_AS_OF: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("records_as_of", default=None)


def as_of_date() -> dt.date | None:
    """The day ``in_force`` answers for inside ``as_of_day``, or None (live)."""
    return _AS_OF.get()


@contextmanager
def as_of_day(day: dt.date) -> Iterator[None]:
    """Within the block ``in_force`` answers as of the end of `day` (records.projections.as_of)."""
    token = _AS_OF.set(day)
    try:
        yield
    finally:
        _AS_OF.reset(token)


def in_force(kinds: list[str] | None = None) -> QuerySet[Document]:
    """Registered documents never revoked, in registration order (registered_at, id).

    Superseded, archived or disposed documents stay in: those transitions do not undo a projection.
    Inside ``as_of_day(day)``: registered by the end of the day and not revoked by then.
    """
    day = _AS_OF.get()
    revoked = AuditEvent.objects.filter(document=OuterRef("pk"), action="document.revoke")
    if day is not None:
        revoked = revoked.filter(created_at__date__lte=day)
        queryset = Document.objects.filter(registered_at__date__lte=day)
        if kinds is not None:
            queryset = queryset.filter(kind__in=kinds)
        return queryset.filter(~Exists(revoked)).order_by("registered_at", "id")
    queryset = Document.objects.filter(registered_at__isnull=False).exclude(state="revoked")
    if kinds is not None:
        queryset = queryset.filter(kind__in=kinds)
    return queryset.filter(~Exists(revoked)).order_by("registered_at", "id")
