"""The document state machine. Transition bodies stay empty; conditions are pure.

Who may take a transition is not decided here: the one lifecycle engine (records.services.document)
asks records.permissions (or the system actor's rule) before it calls a transition method, and it is
the only module that calls them (tests/records/test_engine_only.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from records.retention import retention_runs_out

if TYPE_CHECKING:
    from records.kinds.base import RouteStep


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    APPROVED = "approved", _("Approved")
    SIGNING = "signing", _("Signing")
    REGISTERED = "registered", _("Registered")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")
    ARCHIVED = "archived", _("Archived")
    DISPOSED = "disposed", _("Disposed")


IN_FORCE = {State.REGISTERED}
TRANSITION_LABELS = {
    "submit": _("Submit for review"),
    "approve": _("Approve"),
    "reject": _("Reject"),
    "start_signing": _("Send for signing"),
    "register": _("Register"),
    "revoke": _("Revoke"),
    "supersede": _("Supersede"),
    "archive": _("Transfer to archive"),
    "dispose": _("Dispose"),
}
# Transitions that cannot be undone ask for confirmation in every interface.
IRREVERSIBLE = {"register", "revoke", "supersede", "dispose"}
# Transitions that need a reason from the user.
NEEDS_REASON = {"reject", "revoke", "supersede", "dispose"}


@dataclass
class RouteProgress:
    """Which steps of a document's route have signed its current version."""

    done: list[str]
    pending: list[RouteStep]

    @property
    def complete(self) -> bool:
        return not self.pending

    @property
    def next_step(self) -> RouteStep | None:
        return self.pending[0] if self.pending else None


def route_progress_of(route: Sequence[RouteStep], signed: Collection[str]) -> RouteProgress:
    """The route's steps, in order, split into signed (their codes) and pending."""
    return RouteProgress(
        done=[step.code for step in route if step.code in signed],
        pending=[step for step in route if step.code not in signed],
    )


# Conditions are pure: they read the document and the facts the engine computed once and put on it
# (records.services.document attaches `route_progress` before it asks whether `register` may run).


def route_complete(instance: Any) -> bool:
    """Every step of the kind's signing route has signed the current version."""
    progress = getattr(instance, "route_progress", None)
    return progress is not None and progress.complete


def disposal_authorised(instance: Any) -> bool:
    """A registered disposition act lists the record (the engine puts it on the record as `disposal_act`)."""
    return getattr(instance, "disposal_act", None) is not None


def retention_expired(instance: Any) -> bool:
    """The retention period of the document's class (declared by its kind) has run out."""
    return retention_runs_out(instance.retention_class, instance.registered_at, timezone.now())


class DocumentLifecycle:
    """Mixin with the transitions of `Document.state`."""

    # Set by the engine for the one check that needs it (never a query from inside a condition).
    route_progress: RouteProgress | None = None
    # Set by the engine only while a registered disposition act disposes of the record.
    disposal_act: Any = None

    @transition(field="state", source=State.DRAFT, target=State.REVIEW)
    def submit(self) -> None:
        """The author sends the draft for review; the current version is frozen."""

    @transition(field="state", source=State.REVIEW, target=State.APPROVED)
    def approve(self) -> None:
        """A reviewer with the kind's approving role and scope accepts it; the number is reserved."""

    @transition(
        field="state",
        source=[State.REVIEW, State.APPROVED, State.SIGNING],
        target=State.DRAFT,
    )
    def reject(self) -> None:
        """A reviewer or signer sends it back to the author with a reason; signatures are void."""

    @transition(field="state", source=State.APPROVED, target=State.SIGNING)
    def start_signing(self) -> None:
        """The approved version goes to the officials of the signing route."""

    @transition(
        field="state",
        source=State.SIGNING,
        target=State.REGISTERED,
        conditions=[route_complete],
    )
    def register(self) -> None:
        """All route steps have signed: the document is registered and in force."""

    @transition(field="state", source=State.REGISTERED, target=State.REVOKED)
    def revoke(self) -> None:
        """An official with the kind's revoking role cancels it; its projection is undone."""

    @transition(field="state", source=State.REGISTERED, target=State.SUPERSEDED)
    def supersede(self) -> None:
        """A newer registered document replaces it."""

    @transition(
        field="state",
        source=[State.REGISTERED, State.REVOKED, State.SUPERSEDED],
        target=State.ARCHIVED,
    )
    def archive(self) -> None:
        """The archivist takes it into the archive."""

    @transition(
        field="state",
        source=State.ARCHIVED,
        target=State.DISPOSED,
        conditions=[disposal_authorised],
    )
    def dispose(self) -> None:
        """A registered disposition act lists it (its retention ran out, no hold): content is
        destroyed, a residual record remains."""
