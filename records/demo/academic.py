"""A registered academic history for the demo university (run after seed_demo).

``seed_academic`` registers, in effective-date order:

- an academic policy (the defaults, from 1 September of the first intake year);
- a working curriculum per programme and intake year (6 disciplines × 5 credits a semester);
- an enrollment order for every demo student, transfers to the next year each September, a few
  funding transfers, academic leaves with returns, and expulsions;
- for every group of one department (or up to ``max_groups`` groups), an exam grade statement per
  discipline and past term, FX/F
  retakes, and for a graduating cohort the admission to final attestation, the protocol and the
  graduation orders.

Orders, policy, curricula and protocols are registered in bulk by the lifecycle engine
(records.services.document.document_create_registered: numbers, audit events and projections, no
rendering or signatures). With ``signed=True`` (the demo's
default) every exam grade statement instead goes through its real route: drafted and submitted by
the examiner, approved (rendered to PDF/A) by the head of the department, sent for signing by the
registrar, and signed examiner → head → registrar with the demo keys (records.demo.pki), the last
signature registering it and running its projection. ``signed=False`` registers the statements in
bulk too (fast, for tests that need only the projections).

The random draws do not depend on ``signed`` and both paths register in the same order: every
regular statement of a term first, then its retakes. A statement's data is computed by the kind's
validation from the registry (policy, curriculum, students, earlier lines), which is in the same
state at that point on both paths, so the projections (Student, GradeLine, StudentGpa) are the same.

Deterministic for a given seed; does nothing when an academic policy is already registered.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.errors import RecordsError
from records.kinds.base import get_kind
from records.kinds.student_order import kind_code
from records.lifecycle import State
from records.models import Document, OrgUnit, Person, Programme, Role, RoleAssignment, Signature, StudyGroup
from records.models.academic import Student
from records.services.document import (
    RegisteredItem,
    document_create,
    document_transition,
    documents_create_registered,
)
from records.services.document import document_create_registered as document_register_directly
from records.services.rendering import document_render_pdf
from records.services.signature import documents_sign_batch

GENERAL = [
    ("HKZ", "Современная история Казахстана"),
    ("FIL", "Философия"),
    ("KAZ", "Казахский (русский) язык"),
    ("ENG", "Иностранный язык"),
    ("ICT", "Информационно-коммуникационные технологии"),
    ("SOC", "Модуль социально-политических знаний"),
]
LAST_YEAR = 2025  # the last academic year with a full history (2025/26)
# Groups with grade statements: the first programme's intakes 2022-2025, one group per year of
# study (a graduating cohort, and current students of every year). Each signed statement costs a
# PDF/A rendering and three signatures (~1.5-2.5 s): 4 groups are ~225 statements; 6 were ~385.
GRADED_GROUPS = 4
# The demo grades every group of one department, so that a whole unit has complete sessions (the
# scholarship order of the department can be prepared) and a graduating cohort gets its diplomas.
GRADED_DEPARTMENT = "dep-is"


@dataclass
class AcademicSeedResult:
    """Documents registered by kind, how many times a student repeated a year, statements signed."""

    documents: dict[str, int]
    repeats_year: int = 0
    signed_statements: int = 0


# progress(documents registered so far, statements signed so far): called after every registration
Progress = Callable[[int, int], Any]


def _discipline_name(programme: Programme, semester: int, index: int) -> tuple[str, str]:
    if semester <= 2 and index < 3:
        code, name = GENERAL[(semester - 1) * 3 + index]
        return code + str(semester), name
    return f"{programme.code[-3:]}{semester}{index}", f"{programme.name_ru}: модуль {semester}.{index + 1}"


def _curriculum(programme: Programme, intake_year: int) -> dict[str, Any]:
    semesters = []
    count = max(2, programme.credits_total // 30)
    for number in range(1, count + 1):
        lines = []
        for index in range(6):
            code, name = _discipline_name(programme, number, index)
            lines.append(
                {
                    "code": code,
                    "name": name,
                    "credits": 5,
                    "cycle": ("general", "basic", "major")[index % 3],
                    "component": ("compulsory", "university", "elective")[index % 3],
                    "control_form": "final_attestation" if number == count and index == 5 else "exam",
                    "hours": {"lecture": 30, "practical": 15, "self": 105},
                }
            )
        semesters.append({"number": number, "disciplines": lines})
    return {"programme_code": programme.code, "intake_year": intake_year, "semesters": semesters}


def _exam_date(year: int, period: int) -> dt.date:
    return dt.date(year + 1, 1, 10) if period == 1 else dt.date(year + 1, 6, 5)


class _Seeder:
    def __init__(self, rng: random.Random, progress: Progress | None, *, signed: bool) -> None:
        self.rng = rng
        self.progress = progress
        self.signed = signed
        self.counts: dict[str, int] = defaultdict(int)
        self.repeats = 0
        self.signed_statements = 0
        users = get_user_model().objects
        self.registrar = users.get(username="registrar")
        self.university = OrgUnit.objects.get(parent__isnull=True)
        self.heads: dict[int, Any] = {}

    def _registered(self, kind: str) -> None:
        self.counts[kind] += 1
        if self.progress is not None:
            self.progress(sum(self.counts.values()), self.signed_statements)

    def register(self, *, by: Any, kind: str, unit: OrgUnit, title: str, data: dict[str, Any]) -> Document:
        """Register in bulk (no rendering, no signatures); the projection runs."""
        document = document_register_directly(by=by, kind=kind, org_unit=unit, title=title, data=data)
        self._registered(kind)
        return document

    def register_many(self, *, by: Any, items: list[RegisteredItem]) -> list[Document]:
        """Register `items` in bulk, in one transaction (one counter lock, the audit chain appended at
        once): the same documents, numbers and events, in the same order, as one `register` each."""
        if not items:
            return []
        documents = documents_create_registered(by=by, items=items)
        for item in items:
            self._registered(item.kind)
        return documents

    def order_item(
        self, person: Person, faculty: OrgUnit, order_type: str, effective: dt.date, **extra: Any
    ) -> RegisteredItem:
        """The order `order` registers, as an item of a bulk registration."""
        data = {
            "student_iin": person.iin,
            "effective_date": effective.isoformat(),
            "grounds": "Заявление",
            **extra,
        }
        return RegisteredItem(kind=kind_code(order_type), org_unit=faculty, title="", data=data)

    def statement(self, *, by: Any, unit: OrgUnit, title: str, data: dict[str, Any]) -> Document:
        """A grade statement by its examiner `by`: a draft to route when signed, else registered in bulk.

        Either way its data holds the computed columns (letters) the retakes are drawn from.
        """
        if not self.signed:
            return self.register(by=by, kind="grade_statement", unit=unit, title=title, data=data)
        return document_create(by=by, kind="grade_statement", org_unit=unit, title=title, data=data)

    def head_of(self, department: OrgUnit) -> Any:
        """The head of `department` (approves and signs its statements); the demo seeds one per department."""
        if department.pk not in self.heads:
            head = (
                RoleAssignment.objects.filter(role=Role.HEAD_OF_DEPARTMENT, org_unit=department)
                .select_related("person__user")
                .order_by("id")
                .first()
            )
            if head is None or head.person.user is None:
                raise RecordsError(
                    "no_head",
                    _("Department %(unit)s has no head of department with a login."),
                    unit=department.code,
                )
            self.heads[department.pk] = head.person.user
        return self.heads[department.pk]

    def route(self, ids: list[int], *, examiner: Any, department: OrgUnit, steps: _Steps) -> None:
        """Take the drafted statements `ids` through their route; the registrar's signature registers each.

        The examiner submits, the head of the department approves (four eyes: not the author; the
        PDF/A is rendered once, here), the registrar sends for signing; then each official of the
        route signs the batch with their key (opened once per batch). Every transition and signature
        commits on its own, and each is detectably done (the state, the PDF, the signer's signature),
        so a route interrupted anywhere is taken up again where it stopped, doing nothing twice.
        """
        if not self.signed or not ids:
            return
        head = self.head_of(department)
        route = (
            ("submit", examiner, State.DRAFT),
            ("approve", head, State.REVIEW),
            ("start_signing", self.registrar, State.APPROVED),
        )
        for pk in ids:
            document = Document.objects.select_related("current_version").get(pk=pk)
            for name, who, source in route:
                if document.state != source:
                    continue
                steps.check_stop()
                if name == "start_signing" and document.current_version.pdf_blob_id is None:  # type: ignore[union-attr]
                    # Approved (the number reserved) but the process ended before the PDF was stored.
                    document_render_pdf(document=document, by=head)
                document = document_transition(document=document, by=who, name=name)
                crash_point("transition")
        for signer in (examiner, head, self.registrar):
            signed = set(
                Signature.objects.filter(document_id__in=ids, signer=signer, void=False).values_list(
                    "document_id", flat=True
                )
            )
            waiting = {
                d.pk: d
                for d in Document.objects.filter(pk__in=ids, state=State.SIGNING)
                if d.pk not in signed
            }
            report = documents_sign_batch(
                documents=[waiting[pk] for pk in ids if pk in waiting],
                by=signer,
                passphrase=demo_passphrase(signer.get_username()),
                progress=lambda _done, _total: crash_point("sign"),
                should_stop=steps.stopping,
            )
            steps.check_stop()
            if report.failed:
                raise RecordsError(
                    "demo_signing_failed",
                    _("Signing the demo statements failed: %(errors)s"),
                    errors="; ".join(sorted(set(report.failed.values()))),
                )
        states = set(Document.objects.filter(pk__in=ids).values_list("state", flat=True))
        if states != {State.REGISTERED}:
            raise RecordsError("demo_not_registered", _("Signed demo statements were not registered."))
        for _pk in ids:
            self.signed_statements += 1
            self._registered("grade_statement")

    def order(
        self, person: Person, faculty: OrgUnit, order_type: str, effective: dt.date, **extra: Any
    ) -> None:
        # The title is made by the kind from the data («Приказ о переводе на следующий курс: …»).
        item = self.order_item(person, faculty, order_type, effective, **extra)
        self.register(by=self.registrar, kind=item.kind, unit=faculty, title="", data=item.data)


def _faculty(group: StudyGroup) -> OrgUnit:
    department = group.programme.department
    return department.parent if department.parent is not None else department


def _score(rng: random.Random, ability: float, spread: float = 10) -> int:
    return max(0, min(100, round(rng.gauss(ability, spread))))


# A test hook (tests/records/test_demo_history_kills.py): "<point>:<n>" kills this process (SIGKILL)
# at the n-th passage of that point: "step" (a step committed), "inside" (inside a step's
# transaction, its writes done, not committed), "transition" (a route transition committed),
# "sign" (a signature committed, in the middle of a signer's batch).
CRASH_ENV = "RECTORATE_DEMO_HISTORY_CRASH"
_crossed: dict[str, int] = defaultdict(int)


def crash_point(point: str) -> None:
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    _crossed[point] += 1
    name, _sep, count = spec.partition(":")
    if name == point and _crossed[point] == int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)


class HistoryInterrupted(BaseException):
    """The history was asked to stop (SIGTERM, Ctrl-C) and stopped at a step boundary.

    A BaseException: the job runner must not count the year as failed, only as not done."""


# A step's place in the history, in the order the history runs them: (academic year, phase, group
# index, part). Phases: 0 September, 1 and 2 the terms, 3 the summer, 4 the year done. The start
# (policy, curricula) is (0, 0, 0, 0).
StepKey = tuple[int, int, int, int]


class _Steps:
    """The history's steps: which are done (from a checkpoint), and each new one run in one
    transaction that also keeps the checkpoint (the random generator, the counters, the term's
    drafts), so a process killed anywhere leaves the last step's consistent state to go on from."""

    def __init__(
        self,
        history: AcademicHistory,
        done: StepKey | None,
        term: dict[str, Any] | None,
        should_stop: Callable[[], bool] | None,
    ) -> None:
        self.history = history
        self.done = done
        self.term: dict[str, Any] = term or {}
        self._should_stop = should_stop

    def due(self, key: StepKey) -> bool:
        """Whether step `key` is still to do (not done before the checkpoint resumed from)."""
        return self.done is None or key > self.done

    def stopping(self) -> bool:
        return self._should_stop is not None and self._should_stop()

    def check_stop(self) -> None:
        if self.stopping():
            raise HistoryInterrupted

    @contextmanager
    def step(self, key: StepKey) -> Iterator[None]:
        self.check_stop()
        with transaction.atomic():
            yield
            crash_point("inside")
            self.history.save(key, self.term)
        self.done = key
        crash_point("step")


def seed_academic(
    *,
    seed: int = 2026,
    max_groups: int | None = None,
    progress: Progress | None = None,
    signed: bool = True,
    last_year: int = LAST_YEAR,
    current_term: bool = True,
) -> AcademicSeedResult:
    """Register the demo academic history (see the module docstring) in one transaction.

    `signed`: grade statements through their real route (rendered, three signatures) instead of
    in bulk; the officials' certificates are issued first when missing. `last_year`: the last
    academic year of the history (a shorter history for tests). `max_groups`: grade at most that
    many groups (one per programme and intake) instead of every group of ``GRADED_DEPARTMENT``.
    `current_term`: when the academic year after `last_year` is the one under way today, register
    its September orders too (no statements: those are the teachers' work of today).
    """
    with transaction.atomic():
        history = AcademicHistory(
            seed=seed,
            max_groups=max_groups,
            progress=progress,
            signed=signed,
            last_year=last_year,
            current_term=current_term,
        )
        for _year in history.years():
            pass
    return history.result()


def academic_history_years(*, last_year: int = LAST_YEAR, current_term: bool = True) -> list[int]:
    """The academic years the history yields (its first intake year to `last_year`, then the year
    under way when `current_term` and it follows `last_year`)."""
    first = StudyGroup.objects.order_by("intake_year").values_list("intake_year", flat=True).first()
    years = list(range(first if first is not None else last_year, last_year + 1))
    if current_term and _current_year() == last_year + 1:
        years.append(last_year + 1)
    return years


class AcademicHistory:
    """The demo history year by year, for the background worker (records.demo.history).

    ``years()`` registers one academic year per step and yields it. Outside a transaction each
    step commits on its own (one group's September or summer orders, one term's drafts, its
    retakes, its expulsions; every transition and signature of a route in its own service
    transaction), so the web server keeps answering while it runs. With `checkpoint`, every step
    hands it the history's state in the step's own transaction; `resume` (the last state handed)
    goes on after that step, registering what a run that never stopped registers. `should_stop` is
    asked at every step and document boundary (HistoryInterrupted). Deterministic for a given seed,
    whatever the commit boundaries.
    """

    def __init__(
        self,
        *,
        seed: int = 2026,
        max_groups: int | None = None,
        progress: Progress | None = None,
        signed: bool = True,
        last_year: int = LAST_YEAR,
        current_term: bool = True,
        resume: dict[str, Any] | None = None,
        checkpoint: Callable[[dict[str, Any]], Any] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.max_groups = max_groups
        self.last_year = last_year
        self.current_term = current_term
        self.rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not secrets
        self.signed = signed
        self.progress = progress
        self.seeder: _Seeder | None = None
        self.resume = resume
        self.checkpoint = checkpoint
        self.should_stop = should_stop

    def save(self, key: StepKey, term: dict[str, Any]) -> None:
        """Hand the state after step `key` to `checkpoint` (inside the step's transaction)."""
        if self.checkpoint is None:
            return
        seeder = self.seeder
        assert seeder is not None
        version, state, gauss = self.rng.getstate()
        year, phase = key[0], key[1]
        self.checkpoint(
            {
                "step": list(key),
                # the last academic year done: the job's items up to it are done
                "year": year if phase == 4 else (year - 1 if key != (0, 0, 0, 0) else self._first - 1),
                "term": term,
                "rng": [version, list(state), gauss],
                "counts": dict(seeder.counts),
                "repeats": seeder.repeats,
                "signed_statements": seeder.signed_statements,
            }
        )

    def _restore(self, seeder: _Seeder, saved: dict[str, Any]) -> _Steps:
        if "step" not in saved:  # a checkpoint of a year, before steps were kept
            saved = {**saved, "step": [int(saved["year"]), 4, 0, 0], "term": {}}
        version, state, gauss = saved["rng"]
        self.rng.setstate((version, tuple(state), gauss))
        seeder.counts.update(saved["counts"])
        seeder.repeats = int(saved["repeats"])
        seeder.signed_statements = int(saved["signed_statements"])
        key = saved["step"]
        return _Steps(self, (key[0], key[1], key[2], key[3]), saved.get("term"), self.should_stop)

    def years(self) -> Iterator[int]:
        """Register the history, yielding after each academic year; nothing when a policy exists.

        With `resume` (a state this history handed to `checkpoint` after a step), the steps after
        that one: the same documents as a run that never stopped."""
        if self.resume is None and Document.objects.filter(kind="academic_policy").exists():
            return
        if self.signed:
            bootstrap_pki()  # the examiners', heads' and registrar's keys; no-op when they exist
        seeder = self.seeder = _Seeder(self.rng, self.progress, signed=self.signed)
        groups = list(
            StudyGroup.objects.select_related("programme__department__parent").order_by("intake_year", "code")
        )
        self._first = first_year = min((g.intake_year for g in groups), default=self.last_year)
        graded = _graded_groups(groups, self.max_groups)
        students: defaultdict[int, list[Person]] = defaultdict(list)
        for person in Person.objects.filter(kind=Person.Kind.STUDENT, group__isnull=False).order_by("iin"):
            students[person.group_id or 0].append(person)
        if self.resume is not None:
            steps = self._restore(seeder, self.resume)
        else:
            steps = _Steps(self, None, None, self.should_stop)
        if steps.due((0, 0, 0, 0)):
            with steps.step((0, 0, 0, 0)):
                self._start(seeder, groups, first_year)
        for year in range(first_year, self.last_year + 1):
            if steps.due((year, 4, 0, 0)):
                _academic_year(seeder, steps, year, groups, students, graded)
                yield year
        year = self.last_year + 1
        if self.current_term and _current_year() == year and steps.due((year, 4, 0, 0)):
            # The term under way: its September orders, so groups are in session and their exam
            # statements are due now (the teachers' start page lists them from the curricula).
            _september_all(seeder, steps, year, groups, students)
            with steps.step((year, 4, 0, 0)):
                pass
            yield year

    def _start(self, seeder: _Seeder, groups: list[StudyGroup], first_year: int) -> None:
        """The academic policy and every working curriculum, in one batch."""
        seeder.register(
            by=seeder.registrar,
            kind="academic_policy",
            unit=seeder.university,
            title="Академическая политика",
            data={"effective_date": f"{first_year}-09-01"},
        )
        seeder.register_many(
            by=seeder.registrar,
            items=[
                RegisteredItem(
                    kind="working_curriculum",
                    org_unit=programme.department,
                    title=f"РУП {programme.code} {intake}",
                    data=_curriculum(programme, intake),
                )
                for programme in Programme.objects.select_related("department").order_by("code")
                for intake in sorted({g.intake_year for g in groups if g.programme_id == programme.pk})
            ],
        )

    def result(self) -> AcademicSeedResult:
        seeder = self.seeder
        if seeder is None:
            return AcademicSeedResult(documents={})
        return AcademicSeedResult(
            documents=dict(seeder.counts),
            repeats_year=seeder.repeats,
            signed_statements=seeder.signed_statements,
        )


def _graded_groups(groups: list[StudyGroup], max_groups: int | None) -> set[int]:
    """The groups that get grade statements: every group of ``GRADED_DEPARTMENT`` by default, else
    (or when it has none) up to `max_groups` groups, one per intake year and programme, oldest first."""
    if max_groups is None:
        department = {g.pk for g in groups if g.programme.department.code == GRADED_DEPARTMENT}
        if department:
            return department
        max_groups = GRADED_GROUPS
    chosen: list[StudyGroup] = []
    for group in sorted(groups, key=lambda g: (g.programme.code, g.intake_year, g.code)):
        if len(chosen) < max_groups and all(
            (g.programme_id, g.intake_year) != (group.programme_id, group.intake_year) for g in chosen
        ):
            chosen.append(group)
    return {g.pk for g in chosen}


def _academic_year(
    seeder: _Seeder,
    steps: _Steps,
    year: int,
    groups: list[StudyGroup],
    students: dict[int, list[Person]],
    graded: set[int],
) -> None:
    """Orders of September, the two terms' statements, and the summer's orders of one academic year,
    each step not done yet; the last step marks the year done."""
    _september_all(seeder, steps, year, groups, students)
    for period in (1, 2):
        for index, group in enumerate(groups):
            _term(seeder, steps, (year, period, index), group, students[group.pk], graded)
    for index, group in enumerate(groups):
        if steps.due((year, 3, index, 0)):
            with steps.step((year, 3, index, 0)):
                _summer(seeder, group, year, students[group.pk], graded)
    with steps.step((year, 4, 0, 0)):
        pass


def _september_all(
    seeder: _Seeder,
    steps: _Steps,
    year: int,
    groups: list[StudyGroup],
    students: dict[int, list[Person]],
) -> None:
    """The orders of 1 September of every group still studying, one group per step."""
    for index, group in enumerate(groups):
        if year > group.intake_year + (max(2, group.programme.credits_total // 30) - 1) // 2:
            continue  # graduated
        if steps.due((year, 0, index, 0)):
            with steps.step((year, 0, index, 0)):  # one group's orders commit together
                _september(seeder, group, year, _faculty(group), students[group.pk])


def _current_year() -> int:
    """The academic year under way today (its first calendar year)."""
    today = timezone.localdate()
    return today.year if today.month >= 8 else today.year - 1


def _september(seeder: _Seeder, group: StudyGroup, year: int, faculty: OrgUnit, people: list[Person]) -> None:
    """Enrollment of the intake, transfers to the next year and a few changes of funding."""
    rng = seeder.rng
    september = dt.date(year, 9, 1)
    if year == group.intake_year:  # the intake's enrollment orders, in one bulk registration
        items = [
            seeder.order_item(
                person,
                faculty,
                "enrollment",
                september,
                programme_code=group.programme.code,
                group_code=group.code,
                year_of_study=1,
                funding="state_grant" if rng.random() < 0.7 else "paid",
            )
            for person in people
        ]
        seeder.register_many(by=seeder.registrar, items=items)
        return
    for person in people:
        status = Student.objects.filter(person=person).values_list("status", "funding").first()
        if status is None or status[0] != "enrolled":
            continue
        try:
            seeder.order(person, faculty, "next_year", september)
        except RecordsError as exc:
            if exc.code != "progression_refused":
                raise
            # GPA below the threshold or an open FX/F: the student repeats the year.
            seeder.repeats += 1
            continue
        if status[1] == "paid" and rng.random() < 0.05:
            seeder.order(person, faculty, "transfer", dt.date(year, 9, 2), funding="state_grant")


def _enrolled(people: list[Person]) -> list[Person]:
    ids = set(
        Student.objects.filter(person__in=people, status="enrolled").values_list("person_id", flat=True)
    )
    return [p for p in people if p.pk in ids]


def _term(
    seeder: _Seeder,
    steps: _Steps,
    term: tuple[int, int, int],
    group: StudyGroup,
    people: list[Person],
    graded: set[int],
) -> None:
    """The statements of one term for a graded group, with retakes; a few leaves and expulsions.

    Steps (parts of (year, period, group index)): 0 the leaves, 1 the regular statements (drafts,
    or registered in bulk) and the retakes they call for, 2 their route, 3 the retakes' drafts,
    4 their route, 5 the expulsions. What a later part needs of an earlier one (the students'
    abilities, the drafts) is kept in the checkpoint with it (``steps.term``)."""
    rng = seeder.rng
    year, period, index = term
    semester = (year - group.intake_year) * 2 + period
    semesters = max(2, group.programme.credits_total // 30)
    if semester < 1 or semester > semesters:
        return
    faculty = _faculty(group)
    if period == 2 and steps.due((year, period, index, 0)):
        with steps.step((year, period, index, 0)):
            for person in _enrolled(people):
                if rng.random() < 0.02:
                    seeder.order(
                        person,
                        faculty,
                        "academic_leave",
                        dt.date(year + 1, 1, 25),
                        leave_grounds="illness",
                        end_date=dt.date(year + 1, 8, 31).isoformat(),
                    )
    if group.pk not in graded:
        return
    teacher = (
        RoleAssignment.objects.filter(role=Role.TEACHER, org_unit=group.programme.department)
        .select_related("person__user")
        .order_by("id")
        .first()
    )
    if teacher is None or teacher.person.user is None:
        return
    by = teacher.person.user
    department = group.programme.department
    if steps.due((year, period, index, 1)):
        with steps.step((year, period, index, 1)):  # the term's drafts (or bulk statements) commit together
            ability = {p.pk: rng.gauss(72, 12) for p in people}
            regular, retakes = _term_statements(
                seeder, group, (year, period, semester), people, ability, examiner=teacher.person
            )
            steps.term = {
                "ability": {str(pk): value for pk, value in ability.items()},
                "regular": [d.pk for d in regular],
                "retakes": [[title, data] for title, data in retakes],
                "retake_drafts": [],
            }
    if not steps.term["regular"]:
        return
    # A retake needs its regular statement registered: every regular one first, then the retakes.
    if steps.due((year, period, index, 2)):
        seeder.route(steps.term["regular"], examiner=by, department=department, steps=steps)
    if steps.due((year, period, index, 3)):
        with steps.step((year, period, index, 3)):
            steps.term["retake_drafts"] = [
                seeder.statement(by=by, unit=department, title=title, data=data).pk
                for title, data in steps.term["retakes"]
            ]
    if steps.due((year, period, index, 4)):
        seeder.route(steps.term["retake_drafts"], examiner=by, department=department, steps=steps)
    if period == 2 and semester == 2 and steps.due((year, period, index, 5)):
        ability = {int(pk): value for pk, value in steps.term["ability"].items()}
        with steps.step((year, period, index, 5)):
            weakest = sorted(_enrolled(people), key=lambda p: ability[p.pk])[:1]
            for person in weakest:
                if ability[person.pk] < 55:
                    seeder.order(
                        person,
                        faculty,
                        "expulsion",
                        dt.date(year + 1, 7, 1),
                        grounds="Академическая неуспеваемость",
                    )


def _term_statements(
    seeder: _Seeder,
    group: StudyGroup,
    term: tuple[int, int, int],
    people: list[Person],
    ability: dict[int, float],
    *,
    examiner: Person,
) -> tuple[list[Document], list[tuple[str, dict[str, Any]]]]:
    """The regular statements of a term (drafts, or registered in bulk) and the retakes they call for."""
    rng = seeder.rng
    year, period, semester = term
    semesters = max(2, group.programme.credits_total // 30)
    by = examiner.user
    department = group.programme.department
    exam_date = _exam_date(year, period)
    regular: list[Document] = []
    retakes: list[tuple[str, dict[str, Any]]] = []
    for index in range(5 if semester == semesters else 6):
        code, name = _discipline_name(group.programme, semester, index)
        present = _enrolled(people)
        if not present:
            break
        lines = []
        for person in present:
            level = ability[person.pk]
            exam = _score(rng, level, 14)
            lines.append(
                {
                    "student_iin": person.iin,
                    "rating1": max(_score(rng, level + 5, 8), 50),
                    "rating2": max(_score(rng, level + 5, 8), 50),
                    "exam": exam,
                }
            )
        base = {
            "discipline_code": code,
            "discipline_name": name,
            "credits": 5,
            "group_code": group.code,
            "academic_year": year,
            "period": period,
            "examiner": examiner.full_name("ru"),
        }
        statement = seeder.statement(
            by=by,
            unit=department,
            title=get_kind("grade_statement").make_title({**base, "attempt_kind": "regular"}),
            data={**base, "exam_date": exam_date.isoformat(), "lines": lines},
        )
        regular.append(statement)
        failed = [
            line
            for line in statement.current_version.data["lines"]  # type: ignore[union-attr]
            if line["letter"] in ("FX", "F")
        ]
        if failed:
            retake_lines = [
                {
                    "student_iin": line["student_iin"],
                    "rating1": line["rating1"],
                    "rating2": line["rating2"],
                    "exam": _score(rng, 65, 10),
                }
                for line in failed
            ]
            retakes.append(
                (
                    f"{code} {group.code} {year}-{period} пересдача",
                    {
                        **base,
                        "attempt_kind": "retake",
                        "exam_date": (exam_date + dt.timedelta(days=14)).isoformat(),
                        "lines": retake_lines,
                    },
                )
            )
    return regular, retakes


def _summer(seeder: _Seeder, group: StudyGroup, year: int, people: list[Person], graded: set[int]) -> None:
    """In effective-date order: the graduating year's admission, protocol and graduation (May-June),
    then returns from leave (31 August) — a student on leave in May is not admitted."""
    _graduation(seeder, group, year, people, graded)
    faculty = _faculty(group)
    for person in people:
        status = Student.objects.filter(person=person).values_list("status", flat=True).first()
        if status == "on_leave":
            seeder.order(person, faculty, "return_from_leave", dt.date(year + 1, 8, 31))


def _graduation(
    seeder: _Seeder, group: StudyGroup, year: int, people: list[Person], graded: set[int]
) -> None:
    """For a graded group in its last year: admission to final attestation, the protocol, graduation."""
    faculty = _faculty(group)
    semesters = max(2, group.programme.credits_total // 30)
    if year != group.intake_year + (semesters - 1) // 2 or group.pk not in graded:
        return
    present = []
    for person in _enrolled(people):
        try:
            seeder.order(person, faculty, "final_attestation_admission", dt.date(year + 1, 5, 20))
        except RecordsError as exc:
            if exc.code != "academic_debt":
                raise
            continue  # an unpassed discipline: not admitted, stays enrolled with the debt
        present.append(person)
    if not present:
        return
    dean = (
        RoleAssignment.objects.filter(role=Role.DEAN, org_unit=faculty).select_related("person__user").first()
    )
    by = dean.person.user if dean is not None and dean.person.user is not None else seeder.registrar
    seeder.register(
        by=by,
        kind="final_attestation_protocol",
        unit=faculty,
        title=f"Протокол ИА {group.code}",
        data={
            "form": "thesis_defence",
            "group_code": group.code,
            "academic_year": year,
            "date": dt.date(year + 1, 6, 15).isoformat(),
            "chair": "Председатель ГАК",
            "members": ["Член ГАК 1", "Член ГАК 2", "Член ГАК 3"],
            "lines": [
                {
                    "student_iin": p.iin,
                    "score": max(55, _score(seeder.rng, 80, 10)),
                    "topic": "Дипломная работа",
                }
                for p in present
            ],
        },
    )
    degree = (
        "Бакалавр" if group.programme.level == "bachelor" else "Магистр"
    ) + f" ({group.programme.name_ru})"
    for person in present:
        seeder.order(person, faculty, "graduation", dt.date(year + 1, 6, 30), degree_awarded=degree)


def progress_printer(out: Any, *, every: int = 500, signed_every: int = 25) -> Progress:
    """A progress callback for the commands: a line every `every` documents or `signed_every` signed statements."""
    start = time.monotonic()
    last = {"documents": 0, "signed": 0}

    def report(documents: int, signed: int) -> None:
        if documents - last["documents"] < every and signed - last["signed"] < signed_every:
            return
        last.update(documents=documents, signed=signed)
        out.write(
            f"  {documents} documents registered, {signed} statements signed ({time.monotonic() - start:.0f} s)"
        )

    return report
