"""Permission-aware reads of the diploma area: graduation cohorts, the pre-issue preview, the book.

A cohort is the graduation orders of one study group with one effective date. The preview states,
for every graduate, the programme, GPA, the honours decision (records.academics.honours) with every
reason when refused, and the problems that block issuing (a curriculum discipline without a
positive counting grade, no final attestation grade, a graduation order not registered).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from records.academics.errors import Decision
from records.academics.gpa import CourseAttempt, Term
from records.academics.honours import GpaFigure, honours_for_attempts, honours_gpa
from records.errors import NotFoundOrForbidden, RecordsError
from records.lifecycle import State
from records.models import DiplomaBookEntry, Document, Job, Person, StudyGroup
from records.models.academic import GradeLine, Student
from records.permissions import may_see_diplomas
from records.projections.debts import academic_debts, curriculum_disciplines, passed_in
from records.projections.grades import counts_in_gpa
from records.projections.policy import PolicyBook, policy_book
from records.selectors.document import documents_visible_to

GRADUATION = "student_order_graduation"
# Orders that no longer count: a cohort is made of the others.
GONE_STATES = [State.REVOKED, State.SUPERSEDED, State.DISPOSED]

# The Job kind of a diploma batch (records.services.diplomas runs it).
DIPLOMA_BATCH_JOB = "diploma_batch"


@dataclass
class Cohort:
    """The graduation orders of one group and effective date."""

    group_code: str
    date: dt.date
    programme: str = ""
    orders: list[tuple[Document, Person]] = field(default_factory=list)

    @property
    def registered(self) -> int:
        return sum(1 for order, _person in self.orders if order.state == State.REGISTERED)


def _group_of(person: Person, students: dict[int, Student]) -> str:
    record = students.get(person.pk)
    if record is not None and record.group is not None:
        return record.group.code
    return person.group.code if person.group is not None else ""


def graduation_cohorts(*, user: Any) -> list[Cohort]:
    """Cohorts of the graduation orders the user may see (by group and effective date), newest first."""
    if not may_see_diplomas(user):
        return []
    orders = list(
        documents_visible_to(user=user)
        .filter(kind=GRADUATION)
        .exclude(state__in=GONE_STATES)
        .select_related("current_version")
    )
    iins = {str(o.current_version.data.get("student_iin", "")) for o in orders if o.current_version}
    people = {p.iin: p for p in Person.objects.filter(iin__in=iins).select_related("group__programme")}
    students = {
        s.person_id: s
        for s in Student.objects.filter(person__in=people.values()).select_related("group__programme")
    }
    cohorts: dict[tuple[str, str], Cohort] = {}
    for order in orders:
        data = order.current_version.data if order.current_version else {}
        person = people.get(str(data.get("student_iin", "")))
        if person is None:
            continue
        group_code = _group_of(person, students)
        key = (group_code, str(data.get("effective_date", "")))
        if key not in cohorts:
            cohorts[key] = Cohort(group_code=group_code, date=dt.date.fromisoformat(key[1]))
        cohorts[key].orders.append((order, person))
    groups = {
        group.code: group
        for group in StudyGroup.objects.filter(code__in={code for code, _date in cohorts}).select_related(
            "programme"
        )
    }
    for cohort in cohorts.values():
        group = groups.get(cohort.group_code)
        cohort.programme = f"{group.programme.code} {group.programme.name}" if group else ""
    return sorted(cohorts.values(), key=lambda c: (c.date, c.group_code), reverse=True)


def cohort_get(*, user: Any, group_code: str, date: str) -> Cohort:
    """One cohort the user may see; an unknown one is "not found"."""
    for cohort in graduation_cohorts(user=user):
        if cohort.group_code == group_code and cohort.date.isoformat() == date:
            return cohort
    raise NotFoundOrForbidden(
        "not_found",
        _("There are no graduation orders of group %(group)s on %(date)s."),
        group=group_code[:40],
        date=date[:10],
    )


@dataclass
class GraduateFacts:
    """Everything the diploma and supplement of one graduate say, and what blocks issuing them."""

    person: Person
    order: Document
    student: Student | None
    gpa: str | None = None  # the figure the honours rule judges (one figure on the page and the diploma)
    gpa_basis: str = ""  # how it was computed, in words
    honours: Decision | None = None
    problems: list[str] = field(default_factory=list)
    final_line: GradeLine | None = None
    protocol: Document | None = None
    lines: list[GradeLine] = field(default_factory=list)
    existing: DiplomaBookEntry | None = None

    @property
    def name(self) -> str:
        return self.person.full_name()


def _honours(
    lines: list[GradeLine], final_letters: list[str], date: dt.date, book: PolicyBook
) -> tuple[Decision, GpaFigure]:
    """The honours decision and the GPA it judged (final attestation left out, the policy at `date`)."""
    policy, _version = book.at(date)
    attempts = [
        CourseAttempt(
            discipline_code=line.discipline_code,
            credits=line.credits,
            points=line.points,
            letter=line.letter,
            term=Term(line.term_year, line.term_period),
            is_retake=line.is_retake,
            # Coursework and practice weigh in as the policy's counting rules say.
            counts_in_gpa=counts_in_gpa(line.attempt_kind, policy),
        )
        for line in sorted(lines, key=lambda g: (g.registered_at, g.document_id))
        if line.points is not None and line.letter and line.attempt_kind != "final_attestation"
    ]
    return honours_for_attempts(attempts, final_letters, policy), honours_gpa(attempts, policy)


def gpa_basis(figure: GpaFigure) -> str:
    """How the GPA was computed, for the reader (a tooltip and a line under the figure)."""
    if figure.value is None:
        return str(_("No graded credits."))
    return str(
        _(
            "Credits-weighted over %(credits)s credits of %(disciplines)s disciplines (the grade that counts "
            "for each); final attestation excluded, as the honours rule counts it."
        )
        % {"credits": figure.credits, "disciplines": figure.disciplines}
    )


def graduate_facts(person: Person, order: Document) -> GraduateFacts:
    """The graduate's record for the diploma: GPA, honours, the final attestation, and blocking problems.

    The GPA is the one the honours rule judges, so the column and the honours reason show one figure.
    """
    return graduates_facts([(person, order)])[0]


def graduates_facts(pairs: list[tuple[Person, Document]]) -> list[GraduateFacts]:
    """`graduate_facts` of many graduates (each with their graduation order), in the order given.

    A fixed number of queries whatever the number of graduates: the student records, the issued book
    entries and the grade lines of all of them at once, each working curriculum and the policy book once.
    """
    people = [person for person, _order in pairs]
    students = {
        s.person_id: s for s in Student.objects.filter(person__in=people).select_related("programme", "group")
    }
    existing: dict[int, DiplomaBookEntry] = {}
    for entry in DiplomaBookEntry.objects.filter(
        graduate__in=people, status=DiplomaBookEntry.Status.ISSUED
    ).order_by("pk"):
        existing.setdefault(entry.graduate_id, entry)
    lines: dict[int, list[GradeLine]] = {}
    for line in GradeLine.objects.filter(person__in=people, in_effect=True):
        lines.setdefault(line.person_id, []).append(line)
    curricula: dict[tuple[str, int], list[dict[str, Any]] | None] = {}
    book = policy_book() if pairs else None
    facts = []
    for person, order in pairs:
        student = students.get(person.pk)
        key = (
            (student.programme.code, student.group.intake_year)
            if student is not None and student.programme is not None and student.group is not None
            else None
        )
        if key is not None and key not in curricula:
            curricula[key] = curriculum_disciplines(*key)
        assert book is not None
        facts.append(
            _facts(
                person,
                order,
                student,
                existing=existing.get(person.pk),
                lines=lines.get(person.pk, []),
                disciplines=curricula[key] if key is not None else None,
                book=book,
            )
        )
    # The protocol of each final attestation (its number and date go on the diploma), read at once.
    protocols = Document.objects.filter(
        pk__in={f.final_line.document_id for f in facts if f.final_line is not None}
    ).select_related("current_version")
    by_id = {protocol.pk: protocol for protocol in protocols}
    for f in facts:
        if f.final_line is not None:
            f.protocol = f.final_line.document = by_id[f.final_line.document_id]
    return facts


def _facts(
    person: Person,
    order: Document,
    student: Student | None,
    *,
    existing: DiplomaBookEntry | None,
    lines: list[GradeLine],
    disciplines: list[dict[str, Any]] | None,
    book: PolicyBook,
) -> GraduateFacts:
    """One graduate's facts from what `graduates_facts` read (no query of its own)."""
    facts = GraduateFacts(person=person, order=order, student=student, existing=existing, lines=lines)
    who = person.full_name()
    if order.state != State.REGISTERED:
        facts.problems.append(
            _("%(student)s: graduation order %(number)s is not registered (it is %(state)s).")
            % {
                "student": who,
                "number": order.registry_number or f"#{order.pk}",
                "state": State(order.state).label,
            }
        )
    final = [line for line in facts.lines if line.attempt_kind == "final_attestation" and line.counts]
    final_passed = [line for line in final if line.points is not None and line.points > 0]
    facts.final_line = final_passed[-1] if final_passed else None
    if student is None or student.programme is None or student.group is None:
        facts.problems.append(
            _("%(student)s: the registry has no programme or group for the student.") % {"student": who}
        )
    elif disciplines is None:
        facts.problems.append(
            _("%(student)s: there is no registered working curriculum of %(programme)s for intake %(year)s.")
            % {"student": who, "programme": student.programme.code, "year": student.group.intake_year}
        )
    else:
        missing = academic_debts(person, disciplines, passed=passed_in(facts.lines))
        if missing:
            facts.problems.append(
                _("%(student)s: no positive grade in %(disciplines)s.")
                % {"student": who, "disciplines": ", ".join(missing)}
            )
    if facts.final_line is None:
        facts.problems.append(_("%(student)s: there is no final attestation grade.") % {"student": who})
    effective = (
        dt.date.fromisoformat(str(order.current_version.data["effective_date"]))
        if order.current_version
        else timezone.localdate()
    )
    facts.honours, figure = _honours(facts.lines, [line.letter for line in final], effective, book)
    facts.gpa = None if figure.value is None else str(figure.value)
    facts.gpa_basis = gpa_basis(figure)
    return facts


@dataclass
class CohortPreview:
    """The cohort with every graduate's facts; `blocking` lists every problem of every graduate."""

    cohort: Cohort
    graduates: list[GraduateFacts]

    @property
    def blocking(self) -> list[str]:
        return [problem for facts in self.graduates for problem in facts.problems]


def cohort_preview(*, user: Any, group_code: str, date: str) -> CohortPreview:
    """The preview of a cohort (visible to the user), graduates sorted by name."""
    cohort = cohort_get(user=user, group_code=group_code, date=date)
    graduates = graduates_facts([(person, order) for order, person in cohort.orders])
    return CohortPreview(cohort=cohort, graduates=sorted(graduates, key=lambda f: f.name))


@dataclass
class BookFilters:
    """Filters of the diploma book page and its export."""

    series: str = ""
    year: int | None = None
    status: str = ""
    q: str = ""


def diploma_book(*, user: Any, filters: BookFilters | None = None) -> QuerySet[DiplomaBookEntry]:
    """Book entries whose diploma the user may see, filtered, in book order."""
    if not may_see_diplomas(user):
        return DiplomaBookEntry.objects.none()
    filters = filters or BookFilters()
    visible = documents_visible_to(user=user).filter(kind="diploma").values("pk")
    entries = DiplomaBookEntry.objects.filter(diploma_id__in=visible).select_related(
        "graduate", "diploma", "supplement", "status_changed_by"
    )
    if filters.series:
        entries = entries.filter(series=filters.series)
    if filters.year:
        entries = entries.filter(issue_date__year=filters.year)
    if filters.status:
        entries = entries.filter(status=filters.status)
    text = filters.q.strip()[:100]
    if text:
        condition = Q(diploma__search_key__contains=text.casefold())
        digits = "".join(ch for ch in text if ch.isdigit())
        if digits:
            condition |= Q(number=int(digits))
        entries = entries.filter(condition)
    return entries.order_by("series", "number")


def book_entry_get(*, user: Any, pk: Any) -> DiplomaBookEntry:
    """One entry of the book the user may see (absent and forbidden look the same)."""
    entry = diploma_book(user=user).filter(pk=int(pk) if str(pk).isdigit() else -1).first()
    if entry is None:
        raise NotFoundOrForbidden("not_found", _("No such entry in the diploma book."))
    return entry


def batch_entries(job_id: int) -> QuerySet[DiplomaBookEntry]:
    """The entries a batch created, with their documents."""
    return (
        DiplomaBookEntry.objects.filter(batch_id=job_id)
        .select_related("graduate", "diploma", "supplement")
        .order_by("number")
    )


def require(condition: bool, message: str) -> None:
    """Raise a forbidden RecordsError with `message` unless `condition` holds."""
    if not condition:
        raise RecordsError("forbidden", message)


def diploma_batch_documents(job: Job) -> list[int]:
    """Ids of every diploma and supplement the batch created, in book order."""
    ids: list[int] = []
    for diploma_id, supplement_id in (
        DiplomaBookEntry.objects.filter(batch=job)
        .order_by("number")
        .values_list("diploma_id", "supplement_id")
    ):
        ids += [i for i in (diploma_id, supplement_id) if i is not None]
    return ids
