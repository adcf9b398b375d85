"""The demo university's file plan (nomenclature of files), a few old records due for disposition,
and two holds.

Registered in bulk before the other demo documents, so every document the demo registers is filed
(its history from 2022 and the documents signed at seed time). The retention periods follow common
CIS practice for university records (domain.md section 5: UNCONFIRMED against the text of order
No. 263 of 29.09.2017, whose articles are therefore not quoted in the basis column). Records whose
registration builds derived data (orders on students, grade statements, ...) are kept 75 years and
reviewed, never destroyed by the registry (records.kinds.disposition).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from records.kinds.base import all_kinds
from records.models import Document, OrgUnit, Role, RoleAssignment
from records.services.document import document_create_registered
from records.services.fileplan import filing_file
from records.services.holds import hold_place

BASIS = "Перечень, пр. МКС № 263 от 29.09.2017"


def _series(
    index: str, unit: str, titles: tuple[str, str, str], years: int | None, action: str, kinds: list[str]
) -> dict[str, Any]:
    return {
        "index": index,
        "unit": unit,
        "title_kk": titles[0],
        "title_ru": titles[1],
        "title_en": titles[2],
        "retention_years": years,
        "basis": BASIS,
        "final_action": action,
        "kinds": kinds,
    }


def demo_plan_series() -> list[dict[str, Any]]:
    codes = {kind.code for kind in all_kinds()}
    student_orders = sorted(code for code in codes if code.startswith("student_order_"))
    reports = sorted(code for code in codes if code.startswith("report_"))
    entries = [
        _series(
            "01-01",
            "",
            (
                "Ректордың негізгі қызмет бойынша бұйрықтары",
                "Приказы ректора по основной деятельности",
                "Orders of the rector on the main activity",
            ),
            None,
            "transfer",
            ["internal_order"],
        ),
        _series(
            "01-02",
            "",
            ("Академиялық саясат", "Академическая политика", "Academic policy"),
            None,
            "transfer",
            ["academic_policy"],
        ),
        _series(
            "01-03",
            "archive",
            (
                "Істер номенклатурасы, жоюға бөлу туралы актілер",
                "Номенклатура дел, акты о выделении к уничтожению",
                "File plans and disposition acts",
            ),
            None,
            "transfer",
            ["file_plan", "disposition_act"],
        ),
        _series(
            "01-04",
            "accounting",
            (
                "Әкімшілік-шаруашылық мәселелер бойынша бұйрықтар",
                "Приказы по административно-хозяйственным вопросам",
                "Orders on administrative matters",
            ),
            5,
            "destroy",
            ["internal_order"],
        ),
        _series(
            "02-01",
            "registrar",
            (
                "Білім алушылар контингенті бойынша бұйрықтар",
                "Приказы по контингенту обучающихся",
                "Orders on students",
            ),
            75,
            "review",
            student_orders,
        ),
        _series(
            "02-02",
            "registrar",
            (
                "Емтихан және рейтинг ведомостері",
                "Экзаменационные и рейтинговые ведомости",
                "Grade statements",
            ),
            75,
            "review",
            ["grade_statement"],
        ),
        _series(
            "02-03",
            "registrar",
            (
                "Қорытынды аттестаттау хаттамалары",
                "Протоколы итоговой аттестации",
                "Final attestation protocols",
            ),
            None,
            "transfer",
            ["final_attestation_protocol"],
        ),
        _series(
            "02-04",
            "registrar",
            ("Транскрипттер", "Транскрипты", "Transcripts"),
            75,
            "review",
            ["transcript"],
        ),
        _series(
            "02-05",
            "registrar",
            ("Дипломдар және олардың қосымшалары", "Дипломы и приложения к ним", "Diplomas and supplements"),
            None,
            "transfer",
            ["diploma", "diploma_supplement"],
        ),
        _series(
            "02-06",
            "registrar",
            (
                "Білім алушыларға берілген анықтамалар",
                "Справки, выданные обучающимся",
                "Certificates issued to students",
            ),
            1,
            "destroy",
            ["student_certificate"],
        ),
        _series(
            "02-07",
            "registrar",
            ("Стипендия тағайындау туралы бұйрықтар", "Приказы о назначении стипендии", "Scholarship orders"),
            75,
            "review",
            ["scholarship_order"],
        ),
        _series(
            "02-08",
            "registrar",
            ("Жұмыс оқу жоспарлары", "Рабочие учебные планы", "Working curricula"),
            None,
            "transfer",
            ["working_curriculum"],
        ),
        _series(
            "02-09",
            "registrar",
            ("Министрлікке есептер", "Отчёты в министерство", "Reports to the ministry"),
            10,
            "review",
            reports,
        ),
    ]
    journal = sorted(
        code for code in codes if code in ("rating_statement", "coursework_statement", "practice_statement")
    )
    load = sorted(code for code in codes if code.startswith("load_") or code == "teacher_plan")
    if journal:
        entries.append(
            _series(
                "02-10",
                "registrar",
                (
                    "Рейтингтік және курстық жұмыс ведомостері",
                    "Рейтинговые ведомости, ведомости курсовых работ и практик",
                    "Rating, coursework and practice statements",
                ),
                75,
                "review",
                journal,
            )
        )
    if load:
        entries.append(
            _series(
                "03-01",
                "",
                (
                    "Оқу жүктемесі және оқытушылардың жеке жоспарлары",
                    "Учебная нагрузка и индивидуальные планы преподавателей",
                    "Teaching load and teachers' plans",
                ),
                5,
                "review",
                load,
            )
        )
    if "transfer_act" in codes:
        entries[2]["kinds"].append("transfer_act")
    listed = {k for entry in entries for k in entry["kinds"]}
    rest = sorted(codes - listed)
    if rest:  # a kind the demo plan does not know yet is filed, not left without a series
        entries.append(
            _series("01-09", "", ("Өзге құжаттар", "Прочие документы", "Other records"), 10, "review", rest)
        )
    return entries


def _user(role: str) -> Any:
    assignment = (
        RoleAssignment.objects.filter(role=role, person__user__isnull=False)
        .select_related("person__user")
        .order_by("id")
        .first()
    )
    return assignment.person.user if assignment is not None else None


def seed_file_plan() -> str:
    """Register the file plan in force since 2015 (filing the demo orders registered just before it), six old administrative orders due for disposition
    (one under a legal hold), and an audit hold on the certificates; returns a line for the log."""
    archivist, accounting = _user(Role.ARCHIVIST), OrgUnit.objects.filter(code="accounting").first()
    university = OrgUnit.objects.filter(parent__isnull=True).first()
    if archivist is None or accounting is None or university is None:
        return "skipped (no archivist or no accounting office)"
    plan = document_create_registered(
        by=archivist,
        kind="file_plan",
        org_unit=university,
        title="",
        data={"effective_date": "2015-01-01", "series": demo_plan_series()},
        registered_at=dt.datetime(2015, 1, 5, 5, 0, tzinfo=dt.UTC),
    )
    for document in Document.objects.filter(registered_at__isnull=False, filing__series_index="").exclude(
        pk=plan.pk
    ):
        filing_file(document)  # the few demo orders registered before the plan
    rector = _user(Role.RECTOR)
    old: list[Document] = []
    for n in range(6):
        registered = dt.datetime(2018 + n % 2, 3 + n, 10, 6, 0, tzinfo=dt.UTC)
        old.append(
            document_create_registered(
                by=rector,
                kind="internal_order",
                org_unit=accounting,
                title="",
                data={
                    "subject": f"О списании материальных ценностей № {n + 1}",
                    "body": "Списать материальные ценности согласно акту инвентаризации.",
                    "executor": "Бухгалтерия",
                },
                registered_at=registered,
            )
        )
    hold_place(by=rector, kind="legal", reason="Запрос суда по делу о списании (демо)", document=old[0])
    auditor = _user(Role.AUDITOR)
    hold_place(by=auditor, kind="audit", reason="Проверка выдачи справок (демо)", series_index="02-06")
    return f"{plan.registry_number}, {len(old)} old orders due for disposition, 2 holds"
