"""Background tasks of the search capability (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from search import sync


@task()
def drain_search_outbox() -> dict[str, int | str]:
    """Apply pending outbox entries to the index; entries stay for the next run when it fails."""
    report = sync.drain()
    return {
        "indexed": report.indexed,
        "deleted": report.deleted,
        "entries": report.entries,
        "error": report.error,
    }
