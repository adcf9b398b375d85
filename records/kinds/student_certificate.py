"""Certificate of study (справка с места учёбы): issued by the system, sealed with the organisation's seal."""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from records.kinds.base import DocumentKind, register_kind
from records.kinds.certificate_template import certificate_template
from records.models import Person
from records.models.org import Role
from records.subjects import SubjectRef, code_ref, student_refs

PURPOSES = {
    "military": {
        "kk": "әскери комиссариатқа",
        "ru": "в военный комиссариат",
        "en": "the military registration office",
    },
    "social": {
        "kk": "әлеуметтік қорғау органдарына",
        "ru": "в органы социальной защиты",
        "en": "social services",
    },
    "employer": {"kk": "жұмыс берушіге", "ru": "по месту работы", "en": "the employer"},
    "other": {"kk": "талап ету орны бойынша", "ru": "по месту требования", "en": "whom it may concern"},
}
PURPOSE_LABELS = {
    "military": _("Military registration office"),
    "social": _("Social services"),
    "employer": _("Employer"),
    "other": _("Whom it may concern"),
}


class StudentCertificateData(BaseModel):
    """What the certificate states; filled from the registry at the moment of issue, never typed."""

    language: Literal["kk", "ru", "en"]
    purpose: Literal["military", "social", "employer", "other"]
    purpose_text: str = Field(max_length=200)
    full_name: str = Field(max_length=300)
    sex: Literal["male", "female", ""] = ""
    iin: str = Field(max_length=12)
    programme_code: str = Field(max_length=20)
    programme_name: str = Field(max_length=300)
    group: str = Field(max_length=40)
    year_of_study: int | None = None
    funding: str = Field(default="", max_length=100)
    status: str = Field(max_length=100)
    university: str = Field(max_length=300)


def _subjects(data: dict[str, Any]) -> list[SubjectRef]:
    return [
        *student_refs([data.get("iin")]),
        *code_ref("group", data.get("group")),
        *code_ref("programme", data.get("programme_code")),
    ]


NAMES = {"kk": "Оқу орнынан анықтама", "ru": "Справка с места учёбы", "en": "Certificate of study"}
FOR_WHOM = {
    "kk": "{name} ({purpose} ұсыну үшін)",
    "ru": "{name} для предъявления {purpose}",
    "en": "{name} for {purpose}",
}


def certificate_title(data: dict[str, Any], language: str) -> str:
    """«Справка с места учёбы для предъявления в военный комиссариат: Ахметова Меруерт Сериковна»,
    in `language` (the certificate's own when it is made; the reader's on the portal), the name
    spelt as that language spells it."""
    language = language if language in NAMES else str(data.get("language") or "ru")
    language = language if language in NAMES else "ru"
    purpose = PURPOSES.get(str(data.get("purpose")), PURPOSES["other"])[language]
    name = str(data.get("full_name", ""))
    if language != data.get("language") and data.get("iin"):
        person = Person.objects.filter(iin=str(data["iin"])).first()
        name = person.full_name(language) if person is not None else name
    return f"{FOR_WHOM[language].format(name=NAMES[language], purpose=purpose)}: {name}"


def _layout(kind: DocumentKind, language: str) -> bytes:
    """The certificate's own designed layout (records.kinds.certificate_template)."""
    return certificate_template(language)


STUDENT_CERTIFICATE = register_kind(
    DocumentKind(
        layout=_layout,
        template_languages=("kk", "ru", "en"),
        code="student_certificate",
        names=NAMES,
        title=certificate_title,
        schema=StudentCertificateData,
        required_template_names=("qr_code", "verification_url"),
        series="СП",
        number_format="{series}-{year}-{seq:06d}",
        creator_roles=frozenset({Role.REGISTRAR}),
        approver_roles=frozenset({Role.REGISTRAR}),
        revoker_roles=frozenset({Role.REGISTRAR, Role.RECTOR}),
        signing_route=(),  # sealed by the organisation, not signed by an official
        extra_signature_fields=("seal",),
        retention_class="5y",
        sample_data={
            "language": "ru",
            "purpose": "military",
            "purpose_text": "в военный комиссариат",
            "full_name": "Сарсенов Айбек Серикович",
            "sex": "male",
            "iin": "010101500012",
            "programme_code": "6B06102",
            "programme_name": "Вычислительная техника и программное обеспечение",
            "group": "6B06102-24-RU",
            "year_of_study": 2,
            "funding": "государственный грант",
            "status": "обучается",
            "university": "Демо-университет",
        },
        search_text=lambda document, version: " ".join(
            str(version.data.get(k, "")) for k in ("full_name", "programme_name", "group", "purpose_text")
        ),
        subjects=_subjects,
    )
)
