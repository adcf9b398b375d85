"""Rebuild every projection from the registry, or check that the tables match a rebuild.

The replay deletes the projection tables, applies every registered and never revoked document of a
kind with a projection in registration order (registered_at, id) through the kind's own ``project``
hook in replay mode, then recomputes each touched student once. ``--check`` does the same inside a
transaction that is rolled back, comparing the rows (every column but the primary key) before and
after.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction

from records.kinds.base import all_kinds
from records.models.academic import GradeLine, Student, StudentGpa, StudentStatusEvent
from records.projections.base import in_force, replaying
from records.projections.grades import recompute_grades
from records.projections.policy import policy_book
from records.projections.students import recompute_student

TABLES: tuple[type[models.Model], ...] = (Student, StudentStatusEvent, GradeLine, StudentGpa)
Row = tuple[Any, ...]
CHUNK = 2000  # students whose grade lines are recomputed at once


@dataclass
class ReplayReport:
    """What a replay did and, for a check, the rows that differ (table → missing / unexpected rows)."""

    documents: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    missing: dict[str, list[Row]] = field(default_factory=dict)  # in the tables, not produced by the replay
    unexpected: dict[str, list[Row]] = field(
        default_factory=dict
    )  # produced by the replay, not in the tables

    @property
    def differs(self) -> bool:
        return any(self.missing.values()) or any(self.unexpected.values())


def _columns(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, dict | list) else value


def snapshot() -> dict[str, Counter[Row]]:
    """Every projection row as a tuple of its columns (no primary keys; JSON as sorted text), per table."""
    result: dict[str, Counter[Row]] = {}
    for model in TABLES:
        rows = model.objects.order_by().values_list(*_columns(model))  # type: ignore[attr-defined]
        result[model._meta.label] = Counter(tuple(_hashable(v) for v in row) for row in rows)
    return result


def _lock_tables() -> None:
    """On PostgreSQL, registrations and revocations wait until the replay's transaction ends."""
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in TABLES)
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def _rebuild(progress: Callable[[int], None] | None) -> int:
    for model in reversed(TABLES):
        model.objects.all().delete()  # type: ignore[attr-defined]
    kinds = {kind.code: kind for kind in all_kinds() if kind.project is not None}
    documents = in_force(sorted(kinds)).select_related("current_version")
    count = 0
    with replaying() as context:
        for document in documents.iterator(chunk_size=500):
            project = kinds[document.kind].project
            assert project is not None and document.current_version is not None
            project(document, document.current_version)
            count += 1
            if progress is not None and count % 1000 == 0:
                progress(count)
        for person_id in sorted(context.status_people):
            recompute_student(person_id)
        book = policy_book()
        people = sorted(context.grade_people)
        for start in range(0, len(people), CHUNK):
            recompute_grades(set(people[start : start + CHUNK]), book)
    return count


def replay(*, check: bool = False, progress: Callable[[int], None] | None = None) -> ReplayReport:
    """Rebuild the projections (committed), or with `check` compare a rebuild with the tables (rolled back)."""
    report = ReplayReport()
    with transaction.atomic():
        _lock_tables()
        before = snapshot() if check else None
        report.documents = _rebuild(progress)
        after = snapshot()
        report.rows = {label: sum(rows.values()) for label, rows in after.items()}
        if before is not None:
            for label in after:
                report.missing[label] = sorted((before[label] - after[label]).elements(), key=repr)
                report.unexpected[label] = sorted((after[label] - before[label]).elements(), key=repr)
            transaction.set_rollback(True)
    return report
