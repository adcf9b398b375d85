"""The system actor: who acts when no official takes the step themselves.

Certificate issuance, diploma batches and reissues, and the demo's bulk registration move documents
through the one lifecycle engine (records.services.document) as `SYSTEM` (or `SystemActor(for_user=...)`
when a person started the work). Its permission rule, stated once (records.services.document.
system_may): the system may take only the transitions in `SYSTEM_TRANSITIONS` — never reject, revoke,
archive or dispose, which are decisions of an official — and needs no role or scope, because every
system path checks the person who started it first (the student asks for their own certificate; only
the registrar starts a diploma batch or a reissue; the demo seeds). Audit events name it "system".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SYSTEM_TRANSITIONS = frozenset({"submit", "approve", "start_signing", "register", "supersede"})


@dataclass(frozen=True)
class SystemActor:
    """The system; `for_user` is the person whose request it carries out (the student's certificate)."""

    for_user: Any = None
    is_system = True
    is_authenticated = False
    is_anonymous = False
    is_superuser = False
    pk = None

    def get_username(self) -> str:
        return "system"

    def get_full_name(self) -> str:
        return "system"


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor)
