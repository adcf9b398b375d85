"""Issuing diplomas with supplements in batches, the diploma book's numbers, spoiled blanks, reissues.

A batch is a Job ("diploma_batch") over the graduates of one cohort. Each item — one graduate — runs
in one transaction: the next number of the degree's series is taken from the book's counter (locked,
gapless), the book entry is written, and the diploma and the supplement are created through the
lifecycle engine, frozen and approved by the system (numbered). After that transaction commits both
are rendered to PDF/A at once (never inside a transaction) and the system sends them to the signing
route (dean, then rector). The entry is unique per batch and graduate, so a resumed batch finishes a
pair a crash left unrendered, skips graduates already done and never gives a second number. The registrar's preview, checked again at start, guarantees
that every graduate has a complete transcript and a final attestation grade.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.kinds.diploma import DIPLOMA, DIPLOMA_KIND, SUPPLEMENT, SUPPLEMENT_KIND, traditional_text
from records.lifecycle import State
from records.models import DiplomaBookEntry, Document, Job, OrgUnit, Person, RegistryCounter
from records.permissions import may_issue_diplomas
from records.selectors.diplomas import (
    DIPLOMA_BATCH_JOB,
    CohortPreview,
    GraduateFacts,
    cohort_preview,
    graduate_facts,
)
from records.selectors.epvo import epvo_numbers_of
from records.services.audit import audit_record
from records.services.document import SYSTEM, document_create, document_walk
from records.services.jobs import JobHandler, job_create, job_resume, jobs_fail_stale, register_job_handler
from records.services.rendering import documents_render_pdf

JOB_KIND = DIPLOMA_BATCH_JOB
SERIES_BY_LEVEL = {"bachelor": "BD", "master": "MD", "doctor": "PhD"}  # domain.md §2.4
DEGREE = {
    "bachelor": {"kk": "Бакалавр", "ru": "Бакалавр", "en": "Bachelor"},
    "master": {"kk": "Магистр", "ru": "Магистр", "en": "Master"},
    "doctor": {
        "kk": "Философия докторы (PhD)",
        "ru": "Доктор философии (PhD)",
        "en": "Doctor of Philosophy (PhD)",
    },
}
STUDY_FORM = {"kk": "күндізгі", "ru": "очная", "en": "full-time"}
ISSUE_CITY = {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"}
HONOURS = {"kk": "Үздік диплом", "ru": "Диплом с отличием", "en": "Diploma with honours"}
COUNTER_PREFIX = "DIPLOMA-"
# The diploma and its supplement are converted at once: one LibreOffice process per core.
RENDER_THREADS = 2


def _forbid_unless_issuer(by: Any) -> None:
    if not may_issue_diplomas(by):
        raise RecordsError("forbidden", _("Only the registrar may issue, reissue or spoil diplomas."))


def diploma_number_next(*, series: str) -> int:
    """The next number of `series` in the diploma book; the counter row is locked (call inside the
    transaction that writes the entry, so a rollback returns the number)."""
    with transaction.atomic():
        RegistryCounter.objects.bulk_create(
            [RegistryCounter(series=COUNTER_PREFIX + series, year=0, last_value=0)], ignore_conflicts=True
        )
        counter = RegistryCounter.objects.select_for_update().get(series=COUNTER_PREFIX + series, year=0)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
    return counter.last_value


def diploma_book_entry_add(*, series: str, number: int, **fields: Any) -> DiplomaBookEntry:
    """Write an entry; a number already in the book is refused with a message naming its holder."""
    taken = DiplomaBookEntry.objects.filter(series=series, number=number).select_related("graduate").first()
    message = _("Diploma number %(number)s is already in the book (%(graduate)s); nothing was issued.")
    if taken is not None:
        raise RecordsError(
            "duplicate_diploma_number",
            message,
            number=taken.display_number,
            graduate=taken.graduate.full_name(),
        )
    try:
        with transaction.atomic():
            return DiplomaBookEntry.objects.create(series=series, number=number, **fields)
    except IntegrityError as exc:  # a concurrent writer took it between the check and the insert
        raise RecordsError(
            "duplicate_diploma_number", message, number=f"{series} {number:07d}", graduate="—"
        ) from exc


def _trilingual_name(person: Person) -> dict[str, str]:
    return {lang: person.full_name(lang) for lang in ("kk", "ru", "en")}


def _graduate_data(facts: GraduateFacts, *, series: str, number: int, issue_date: dt.date) -> dict[str, Any]:
    """The common part of both documents, from the registry."""
    student = facts.student
    assert student is not None and student.programme is not None
    programme = student.programme
    root = OrgUnit.objects.filter(parent__isnull=True).first()
    protocol = facts.protocol
    return {
        "student_iin": facts.person.iin,
        "full_name": _trilingual_name(facts.person),
        "university": {lang: getattr(root, f"name_{lang}", "") for lang in ("kk", "ru", "en")},
        "programme_code": programme.code,
        "programme_name": {lang: getattr(programme, f"name_{lang}") for lang in ("kk", "ru", "en")},
        "degree_level": programme.level,
        "degree": {
            lang: f"{DEGREE[programme.level][lang]} — {getattr(programme, f'name_{lang}')}"
            for lang in ("kk", "ru", "en")
        },
        "study_form": STUDY_FORM,
        "diploma_number": f"{series} {number:07d}",
        "protocol_number": protocol.registry_number if protocol else "",
        "protocol_date": str(protocol.current_version.data.get("date"))
        if protocol and protocol.current_version
        else None,
        "issue_date": issue_date.isoformat(),
    }


def _supplement_lines(facts: GraduateFacts) -> tuple[list[dict[str, Any]], dict[str, Any], int]:
    """The counting grade of every discipline, the final attestation line, and the credits earned."""
    lines = []
    for line in sorted(facts.lines, key=lambda g: (g.term_year, g.term_period, g.discipline_code)):
        if not line.counts or line.attempt_kind == "final_attestation":
            continue
        lines.append(_line(line))
    final = facts.final_line
    assert final is not None
    earned = sum(g.credits for g in facts.lines if g.counts and g.points is not None and g.points > 0)
    return lines, _line(final), earned


def _line(line: Any) -> dict[str, Any]:
    return {
        "term": f"{line.term_year}/{line.term_year + 1}-{line.term_period}",
        "discipline_code": line.discipline_code,
        "discipline_name": line.discipline_name,
        "credits": line.credits,
        "final_percent": None if line.final_percent is None else str(line.final_percent),
        "letter": line.letter,
        "points": None if line.points is None else str(line.points),
        "traditional": traditional_text(line.traditional_mark),
    }


def _approved_document(
    *,
    by: Any,
    kind: str,
    org_unit: OrgUnit,
    title: str,
    data: dict[str, Any],
    subject: Person,
    batch: int | None,
) -> Document:
    """Drafted and submitted by the registrar, approved by the system with its registry number (not
    rendered yet): the registrar's batch is the review. Runs in the caller's transaction."""
    document = document_create(by=by, kind=kind, org_unit=org_unit, title=title, data=data, subject=subject)
    document = document_walk(document=document, by=by, names=("submit",))
    return document_walk(document=document, by=SYSTEM, names=("approve",), extra={"batch": batch})


def _finish_pair(entry: DiplomaBookEntry, *, batch: int | None) -> None:
    """Render the pair (both at once, with no transaction open), then send each to the signing route.

    Idempotent: a pair already rendered is not rendered again and one already sent is left alone, so
    a resumed batch finishes a pair that a crash left numbered but unrendered.
    """
    documents = list(
        Document.objects.filter(pk__in=[entry.diploma_id, entry.supplement_id], state=State.APPROVED)
        .select_related("current_version")
        .order_by("pk")
    )
    if not documents:
        return  # already sent for signing
    documents_render_pdf(documents=documents, by=SYSTEM, job=batch, threads=RENDER_THREADS)
    for document in documents:
        document_walk(document=document, by=SYSTEM, names=("start_signing",), extra={"batch": batch})


def _faculty(facts: GraduateFacts) -> OrgUnit:
    assert facts.student is not None and facts.student.programme is not None
    department = facts.student.programme.department
    return department.faculty() or department


def _issue_pair(
    *,
    by: Any,
    facts: GraduateFacts,
    issue_date: dt.date,
    batch: Job | None,
    reissue_of: DiplomaBookEntry | None = None,
    reason: str = "",
) -> DiplomaBookEntry:
    """Take the next number, write the book entry and create the diploma and its supplement of one
    graduate, approved and numbered (caller's transaction; `_finish_pair` renders them after commit)."""
    assert facts.student is not None and facts.student.programme is not None
    series = SERIES_BY_LEVEL.get(facts.student.programme.level, "BD")
    number = diploma_number_next(series=series)
    common = _graduate_data(facts, series=series, number=number, issue_date=issue_date)
    lines, final, earned = _supplement_lines(facts)
    epvo_number = epvo_numbers_of([facts.order.pk]).get(facts.order.pk)
    if not epvo_number:
        raise RecordsError(
            "epvo_number_missing",
            _("%(student)s has no EPVO number: enter it on the cohort page before issuing the diploma."),
            student=facts.name,
        )
    with_honours = bool(facts.honours and facts.honours.ok)
    remark = {lang: HONOURS[lang] if with_honours else "" for lang in ("kk", "ru", "en")}
    if reissue_of is not None:
        old = reissue_of.display_number
        replaced = {
            "kk": f"{old} дипломының орнына берілді",
            "ru": f"Выдан взамен диплома {old}",
            "en": f"Issued in place of diploma {old}",
        }
        remark = {lang: " ".join(t for t in (remark[lang], replaced[lang]) if t) for lang in remark}
    diploma_data = {
        **common,
        "series": series,
        "book_number": number,
        "issue_city": ISSUE_CITY,
        "with_honours": with_honours,
        "graduation_order": facts.order.registry_number,
        "epvo_number": epvo_number,
        "remark": remark,
        "reissue_reason": reason,
        "supersedes_document": reissue_of.diploma_id if reissue_of else None,
    }
    supplement_data = {
        **common,
        "lines": lines,
        "final_attestation": final,
        "total_credits": earned,
        "gpa": facts.gpa,
        "supersedes_document": reissue_of.supplement_id if reissue_of else None,
    }
    unit = _faculty(facts)
    batch_id = batch.pk if batch else None
    entry = diploma_book_entry_add(
        series=series,
        number=number,
        graduate=facts.person,
        batch=batch,
        reissue_of=reissue_of,
        issue_date=issue_date,
        reason=reason,
        created_by=by,
    )
    diploma = _approved_document(
        by=by,
        kind=DIPLOMA,
        org_unit=unit,
        title=DIPLOMA_KIND.make_title(diploma_data, "ru"),
        data=diploma_data,
        subject=facts.person,
        batch=batch_id,
    )
    supplement = _approved_document(
        by=by,
        kind=SUPPLEMENT,
        org_unit=unit,
        title=SUPPLEMENT_KIND.make_title(supplement_data, "ru"),
        data=supplement_data,
        subject=facts.person,
        batch=batch_id,
    )
    entry.diploma, entry.supplement = diploma, supplement
    entry.save(update_fields=["diploma", "supplement"])
    return entry


# Batches -------------------------------------------------------------------------------------------


def _existing_batch(group_code: str, date: str) -> Job | None:
    return (
        Job.objects.filter(kind=JOB_KIND, params__group_code=group_code, params__date=date)
        .order_by("-id")
        .first()
    )


def diploma_batch_start(*, by: Any, group_code: str, date: str) -> Job:
    """Start issuing the cohort's diplomas; refused (naming every graduate and what is missing) unless
    every graduation order is registered and every transcript complete. A cohort already in a batch
    is refused while that batch runs or is done, and resumed when it stopped or failed."""
    _forbid_unless_issuer(by)
    preview = cohort_preview(user=by, group_code=group_code, date=date)
    if not preview.graduates:
        raise RecordsError("no_graduates", _("The cohort has no graduates."))
    if preview.blocking:
        raise RecordsError(
            "cohort_incomplete",
            _("No diplomas were issued. Fix these first: %(problems)s"),
            problems=" ".join(preview.blocking),
        )
    numbers = epvo_numbers_of(f.order.pk for f in preview.graduates)
    missing = [f.name for f in preview.graduates if f.order.pk not in numbers and f.existing is None]
    if missing:
        raise RecordsError(
            "epvo_number_missing",
            _(
                "No diplomas were issued. Enter the EPVO number of every graduate first (the number the "
                "EPVO diploma module gives each diploma): %(names)s."
            ),
            names=", ".join(missing),
        )
    previous = _existing_batch(group_code, date)
    if previous is not None:
        jobs_fail_stale(pk=previous.pk)  # a batch whose worker was killed is resumed below
    with transaction.atomic():
        existing = _existing_batch(group_code, date)
        if existing is not None:
            if existing.state in (Job.State.STOPPED, Job.State.FAILED):
                job_resume(job=existing, by=by)
                return existing
            raise RecordsError(
                "batch_exists",
                _(
                    "Diplomas of group %(group)s graduating on %(date)s are already issued by batch %(batch)s (%(state)s)."
                ),
                group=group_code,
                date=date,
                batch=existing.pk,
                state=Job.State(existing.state).label,
            )
        job = job_create(
            kind=JOB_KIND,
            by=by,
            params={
                "group_code": group_code,
                "date": date,
                "issue_date": timezone.localdate().isoformat(),
                "graduates": [facts.person.pk for facts in preview.graduates],
                "orders": {str(f.person.pk): f.order.pk for f in preview.graduates},
            },
        )
        audit_record(
            actor=by,
            action="diploma.batch_start",
            object_type="job",
            object_id=job.pk,
            changes={"group": group_code, "date": date, "graduates": len(preview.graduates)},
        )
    return job


def _items(job: Job) -> list[str]:
    return [str(pk) for pk in job.params.get("graduates", [])]


def _process(job: Job, item: str) -> None:
    """Issue one graduate's diploma and supplement, unless this batch already did: numbered in one
    transaction, then rendered outside it and sent for signing (a resumed item finishes its pair)."""
    with transaction.atomic():
        entry = DiplomaBookEntry.objects.filter(batch=job, graduate_id=int(item)).first()
        if entry is None:
            entry = _number_pair(job, item)
    _finish_pair(entry, batch=job.pk)


def _number_pair(job: Job, item: str) -> DiplomaBookEntry:
    """Check the graduate again and number their pair (the caller's transaction)."""
    person = Person.objects.get(pk=int(item))
    order = Document.objects.get(pk=job.params["orders"][item])
    facts = graduate_facts(person, order)
    if facts.problems:
        raise RecordsError("graduate_incomplete", "%(problems)s", problems=" ".join(facts.problems))
    if facts.existing is not None:
        raise RecordsError(
            "already_has_diploma",
            _("%(student)s already holds diploma %(number)s."),
            student=facts.name,
            number=facts.existing.display_number,
        )
    return _issue_pair(
        by=job.created_by,
        facts=facts,
        issue_date=dt.date.fromisoformat(job.params["issue_date"]),
        batch=job,
    )


register_job_handler(JOB_KIND, JobHandler(items=_items, process=_process, label="Diplomas"))


# Book actions --------------------------------------------------------------------------------------


def _locked_entry(entry: DiplomaBookEntry) -> DiplomaBookEntry:
    return (
        DiplomaBookEntry.objects.select_for_update(of=("self",))
        .select_related("graduate", "diploma")
        .get(pk=entry.pk)
    )


def diploma_spoil(*, by: Any, entry: DiplomaBookEntry, reason: str) -> DiplomaBookEntry:
    """Mark a blank spoiled (the number stays in the book, never given again); needs a reason."""
    _forbid_unless_issuer(by)
    reason = (reason or "").strip()
    if not reason:
        raise RecordsError("reason_required", _("Please give a reason."))
    with transaction.atomic():
        locked = _locked_entry(entry)
        if locked.status != DiplomaBookEntry.Status.ISSUED:
            raise RecordsError(
                "not_issued",
                _("Diploma %(number)s is %(status)s; only an issued blank can be marked spoiled."),
                number=locked.display_number,
                status=str(DiplomaBookEntry.Status(locked.status).label).lower(),
            )
        locked.status = DiplomaBookEntry.Status.SPOILED
        locked.reason = reason[:2000]
        locked.status_changed_by = by
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "reason", "status_changed_by", "status_changed_at"])
        audit_record(
            actor=by,
            action="diploma.spoil",
            document=locked.diploma,
            object_type="diploma_book_entry",
            object_id=locked.pk,
            changes={"number": locked.display_number, "reason": locked.reason},
        )
    return locked


def diploma_reissue(*, by: Any, entry: DiplomaBookEntry, reason: str) -> DiplomaBookEntry:
    """Issue a new diploma and supplement (new number) in place of a registered diploma: lost, name
    changed. Their registration supersedes the old documents and marks the old entry reissued."""
    _forbid_unless_issuer(by)
    reason = (reason or "").strip()
    if not reason:
        raise RecordsError("reason_required", _("Please give a reason."))
    with transaction.atomic():
        locked = _locked_entry(entry)
        if locked.diploma is None or locked.diploma.state != State.REGISTERED:
            raise RecordsError(
                "not_registered",
                _("Diploma %(number)s is not registered; only a registered diploma can be reissued."),
                number=locked.display_number,
            )
        pending = locked.reissues.exclude(status=DiplomaBookEntry.Status.SPOILED).first()
        if pending is not None:
            raise RecordsError(
                "reissue_pending",
                _("Diploma %(number)s is already being reissued as %(new)s."),
                number=locked.display_number,
                new=pending.display_number,
            )
        order_number = str(locked.diploma.current_version.data.get("graduation_order", ""))  # type: ignore[union-attr]
        order = Document.objects.filter(kind="student_order_graduation", registry_number=order_number).first()
        if order is None:
            raise RecordsError(
                "no_order", _("The graduation order %(number)s is not in the registry."), number=order_number
            )
        facts = graduate_facts(locked.graduate, order)
        if facts.problems:
            raise RecordsError("graduate_incomplete", "%(problems)s", problems=" ".join(facts.problems))
        new = _issue_pair(
            by=by,
            facts=facts,
            issue_date=timezone.localdate(),
            batch=None,
            reissue_of=locked,
            reason=reason[:2000],
        )
        audit_record(
            actor=by,
            action="diploma.reissue",
            document=locked.diploma,
            object_type="diploma_book_entry",
            object_id=locked.pk,
            changes={"number": locked.display_number, "new_number": new.display_number, "reason": new.reason},
        )
    _finish_pair(new, batch=None)
    return new


def diploma_book_export_record(*, by: Any, count: int, export_format: str, filters: dict[str, Any]) -> None:
    """An export of the book is evidence too."""
    audit_record(
        actor=by,
        action="diploma_book.export",
        object_type="diploma_book",
        changes={"format": export_format, "rows": count, "filters": filters},
    )


def diploma_cohort_preview(*, by: Any, group_code: str, date: str) -> CohortPreview:
    """The preview of a graduating cohort that `by` may see, recorded in the audit chain (it shows every
    graduate's grades, honours and blockers at once)."""
    preview = cohort_preview(user=by, group_code=group_code, date=date)
    audit_record(
        actor=by,
        action="diploma.preview",
        object_type="cohort",
        object_id=f"{group_code}|{date}",
        changes={"graduates": len(preview.graduates)},
    )
    return preview
