"""Demo documents through the real services: rendered, signed with the officials' keys, registered."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from records.demo.pki import demo_passphrase
from records.errors import RecordsError
from records.models import Document, GradeLine, OrgUnit, RoleAssignment, Student
from records.services.certificates import certificate_request
from records.services.document import document_create, document_transition
from records.services.signature import document_sign

ORDERS = [
    (
        "Об утверждении графика учебного процесса",
        "Утвердить график учебного процесса на 2026-2027 учебный год.",
        "registered",
    ),
    (
        "О проведении зимней экзаменационной сессии",
        "Провести зимнюю экзаменационную сессию с 5 по 25 января 2027 года.",
        "registered",
    ),
    (
        "Қазақстандағы өндірістік практиканы ұйымдастыру туралы",
        "Студенттердің өндірістік практикасын ұйымдастыру.",
        "registered",
    ),
    (
        "О назначении кураторов академических групп",
        "Назначить кураторов академических групп первого курса.",
        "signing",
    ),
    (
        "Об организации летнего семестра",
        "Организовать летний семестр для ликвидации академической задолженности.",
        "review",
    ),
    ("О проведении дня открытых дверей", "Провести день открытых дверей 15 марта 2027 года.", "draft"),
]


def seed_documents() -> int:
    """Create the demo orders once (they go through rendering and real signatures); returns how many."""
    if Document.objects.exists():
        return 0
    users = get_user_model().objects
    dean, rector, registrar = (
        users.get(username="dean1"),
        users.get(username="rector"),
        users.get(username="registrar"),
    )
    faculty = OrgUnit.objects.get(code="fac-it")
    steps = {
        "review": [("submit", dean)],
        "signing": [("submit", dean), ("approve", rector), ("start_signing", registrar)],
    }
    steps["registered"] = steps["signing"]
    for subject, body, target in ORDERS:
        doc = document_create(
            by=dean,
            kind="internal_order",
            org_unit=faculty,
            title=subject,
            data={"subject": subject, "body": body, "executor": "Офис регистратора"},
        )
        for name, who in steps.get(target, []):
            doc = document_transition(document=doc, by=who, name=name)
        if target == "registered":
            document_sign(document=doc, by=rector, passphrase=demo_passphrase(rector.username))
    return len(ORDERS)


def seed_signed_academic() -> list[str]:
    """A transcript signed through its route and a sealed certificate of study, for a student with grades."""
    issued: list[str] = []
    line = GradeLine.objects.order_by("id").first()
    student = (
        Student.objects.filter(person_id=line.person_id).select_related("person__user", "programme").first()
        if line
        else None
    )
    if student is None or student.programme is None:
        return issued
    faculty = student.programme.department.parent
    users = get_user_model().objects
    registrar = users.get(username="registrar")
    dean_role = (
        RoleAssignment.objects.filter(role="dean", org_unit=faculty).select_related("person__user").first()
    )
    if faculty is None or dean_role is None or dean_role.person.user is None:
        return issued
    doc = document_create(
        by=registrar,
        kind="transcript",
        org_unit=faculty,
        title=f"Транскрипт: {student.person.full_name('ru')}",
        data={"student_iin": student.person.iin, "as_of": timezone.localdate().isoformat()},
    )
    for name, who in (
        ("submit", registrar),
        ("approve", dean_role.person.user),
        ("start_signing", registrar),
    ):
        doc = document_transition(document=doc, by=who, name=name)
    document_sign(document=doc, by=registrar, passphrase=demo_passphrase(registrar.username))
    issued.append("transcript")
    enrolled = (
        Student.objects.filter(status="enrolled", person__user__isnull=False, programme__isnull=False)
        .select_related("person__user")
        .order_by("person_id")
        .first()
    )
    if enrolled is not None and enrolled.person.user is not None:
        try:
            certificate_request(by=enrolled.person.user, purpose="employer", language="kk")
            issued.append("student_certificate")
        except RecordsError:
            pass
    return issued
