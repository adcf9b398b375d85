"""The archivist's demo: a disposition act and a transfer act taken through their real routes, and a
fixity pass, so every page of the archive area has something to show after the seed.

Runs after the file plan (records.demo.fileplan: old accounting orders due for disposition, one of
them under a legal hold) and the signed demo orders. The act lists the due records that are not held
and whose action is destruction; its registration destroys them (residual records stay). The rector's
orders (a series transferred to the state archive at the end) are exported as a BagIt bag into the
data directory's transfers folder, and the transfer act that names the bag is registered, keeping the
registry's copy. Two documents rendered and signed by three and two officials: a few seconds.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.kinds.base import get_kind
from records.models import Document, OrgUnit, Role, RoleAssignment
from records.selectors.disposition import due_rows
from records.selectors.transfer import Selection
from records.services.document import document_create, document_transition
from records.services.fixity import fixity_run
from records.services.signature import document_sign
from records.services.transfer import transfer_act_draft, transfer_directory, transfer_export

ACT_BASIS = "Истёк срок хранения по номенклатуре дел; экспертная комиссия рассмотрела дела (демо)"
ARCHIVE = "Центральный государственный архив Республики Казахстан (демо)"
TRANSFER_SERIES = "01-01"


def _official(role: str) -> Any:
    assignment = (
        RoleAssignment.objects.filter(role=role, person__user__isnull=False)
        .select_related("person__user")
        .order_by("id")
        .first()
    )
    return assignment.person.user if assignment is not None else None


def _through_route(document: Document, approver: Any, registrar: Any) -> Document:
    """Submit, approve (renders the PDF), send for signing, and sign as every step of the route."""
    document = document_transition(document=document, by=document.created_by, name="submit")
    document = document_transition(document=document, by=approver, name="approve")
    document = document_transition(document=document, by=registrar, name="start_signing")
    signers = [_official(step.role) for step in get_kind(document.kind).signing_route]
    bootstrap_pki(usernames={signer.username for signer in signers})
    for signer in signers:
        document_sign(document=document, by=signer, passphrase=demo_passphrase(signer.username))
        document.refresh_from_db()
    return document


def seed_archive() -> str:
    """Register the demo's disposition act and transfer act and run a fixity pass; a line for the log."""
    archivist, expert, rector = (
        _official(Role.ARCHIVIST),
        _official(Role.EXPERT_COMMISSION),
        _official(Role.RECTOR),
    )
    registrar = get_user_model().objects.filter(username="registrar").first()
    university = OrgUnit.objects.filter(parent__isnull=True).first()
    if university is None or None in (archivist, expert, rector, registrar):
        return "skipped (no archive officials)"
    done: list[str] = []
    due = [row[1] for row in due_rows() if row[6] == "destroy" and not row[7]][:3]
    if due:
        act = document_create(
            by=archivist,
            kind="disposition_act",
            org_unit=university,
            title="Акт о выделении к уничтожению документов, не подлежащих хранению",
            data={"records": due, "basis": ACT_BASIS},
        )
        act = _through_route(act, expert, registrar)
        done.append(f"disposition act {act.registry_number} ({len(due)} records destroyed)")
    try:
        transfer = transfer_export(
            by=archivist, selection=Selection(series=TRANSFER_SERIES), out_dir=transfer_directory()
        )
    except RecordsError as error:
        if error.code != "nothing_to_transfer":
            raise
        transfer = None  # nothing registered in the series yet
    if transfer is not None:
        act = transfer_act_draft(
            by=archivist,
            transfer=transfer,
            archive=ARCHIVE,
            grounds="Передача дел постоянного хранения (демо)",
        )
        act = _through_route(act, rector, registrar)
        done.append(
            f"transfer act {act.registry_number} (bag {transfer.identifier}, {transfer.record_count} records)"
        )
    state = fixity_run()
    done.append(f"fixity pass {'complete' if state.pass_started_at is None else 'started'}")
    return ", ".join(done)
