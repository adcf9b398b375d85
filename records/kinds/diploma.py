"""Diploma and diploma supplement: issued by the registrar's batch (records.services.diplomas).

Both are trilingual (Kazakh, Russian, English on one document), filled from the registry (the
graduation order, the final attestation protocol, the student's grade lines) and never typed; both
are signed by the dean, then the rector. The diploma carries its series and number from the diploma
book (records.models.DiplomaBookEntry). A reissued diploma names the document it replaces: its
registration supersedes the old diploma (and the new supplement the old supplement) and marks the
old book entry "reissued".
"""

from __future__ import annotations

from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field

from records.errors import RecordsError
from records.kinds.base import DocumentKind, KindEffects, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.layouts.diploma import diploma_template, supplement_template
from records.kinds.templates import _step_labels
from records.lifecycle import State
from records.models import DiplomaBookEntry, Document, Version
from records.models.org import Role
from records.projections.base import replay_context
from records.subjects import SubjectRef, code_ref, student_refs

DIPLOMA = "diploma"
SUPPLEMENT = "diploma_supplement"


class Trilingual(BaseModel):
    """One text in the three languages of the diploma."""

    kk: str = ""
    ru: str = ""
    en: str = ""


class _Graduate(BaseModel):
    """What both documents say about the graduate and the programme."""

    student_iin: str = Field(pattern=r"^\d{12}$")
    full_name: Trilingual
    university: Trilingual = Field(default_factory=Trilingual)
    programme_code: str = Field(min_length=1, max_length=20)
    programme_name: Trilingual
    degree_level: Literal["bachelor", "master", "doctor"]
    degree: Trilingual
    study_form: Trilingual
    diploma_number: str = Field(min_length=3, max_length=30, description="Series and number, e.g. BD 0000123")
    protocol_number: str = Field(default="", max_length=60)
    protocol_date: RecordDate | None = None
    issue_date: RecordDate
    # The document this one replaces (a reissue); its registration supersedes that document.
    supersedes_document: int | None = None
    remark: Trilingual = Field(default_factory=Trilingual)


class DiplomaData(_Graduate):
    """The data of a diploma."""

    series: str = Field(min_length=2, max_length=10)
    book_number: int = Field(ge=1)
    issue_city: Trilingual
    with_honours: bool = False
    graduation_order: str = Field(default="", max_length=60)
    reissue_reason: str = Field(default="", max_length=2000)
    # The unique number the Ministry's ЕПВО module generates for the diploma (empty until given).
    epvo_number: str = Field(default="", max_length=40)


class SupplementLine(BaseModel):
    """One discipline with the grade that counts."""

    term: str = ""
    discipline_code: str
    discipline_name: str
    credits: int
    final_percent: str | None = None
    letter: str
    points: str | None = None
    traditional: str = ""


class SupplementData(_Graduate):
    """The data of a diploma supplement: every discipline, the final attestation, total credits, GPA."""

    lines: list[SupplementLine] = Field(min_length=1)
    final_attestation: SupplementLine
    total_credits: int = Field(ge=0)
    gpa: str | None = None


TRADITIONAL = {
    5: {"kk": "өте жақсы", "ru": "отлично", "en": "excellent"},
    4: {"kk": "жақсы", "ru": "хорошо", "en": "good"},
    3: {"kk": "қанағаттанарлық", "ru": "удовлетворительно", "en": "satisfactory"},
    2: {"kk": "қанағаттанарлықсыз", "ru": "неудовлетворительно", "en": "fail"},
}


def traditional_text(mark: int | None) -> str:
    """The traditional grade in the three languages ("5 — өте жақсы / отлично / excellent")."""
    words = TRADITIONAL.get(mark or 0)
    return f"{mark} — {words['kk']} / {words['ru']} / {words['en']}" if words else "—"


def _project(document: Document, version: Version) -> KindEffects | None:
    """A reissue: the registered new document supersedes the one it replaces (never during a replay).

    The engine supersedes it (as the system, with its event); the kind only marks the old diploma's
    book entry "reissued", a row of its own book.
    """
    old_id = version.data.get("supersedes_document")
    if not old_id or replay_context() is not None:
        return None
    if not Document.objects.filter(pk=old_id, state=State.REGISTERED).exists():
        return None
    if document.kind == DIPLOMA:
        DiplomaBookEntry.objects.filter(diploma_id=old_id, status=DiplomaBookEntry.Status.ISSUED).update(
            status=DiplomaBookEntry.Status.REISSUED, status_changed_at=timezone.now()
        )
    return KindEffects(supersede=(int(old_id),))


def _in_the_book(data: dict[str, Any], org_unit: Any) -> dict[str, Any]:
    """A diploma or supplement exists only for a number of the diploma book given to this graduate."""
    series, _space, digits = str(data["diploma_number"]).partition(" ")
    entry = (
        DiplomaBookEntry.objects.filter(series=series, number=int(digits), graduate__iin=data["student_iin"])
        .exclude(status=DiplomaBookEntry.Status.SPOILED)
        .first()
        if digits.isdigit()
        else None
    )
    if entry is None:
        raise RecordsError(
            "not_in_diploma_book",
            _(
                "Diploma %(number)s of this graduate is not in the diploma book: diplomas are issued from the diploma pages."
            ),
            number=data["diploma_number"],
        )
    return data


def _search_text(document: Document, version: Version) -> str:
    data = version.data
    names = data.get("full_name", {})
    return " ".join(
        [
            *(str(v) for v in names.values()),
            str(data.get("diploma_number", "")),
            data.get("programme_code", ""),
        ]
    )


def _titled(names: dict[str, str]) -> Any:
    """The title rule of a diploma or supplement: the kind's name, the number, the graduate's name."""

    def title(data: dict[str, Any], language: str) -> str:
        full_name = data.get("full_name") or {}
        name = full_name.get(language) or full_name.get("ru", "")
        return f"{names.get(language, names['ru'])} {data.get('diploma_number', '')}: {name}"

    return title


_DIPLOMA_NAMES = {"kk": "Диплом", "ru": "Диплом", "en": "Diploma"}
_SUPPLEMENT_NAMES = {"kk": "Дипломға қосымша", "ru": "Приложение к диплому", "en": "Diploma supplement"}


def _subjects(data: dict[str, Any]) -> list[SubjectRef]:
    """The graduate and the programme."""
    return [*student_refs([data.get("student_iin")]), *code_ref("programme", data.get("programme_code"))]


_ROUTE = (
    RouteStep(code="dean", role=Role.DEAN, label=_("Dean")),
    RouteStep(code="rector", role=Role.RECTOR, label=_("Rector")),
)
_T = {"kk": "Ақпараттық жүйелер", "ru": "Информационные системы", "en": "Information systems"}
_SAMPLE: dict[str, Any] = {
    "student_iin": "040515500128",
    "full_name": {"kk": "Серіков Нұрлан", "ru": "Сериков Нурлан", "en": "Serikov Nurlan"},
    "university": {"kk": "Университет", "ru": "Университет", "en": "University"},
    "programme_code": "6B06101",
    "programme_name": _T,
    "degree_level": "bachelor",
    "degree": {"kk": "Бакалавр", "ru": "Бакалавр", "en": "Bachelor"},
    "study_form": {"kk": "күндізгі", "ru": "очная", "en": "full-time"},
    "diploma_number": "BD 0000001",
    "protocol_number": "ИА-2026-00001",
    "protocol_date": "2026-06-15",
    "issue_date": "2026-07-01",
}
DIPLOMA_KIND = register_kind(
    DocumentKind(
        layout=lambda kind, language: diploma_layout(kind, language),
        code=DIPLOMA,
        names=_DIPLOMA_NAMES,
        title=_titled(_DIPLOMA_NAMES),
        schema=DiplomaData,
        required_template_names=("qr_code", "verification_url"),
        series="ДИП",
        number_format="{series}-{year}-{seq:06d}",
        creator_roles=frozenset({Role.REGISTRAR, Role.ADMINISTRATOR}),
        approver_roles=frozenset({Role.REGISTRAR, Role.DEAN}),
        revoker_roles=frozenset({Role.REGISTRAR, Role.RECTOR}),
        signing_route=_ROUTE,
        retention_class="permanent",
        sample_data={
            **_SAMPLE,
            "series": "BD",
            "book_number": 1,
            "issue_city": {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
            "with_honours": True,
            "remark": {"kk": "Үздік диплом", "ru": "Диплом с отличием", "en": "Diploma with honours"},
        },
        project=_project,
        search_text=_search_text,
        validate_db=_in_the_book,
        subjects=_subjects,
    )
)
_SAMPLE_LINE = {
    "term": "2025/2026-1",
    "discipline_code": "ICT1",
    "discipline_name": "Информационно-коммуникационные технологии",
    "credits": 5,
    "final_percent": "94",
    "letter": "A-",
    "points": "3.67",
    "traditional": "5 — өте жақсы / отлично / excellent",
}
SUPPLEMENT_KIND = register_kind(
    DocumentKind(
        layout=lambda kind, language: diploma_layout(kind, language),
        code=SUPPLEMENT,
        names=_SUPPLEMENT_NAMES,
        title=_titled(_SUPPLEMENT_NAMES),
        schema=SupplementData,
        series="ПДИП",
        number_format="{series}-{year}-{seq:06d}",
        creator_roles=frozenset({Role.REGISTRAR, Role.ADMINISTRATOR}),
        approver_roles=frozenset({Role.REGISTRAR, Role.DEAN}),
        revoker_roles=frozenset({Role.REGISTRAR, Role.RECTOR}),
        signing_route=_ROUTE,
        retention_class="permanent",
        sample_data={
            **_SAMPLE,
            "lines": [_SAMPLE_LINE],
            "final_attestation": {
                **_SAMPLE_LINE,
                "discipline_code": "FA",
                "discipline_name": "Дипломная работа",
            },
            "total_credits": 5,
            "gpa": "3.67",
        },
        project=_project,
        search_text=_search_text,
        validate_db=_in_the_book,
        subjects=_subjects,
    )
)

# Layouts ---------------------------------------------------------------------------------------


def diploma_layout(kind: DocumentKind, language: str) -> bytes:
    """The default layout of a diploma or a supplement (records.kinds.layouts.diploma)."""
    slots = _step_labels(kind)
    return diploma_template(slots) if kind.code == DIPLOMA else supplement_template(slots)
