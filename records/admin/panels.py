"""Dashboard panels: the documents waiting for the user, and counts of their documents by state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.admin.ui.components import Component

from records.admin.documents import list_rows
from records.lifecycle import State
from records.models import Job
from records.permissions import grants, may_draft_some_kind
from records.selectors.audit import audit_chain_head
from records.selectors.document import documents_visible_to, documents_waiting_for, registered_counts
from records.selectors.rejections import last_rejections

WAITING_SHOWN = 20
PANEL_CACHE_SECONDS = 300


class CachedPanel(Component):
    """A panel whose HTML is cached per user, scope, language and audit chain head.

    Every change the panel could show (a document created, moved, edited, a role granted) appends an
    audited event and so moves the chain head, which is part of the key: a cached panel is never
    served after such a change. The user's grants (role and scope) are in the key too, so a changed
    scope never sees another scope's panel; the panel is built for ``self.user`` only.
    """

    user: Any

    def render_html(self, parent_context: Mapping[str, Any] | None = None) -> str:
        scope = ",".join(sorted(f"{g.role}@{g.path}" for g in grants(self.user)))
        key = ":".join(
            (
                "panel",
                self.name,
                str(self.user.pk),
                translation.get_language() or "",
                scope,
                audit_chain_head(),
            )
        )
        html = cache.get(key)
        if html is None:
            html = super().render_html(parent_context)
            cache.set(key, str(html), PANEL_CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - our own rendered template, autoescaped when made


class WaitingForMePanel(CachedPanel):
    """Documents where the user can act now (documents_waiting_for), newest first."""

    name = "registry_waiting_for_me"
    template_name = "records/admin/panels/waiting_for_me.html"
    order = 50

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        waiting = documents_waiting_for(user=self.user)
        shown = list(waiting[:WAITING_SHOWN])
        total = waiting.count()  # always: one query whether or not the list is cut
        rejections = last_rejections(shown)
        rows = [{"row": row, "rejection": rejections.get(row.document.pk)} for row in list_rows(shown)]
        return {
            "rows": rows,
            "total": total,
            "more": total > len(shown),
            "list_url": reverse("records_admin:documents"),
            "create_url": reverse("records_admin:create") if may_draft_some_kind(self.user) else "",
        }


class StateSummaryPanel(CachedPanel):
    """How many of the user's visible documents are in each state, each linking to the filtered list."""

    name = "registry_state_summary"
    template_name = "records/admin/panels/state_summary.html"
    order = 60

    def __init__(self, user: Any) -> None:
        self.user = user

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        counts = dict(
            documents_visible_to(user=self.user)
            .order_by()
            .values_list("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )
        list_url = reverse("records_admin:documents")
        states = [
            {"label": label, "count": counts.get(value, 0), "url": f"{list_url}?state={value}"}
            for value, label in State.choices
        ]
        return {"states": states, "total": sum(counts.values()), "list_url": list_url}


class DemoHistoryPanel(Component):
    """While the demo's academic history is registered by the worker: which year, how far, how many."""

    name = "registry_demo_history"
    template_name = "records/admin/panels/demo_history.html"
    order = 40

    def __init__(self, job: Job) -> None:
        self.job = job

    def get_context_data(self, parent_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
        job = self.job
        years = [item for item in job.results if item.isdigit()]
        documents, statements = registered_counts()
        return {
            "job": job,
            "running": job.state in (Job.State.PENDING, Job.State.RUNNING),
            "percent": job.percent if job.total else 0,
            "year": max(years, default=""),
            "documents": documents,
            "statements": statements,
            "errors": sorted({reason for reason in job.results.values() if reason != "ok"}),
        }
