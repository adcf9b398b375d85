"""seed_demo builds a whole demo university, deterministically."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from records.iin import is_valid_iin
from records.models import OrgUnit, Person, Programme, Role, RoleAssignment, StudyGroup


def test_seed_demo_builds_every_part_with_valid_iins(db: Any) -> None:
    call_command("seed_demo", "--students", "60", "--seed", "7", "--no-documents")
    assert OrgUnit.objects.filter(kind="faculty").count() >= 3
    assert OrgUnit.objects.filter(kind="department").count() >= 8
    assert Programme.objects.count() >= 10
    assert StudyGroup.objects.count() >= 10
    assert Person.objects.filter(kind="student").count() == 60
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert all(is_valid_iin(i) for i in Person.objects.values_list("iin", flat=True))
    with pytest.raises(CommandError):
        call_command("seed_demo")  # not on a database that already has a university


def test_the_same_seed_gives_the_same_university(db: Any) -> None:
    from records.demo.seed import seed_demo

    seed_demo(students=30, seed=11)
    first = list(Person.objects.order_by("iin").values_list("iin", "last_name_kk", "group__code"))
    from django.db import transaction

    with transaction.atomic():
        sid = transaction.savepoint()
        RoleAssignment.objects.all().delete()
        Person.objects.all().delete()
        StudyGroup.objects.all().delete()
        Programme.objects.all().delete()
        for unit in OrgUnit.objects.order_by("-path"):
            unit.delete()
        from django.contrib.auth import get_user_model

        get_user_model().objects.all().delete()
        seed_demo(students=30, seed=11)
        second = list(Person.objects.order_by("iin").values_list("iin", "last_name_kk", "group__code"))
        transaction.savepoint_rollback(sid)
    assert first == second


def test_seed_demo_leaves_registered_signed_documents(db: Any) -> None:
    from records.lifecycle import State
    from records.models import Document, Signature
    from records.selectors.document import document_current_pdf
    from signing import api as signing_api

    call_command("seed_demo", "--students", "10", "--seed", "3", "--unsigned-statements")
    states = set(Document.objects.values_list("state", flat=True))
    assert {State.REGISTERED, State.SIGNING, State.REVIEW, State.DRAFT} <= states
    # the demo orders signed by the rector (not the old administrative orders of the file plan demo)
    registered = Document.objects.filter(
        state=State.REGISTERED, kind="internal_order", org_unit__code="fac-it"
    ).first()
    assert Signature.objects.filter(document=registered).exists()
    assert signing_api.verify(document_current_pdf(registered)).ok


def test_seed_demo_gives_the_archivist_a_disposition_a_transfer_and_a_fixity_pass(
    db: Any, settings: Any, tmp_path: Any
) -> None:
    import bagit

    from records.lifecycle import State
    from records.models import Document, Hold, Signature
    from records.selectors.fixity import fixity_latest

    settings.RECTORATE_TRANSFER_DIR = tmp_path
    call_command("seed_demo", "--students", "10", "--seed", "3", "--unsigned-statements")
    act = Document.objects.get(kind="disposition_act")
    assert act.state == State.REGISTERED
    assert Signature.objects.filter(document=act, void=False).count() == 3  # archivist, commission, rector
    destroyed = Document.objects.filter(registry_number__in=act.current_version.data["records"])
    assert destroyed.exists() and {d.state for d in destroyed} == {State.DISPOSED}
    held = Hold.objects.get(document__isnull=False).document  # the demo's legal hold keeps its record
    assert held is not None and held.state == State.REGISTERED
    transfer_act = Document.objects.get(kind="transfer_act")
    assert transfer_act.state == State.REGISTERED
    bag = bagit.Bag(str(tmp_path / transfer_act.current_version.data["bag_identifier"]))
    bag.validate()  # raises when a file or its SHA-256 does not match the manifest
    latest = fixity_latest()
    assert latest is not None and latest.last_run_at is not None


def test_seed_demo_signs_a_transcript_and_seals_a_certificate(db: Any) -> None:
    from records.models import Document, Signature

    call_command("seed_demo", "--students", "200", "--seed", "5", "--unsigned-statements")
    for kind in ("transcript", "student_certificate"):
        document = Document.objects.filter(kind=kind, state="registered").first()
        assert document is not None, kind
        assert Signature.objects.filter(document=document, void=False).exists(), kind


def test_seed_demo_signs_the_statements_unless_told_not_to(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from records.demo import academic

    calls: list[dict[str, Any]] = []

    def recording(**kwargs: Any) -> academic.AcademicSeedResult:
        calls.append(kwargs)
        return academic.AcademicSeedResult(documents={})

    monkeypatch.setattr(academic, "seed_academic", recording)
    call_command("seed_demo", "--students", "0", "--seed", "4")
    assert [(c["seed"], c["signed"]) for c in calls] == [(4, True)]
    assert callable(calls[0]["progress"])
