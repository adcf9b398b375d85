"""The document state machine. Transition bodies stay empty; rules live in conditions and permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

if TYPE_CHECKING:
    from records.models import Document


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


def _may(action: str) -> Any:
    def check(instance: Document, user: Any) -> bool:
        from records.permissions import may

        return may(user, action, instance)

    check.__name__ = f"may_{action}"
    return check


def route_complete(instance: Any) -> bool:
    """Every step of the kind's signing route has signed the current version."""
    from records.services.signature import route_progress

    return route_progress(instance).complete


def retention_expired(instance: Any) -> bool:
    """The retention period of the document's class has run out."""
    from records.services.retention import retention_expired as expired

    return expired(instance)


class DocumentLifecycle:
    """Mixin with the transitions of `Document.state`."""

    @transition(field="state", source=State.DRAFT, target=State.REVIEW, permission=_may("submit"))
    def submit(self) -> None:
        """The author sends the draft for review; the current version is frozen."""

    @transition(field="state", source=State.REVIEW, target=State.APPROVED, permission=_may("approve"))
    def approve(self) -> None:
        """A reviewer with the kind's approving role and scope accepts it; the number is reserved."""

    @transition(
        field="state",
        source=[State.REVIEW, State.APPROVED, State.SIGNING],
        target=State.DRAFT,
        permission=_may("reject"),
    )
    def reject(self) -> None:
        """A reviewer or signer sends it back to the author with a reason; signatures are void."""

    @transition(field="state", source=State.APPROVED, target=State.SIGNING, permission=_may("start_signing"))
    def start_signing(self) -> None:
        """The approved version goes to the officials of the signing route."""

    @transition(
        field="state",
        source=State.SIGNING,
        target=State.REGISTERED,
        conditions=[route_complete],
        permission=_may("register"),
    )
    def register(self) -> None:
        """All route steps have signed: the document is registered and in force."""

    @transition(field="state", source=State.REGISTERED, target=State.REVOKED, permission=_may("revoke"))
    def revoke(self) -> None:
        """An official with the kind's revoking role cancels it; its projection is undone."""

    @transition(field="state", source=State.REGISTERED, target=State.SUPERSEDED, permission=_may("supersede"))
    def supersede(self) -> None:
        """A newer registered document replaces it."""

    @transition(
        field="state",
        source=[State.REGISTERED, State.REVOKED, State.SUPERSEDED],
        target=State.ARCHIVED,
        permission=_may("archive"),
    )
    def archive(self) -> None:
        """The archivist takes it into the archive."""

    @transition(
        field="state",
        source=State.ARCHIVED,
        target=State.DISPOSED,
        conditions=[retention_expired],
        permission=_may("dispose"),
    )
    def dispose(self) -> None:
        """Its retention has run out: content is destroyed, a residual record remains."""
