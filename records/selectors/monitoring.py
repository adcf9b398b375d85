"""Leadership indicators from the projections, within the viewer's scope (issue 17).

Every function takes the viewer and answers only for the students of the units their monitoring
role covers (records.permissions.monitoring_paths: a dean sees their faculty, a head their
department); a unit asked for outside that scope is refused. A student belongs to the department of
their programme at the time counted (the spell's programme, records.models.monitoring).

Definitions (domain.md §2.10, stated on the page): N counts results (one per student and
discipline: the attempt that counts under the policy's retake rule), not students; absolute
performance is the share of results graded above FX/F; quality of knowledge is the share of results
graded "excellent" or "good" by the academic policy in force at the term's start (A…C+ under the
default policy; a policy placing C+ under "satisfactory" gives A…B-).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Cast, Round, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.academics.rating import admission_cutoff
from records.academics.teaching_load import hours as teaching_hours
from records.errors import RecordsError
from records.kinds.teaching_plan import EXECUTION_KIND
from records.models import Document, GradeLine, LoadLineRow, OrgUnit, Programme, StudentGpa, StudyGroup
from records.models.academic import Funding, StudentStatus
from records.models.monitoring import StudentSpell, TermResultCell, TermStudentResult
from records.models.org import StudyForm
from records.permissions import may_monitor, monitoring_paths
from records.projections.base import in_force
from records.projections.policy import policy_book, term_start
from records.projections.teaching import CALCULATION_KIND, DISTRIBUTION_KIND
from records.selectors import teaching
from records.selectors.document import documents_visible_to
from records.selectors.frozen import frozen_values

FAILING = ("FX", "F")
ACTIVE_STATUSES = (StudentStatus.ENROLLED.value, StudentStatus.ON_LEAVE.value)
DIMENSIONS: dict[str, Any] = {
    "faculty": gettext_lazy("Faculty"),
    "department": gettext_lazy("Department"),
    "programme": gettext_lazy("Programme"),
    "group": gettext_lazy("Study group"),
    "year": gettext_lazy("Year of study"),
    "form": gettext_lazy("Form of study"),
    "funding": gettext_lazy("Funding"),
    "language": gettext_lazy("Language of study"),
    "sex": gettext_lazy("Sex"),
    "citizenship": gettext_lazy("Citizenship"),
    "status": gettext_lazy("Status"),
}
RESULT_DIMENSIONS = ("faculty", "department", "programme", "group", "discipline", "examiner")
# The movement of the student body, in the order a report lists it.
MOVEMENT_TYPES: dict[str, Any] = {
    "enrollment": gettext_lazy("Enrolled"),
    "transfer": gettext_lazy("Transferred within the unit"),
    "transfer_in": gettext_lazy("Transferred in"),
    "transfer_out": gettext_lazy("Transferred out"),
    "academic_leave": gettext_lazy("Went on academic leave"),
    "return_from_leave": gettext_lazy("Returned from leave"),
    "expulsion": gettext_lazy("Expelled"),
    "reinstatement": gettext_lazy("Reinstated"),
    "next_year": gettext_lazy("Moved to the next year"),
    "graduation": gettext_lazy("Graduated"),
}
SEX = {"male": gettext_lazy("Male"), "female": gettext_lazy("Female")}
SEX_DIGITS = {"male": ("1", "3", "5"), "female": ("2", "4", "6")}  # the IIN's 7th digit


class MonitoringForbidden(RecordsError):
    """The viewer holds no monitoring role, or asked for a unit outside their scope."""


@dataclass(frozen=True)
class Scope:
    """What the viewer's monitoring covers: None for the whole university, else programme ids."""

    unit: OrgUnit | None
    programme_ids: frozenset[int] | None

    @functools.cached_property
    def group_codes(self) -> frozenset[str] | None:
        if self.programme_ids is None:
            return None
        return frozenset(
            StudyGroup.objects.filter(programme_id__in=self.programme_ids).values_list("code", flat=True)
        )

    def programmes(self, queryset: QuerySet[Any], fieldname: str = "programme_id") -> QuerySet[Any]:
        if self.programme_ids is None:
            return queryset
        return queryset.filter(**{f"{fieldname}__in": self.programme_ids})

    def covers_programme(self, programme_id: int | None) -> bool:
        return self.programme_ids is None or programme_id in self.programme_ids


def monitoring_scope(user: Any, unit: OrgUnit | None = None) -> Scope:
    """The viewer's scope, narrowed to `unit` when given; refused without a role or outside the scope."""
    if not may_monitor(user):
        raise MonitoringForbidden("forbidden", _("You do not have permission to open the monitoring."))
    paths = monitoring_paths(user)
    if unit is not None:
        if paths is not None and not any(unit.path.startswith(p) for p in paths):
            raise MonitoringForbidden(
                "unit_out_of_scope", _("%(unit)s is outside your scope."), unit=unit.name
            )
        paths = [unit.path] if unit.kind != OrgUnit.Kind.UNIVERSITY else paths
    if paths is None:
        return Scope(unit, None)
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(department__path__startswith=path)
    return Scope(unit, frozenset(Programme.objects.filter(q).values_list("id", flat=True)))


def unit_scope(unit: OrgUnit | None) -> Scope:
    """The scope of a unit (the whole university when None) without a viewer: for the report kinds,
    whose authority is the document's own route (records.kinds.reports)."""
    if unit is None or unit.kind == OrgUnit.Kind.UNIVERSITY:
        return Scope(unit, None)
    programmes = Programme.objects.filter(department__path__startswith=unit.path)
    return Scope(unit, frozenset(programmes.values_list("id", flat=True)))


def units_within(user: Any) -> list[OrgUnit]:
    """Faculties and departments the viewer may narrow the monitoring to."""
    paths = monitoring_paths(user)
    units = OrgUnit.objects.filter(kind__in=(OrgUnit.Kind.FACULTY, OrgUnit.Kind.DEPARTMENT)).order_by("path")
    if paths is None:
        return list(units)
    return [u for u in units if any(u.path.startswith(p) for p in paths)]


# --- labels ---------------------------------------------------------------------------------


@dataclass
class Catalog:
    """Names of the units, programmes and groups (small tables, read once per request)."""

    units: dict[int, OrgUnit]
    programmes: dict[int, Programme]
    groups: dict[int, StudyGroup]
    group_by_code: dict[str, StudyGroup]

    @classmethod
    def load(cls) -> Catalog:
        groups = {g.pk: g for g in StudyGroup.objects.all()}
        return cls(
            units={u.pk: u for u in OrgUnit.objects.all()},
            programmes={p.pk: p for p in Programme.objects.all()},
            groups=groups,
            group_by_code={g.code: g for g in groups.values()},
        )

    def faculty_of(self, department_id: int | None) -> int | None:
        unit = self.units.get(department_id or 0)
        while unit is not None:
            if unit.kind == OrgUnit.Kind.FACULTY:
                return unit.pk
            unit = self.units.get(unit.parent_id or 0)
        return None

    def department_of_programme(self, programme_id: int | None) -> int | None:
        programme = self.programmes.get(programme_id or 0)
        return programme.department_id if programme is not None else None

    def unit_key(self, dimension: str, programme_id: int | None) -> str:
        """The faculty, department or programme key of a programme."""
        department = self.department_of_programme(programme_id)
        if dimension == "faculty":
            return _key(self.faculty_of(department))
        if dimension == "department":
            return _key(department)
        return _key(programme_id)

    def label(self, dimension: str, key: str) -> str:
        if key == "":
            return _("Not recorded")
        if dimension in ("faculty", "department"):
            unit = self.units.get(int(key))
            return unit.name if unit is not None else key
        if dimension == "programme":
            programme = self.programmes.get(int(key))
            return f"{programme.code} {programme.name}" if programme is not None else key
        if dimension == "group":
            group = self.groups.get(int(key))
            return group.code if group is not None else key
        return value_label(dimension, key)


def value_label(dimension: str, key: str) -> str:
    """The label of a value of a dimension that is not a unit."""
    options: dict[str, dict[str, Any]] = {
        "form": dict(StudyForm.choices),
        "funding": dict(Funding.choices),
        "status": dict(StudentStatus.choices),
        "sex": SEX,
        "language": {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")},
    }
    choices = options.get(dimension, {})
    if dimension == "year" and key:
        return _("Year %(year)s") % {"year": key}
    return str(choices.get(key, key))


def _key(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass
class Row:
    """One line of an indicator table: its key (for drill-down), label and figures."""

    key: str
    label: str
    values: dict[str, Any] = field(default_factory=dict)


# --- student body -----------------------------------------------------------------------------


def spells_on(on: dt.date) -> QuerySet[StudentSpell]:
    """The spells in force on a date: one per student with an order effective by then."""
    return StudentSpell.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )


def _spell_field(dimension: str) -> str:
    return {
        "faculty": "programme_id",
        "department": "programme_id",
        "programme": "programme_id",
        "group": "group_id",
        "year": "year_of_study",
        "form": "group__study_form",
        "funding": "funding",
        "language": "group__language",
        "sex": "sex_digit",
        "citizenship": "person__citizenship",
        "status": "status",
    }[dimension]


def _sex_of_digit(digit: str) -> str:
    return next((sex for sex, digits in SEX_DIGITS.items() if digit in digits), "")


def filter_spells(
    spells: QuerySet[StudentSpell], filters: dict[str, str], catalog: Catalog
) -> QuerySet[StudentSpell]:
    """Narrow spells by dimension values (the drill-down and the cross filters)."""
    for dimension, key in filters.items():
        if dimension not in DIMENSIONS:
            continue
        if dimension in ("faculty", "department"):
            ids = [p for p in catalog.programmes if catalog.unit_key(dimension, p) == key]
            spells = spells.filter(programme_id__in=ids)
        elif dimension == "sex":
            spells = spells.annotate(sex_digit=Substr("person__iin", 7, 1)).filter(
                sex_digit__in=SEX_DIGITS.get(key, ())
            )
        else:
            column = _spell_field(dimension)
            spells = spells.filter(**{f"{column}__isnull": True} if key == "" else {column: key})
    return spells


def _scoped_spells(scope: Scope, on: dt.date, statuses: tuple[str, ...]) -> QuerySet[StudentSpell]:
    spells = scope.programmes(spells_on(on))
    return spells.filter(status__in=statuses) if statuses else spells


def student_body(
    user: Any,
    *,
    on: dt.date,
    by: str = "faculty",
    unit: OrgUnit | None = None,
    statuses: tuple[str, ...] = ACTIVE_STATUSES,
    filters: dict[str, str] | None = None,
    catalog: Catalog | None = None,
    scope: Scope | None = None,
) -> list[Row]:
    """Students counted on a date by one dimension (largest first), within the viewer's scope."""
    scope = scope or monitoring_scope(user, unit)
    catalog = catalog or Catalog.load()
    spells = filter_spells(_scoped_spells(scope, on, statuses), filters or {}, catalog)
    column = _spell_field(by)
    if by == "sex":
        spells = spells.annotate(sex_digit=Substr("person__iin", 7, 1))
    counts: dict[str, int] = defaultdict(int)
    for value, count in spells.order_by().values_list(column).annotate(n=Count("id")):
        if by in ("faculty", "department"):
            key = catalog.unit_key(by, value)
        elif by == "sex":
            key = _sex_of_digit(str(value))
        else:
            key = _key(value)
        counts[key] += count
    rows = [Row(key, catalog.label(by, key), {"count": n}) for key, n in counts.items()]
    return sorted(rows, key=lambda r: (-r.values["count"], r.label))


def term_dates(on: dt.date, terms: int = 8) -> list[tuple[str, dt.date]]:
    """The starts of the last `terms` semesters up to `on`, oldest first, with their labels."""
    year = on.year if on >= dt.date(on.year, 9, 1) else on.year - 1
    period = 1 if on < term_start(year, 2) else 2
    result = []
    for _index in range(terms):
        result.append((term_label(year, period), term_start(year, period)))
        year, period = (year, 1) if period == 2 else (year - 1, 2)
    return list(reversed(result))


def term_label(year: int, period: int) -> str:
    return _("%(start)s/%(end)s, semester %(period)s") % {
        "start": year,
        "end": str(year + 1)[-2:],
        "period": period,
    }


def student_body_series(
    user: Any,
    *,
    on: dt.date,
    by: str = "status",
    unit: OrgUnit | None = None,
    statuses: tuple[str, ...] = ACTIVE_STATUSES,
    terms: int = 8,
    top: int = 6,
) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Counts at the start of each of the last terms by a dimension: (term labels, [(label, counts)])."""
    catalog = Catalog.load()
    dates = term_dates(on, terms)
    per_date = [
        {r.key: r for r in student_body(user, on=d, by=by, unit=unit, statuses=statuses, catalog=catalog)}
        for _label, d in dates
    ]
    totals: dict[str, int] = defaultdict(int)
    for rows in per_date:
        for key, row in rows.items():
            totals[key] += row.values["count"]
    keys = sorted(totals, key=lambda k: -totals[k])[:top]
    series = [
        (catalog.label(by, key), [rows[key].values["count"] if key in rows else 0 for rows in per_date])
        for key in keys
    ]
    return [label for label, _d in dates], series


def students_behind(
    user: Any,
    *,
    on: dt.date,
    unit: OrgUnit | None = None,
    statuses: tuple[str, ...] = ACTIVE_STATUSES,
    filters: dict[str, str] | None = None,
) -> QuerySet[StudentSpell]:
    """The students behind a count: their spells on the date, with the order behind each."""
    scope = monitoring_scope(user, unit)
    spells = filter_spells(_scoped_spells(scope, on, statuses), filters or {}, Catalog.load())
    return spells.select_related("person", "programme", "group", "document").order_by(
        "person__last_name_ru", "person__first_name_ru", "person_id"
    )


# --- movement ---------------------------------------------------------------------------------


def _movement_spells(scope: Scope, date_from: dt.date, date_to: dt.date) -> QuerySet[StudentSpell]:
    spells = StudentSpell.objects.filter(valid_from__gte=date_from, valid_from__lte=date_to).exclude(
        order_type="final_attestation_admission"
    )
    if scope.programme_ids is not None:
        spells = spells.filter(
            Q(programme_id__in=scope.programme_ids) | Q(previous_programme_id__in=scope.programme_ids)
        )
    return spells


def movement_type(scope: Scope, order_type: str, programme_id: int | None, previous_id: int | None) -> str:
    """The movement an order is for the scope: a transfer across its edge is "in" or "out"."""
    if order_type != "transfer" or scope.programme_ids is None:
        return order_type
    inside, was_inside = scope.covers_programme(programme_id), scope.covers_programme(previous_id)
    if inside and not was_inside:
        return "transfer_in"
    if was_inside and not inside:
        return "transfer_out"
    return "transfer"


def movement(
    user: Any,
    *,
    date_from: dt.date,
    date_to: dt.date,
    unit: OrgUnit | None = None,
    scope: Scope | None = None,
) -> list[Row]:
    """Orders effective in the period by movement, with the documents behind each count."""
    scope = scope or monitoring_scope(user, unit)
    documents: dict[str, list[int]] = {key: [] for key in MOVEMENT_TYPES}
    rows = _movement_spells(scope, date_from, date_to).values_list(
        "order_type", "programme_id", "previous_programme_id", "document_id"
    )
    for order_type, programme_id, previous_id, document_id in rows.order_by("valid_from", "document_id"):
        kind = movement_type(scope, order_type, programme_id, previous_id)
        documents.setdefault(kind, []).append(document_id)
    return [
        Row(key, str(MOVEMENT_TYPES.get(key, key)), {"count": len(ids), "documents": ids})
        for key, ids in documents.items()
    ]


def movement_documents(
    user: Any,
    *,
    date_from: dt.date,
    date_to: dt.date,
    movement_key: str,
    unit: OrgUnit | None = None,
    scope: Scope | None = None,
) -> list[StudentSpell]:
    """The orders behind one movement figure, with their students."""
    scope = scope or monitoring_scope(user, unit)
    spells = (
        _movement_spells(scope, date_from, date_to)
        .select_related("person", "document", "programme", "previous_programme")
        .order_by("valid_from", "document_id")
    )
    return [
        s
        for s in spells
        if not movement_key
        or movement_type(scope, s.order_type, s.programme_id, s.previous_programme_id) == movement_key
    ]


# --- session results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Definitions:
    """The letters each indicator counts, by the policy in force at the term's start."""

    policy_version: str
    positive: tuple[str, ...]
    quality: tuple[str, ...]


def definitions(year: int, period: int) -> Definitions:
    policy, version = policy_book().at(term_start(year, period))
    scale = policy.grading_scale
    return Definitions(
        policy_version=version,
        positive=tuple(b.letter for b in scale if b.category != "unsatisfactory"),
        quality=tuple(b.letter for b in scale if b.category in ("excellent", "good")),
    )


def terms_with_results(user: Any) -> list[tuple[int, int]]:
    """Terms that have registered results (newest first)."""
    monitoring_scope(user)
    terms = TermStudentResult.objects.order_by().values_list("term_year", "term_period").distinct()
    return sorted(set(terms), reverse=True)


def _result_lines(scope: Scope, year: int, period: int) -> QuerySet[GradeLine]:
    lines = GradeLine.objects.filter(term_year=year, term_period=period, in_effect=True).exclude(
        attempt_kind=GradeLine.AttemptKind.FINAL_ATTESTATION
    )
    if scope.group_codes is not None:
        lines = lines.filter(group_code__in=scope.group_codes)
    return lines


@dataclass
class SessionResults:
    """Session results of a term by one dimension, the totals, and the GPA distribution."""

    definitions: Definitions
    rows: list[Row]
    total: Row
    gpa_bins: list[tuple[str, int]]


GPA_BINS = ((Decimal("0"), "0–1"), (Decimal("1"), "1–2"), (Decimal("2"), "2–2.5"), (Decimal("2.5"), "2.5–3"),
            (Decimal("3"), "3–3.5"), (Decimal("3.5"), "3.5–4"))  # fmt: skip


def _bin(gpa: Decimal) -> str:
    label = GPA_BINS[0][1]
    for low, name in GPA_BINS:
        if gpa >= low:
            label = name
    return label


def _finish(values: dict[str, Any]) -> dict[str, Any]:
    results = values["results"]
    values["absolute"] = _percent(values["positive"], results)
    values["quality"] = _percent(values["good"], results)
    gpas: Counter[int] = values.pop("gpas", Counter())  # term GPA in hundredths → students
    count = sum(gpas.values())
    hundredths = sum(gpa * n for gpa, n in gpas.items())
    values["gpa"] = (Decimal(hundredths) / (count * 100)).quantize(Decimal("0.01")) if count else None
    return values


def _percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(part * 100) / whole).quantize(Decimal("0.1")) if whole else None


def session_results(
    user: Any,
    *,
    year: int,
    period: int,
    by: str = "faculty",
    unit: OrgUnit | None = None,
    catalog: Catalog | None = None,
    scope: Scope | None = None,
) -> SessionResults:
    """Absolute performance, quality, average GPA, FX/F and academic debt of a term, by a dimension.

    Results are the attempts that count (after retakes); "FX/F at the session" counts the regular
    attempts graded FX or F, "academic debt" the students whose counting result is still FX or F.
    Read from the per-term projection (records.projections.term_results): cells per group,
    discipline and statement, and a row per student and group; a student's term GPA counts in the
    group of their latest result in the scope.
    """
    scope = scope or monitoring_scope(user, unit)
    catalog = catalog or Catalog.load()
    rules = definitions(year, period)
    cells = TermResultCell.objects.filter(term_year=year, term_period=period)
    groups = TermStudentResult.objects.filter(term_year=year, term_period=period)
    if scope.group_codes is not None:
        cells = cells.filter(group_code__in=scope.group_codes)
        groups = groups.filter(group_code__in=scope.group_codes)
    names = ("results", "positive", "good", "open_fails", "debtors", "students")
    merged: dict[str, dict[str, Any]] = {}

    keys: dict[str, str] = {}

    def key_of(group_code: str) -> str:
        if group_code not in keys:
            group = catalog.group_by_code.get(group_code)
            if by == "group":
                keys[group_code] = _key(group.pk if group is not None else None)
            else:
                keys[group_code] = catalog.unit_key(by, group.programme_id if group is not None else None)
        return keys[group_code]

    def bucket(key: str) -> dict[str, Any]:
        return merged.setdefault(key, {**dict.fromkeys(names, 0), "session_fails": 0, "gpas": Counter()})

    by_group = by in ("faculty", "department", "programme", "group")
    total: dict[str, Any] = {**dict.fromkeys(names, 0), "session_fails": 0, "gpas": Counter()}
    column = "group_code" if by_group else ("examiner" if by == "examiner" else "discipline_code")
    counted = ("results", "positive", "good", "open_fails", "session_fails", "students", "debtors")
    summed = cells.order_by().values_list(column).annotate(*(Sum(name) for name in counted))
    for value, *figures in summed:
        row = bucket(key_of(value) if by_group else value)
        for name, figure in zip(counted, figures, strict=True):
            if by_group and name in ("students", "debtors"):
                continue  # distinct students of a group: from the student rows below
            row[name] += figure
            total[name] += figure
    if by_group:
        per_group = (
            groups.order_by()
            .values_list("group_code")
            .annotate(
                students=Count("id", filter=Q(counted=True)), debtors=Count("id", filter=Q(debtor=True))
            )
        )
        for group_code, students, debtors in per_group:
            row = bucket(key_of(group_code))
            row["students"] += students
            row["debtors"] += debtors
    # Each student's group for the GPA: of their latest result in the scope (two rows: moved mid-term).
    group_of: dict[int, str] = {}
    moved: set[int] = set()
    for person, group_code in groups.order_by().values_list("person_id", "group_code"):
        if person in group_of:
            moved.add(person)
        group_of[person] = group_code
    latest: dict[int, tuple[Any, ...]] = {}
    for person, group_code, last, document in groups.filter(person_id__in=sorted(moved)).values_list(
        "person_id", "group_code", "last_registered", "last_document_id"
    ):
        if person not in latest or (last, document, group_code) > latest[person]:
            latest[person] = (last, document, group_code)
            group_of[person] = group_code
    total["students"] = len(group_of)
    total["debtors"] = groups.filter(debtor=True).values("person_id").distinct().count()
    hundredths = (
        StudentGpa.objects.filter(term_year=year, term_period=period, term_gpa__isnull=False)
        .annotate(h=Cast(Round(F("term_gpa") * 100), IntegerField()))
        .values_list("person_id", "h")
    )
    group_gpas: dict[str, Counter[int]] = defaultdict(Counter)
    for person, gpa in hundredths:
        if person in group_of:
            group_gpas[group_of[person]][gpa] += 1
    for group_code, gpas in group_gpas.items():
        total["gpas"].update(gpas)
        if by_group:
            bucket(key_of(group_code))["gpas"].update(gpas)
    rows = [Row(key, _result_label(by, key, catalog), _finish(values)) for key, values in merged.items()]
    rows.sort(key=lambda r: r.label)
    bins: dict[str, int] = {name: 0 for _low, name in GPA_BINS}
    for gpa, n in total["gpas"].items():
        bins[_bin(Decimal(gpa) / 100)] += n
    return SessionResults(rules, rows, Row("", _("Total"), _finish(total)), list(bins.items()))


def _result_label(by: str, key: str, catalog: Catalog) -> str:
    if by in ("discipline", "examiner"):
        return key or _("Not recorded")
    return catalog.label(by, key)


def result_lines_behind(
    user: Any,
    *,
    year: int,
    period: int,
    by: str,
    key: str,
    measure: str = "",
    unit: OrgUnit | None = None,
) -> QuerySet[GradeLine]:
    """The grade lines behind a session figure (with their statements), for the drill-down."""
    scope = monitoring_scope(user, unit)
    catalog = Catalog.load()
    lines = _result_lines(scope, year, period)
    if by == "examiner":
        statements = TermResultCell.objects.filter(term_year=year, term_period=period, examiner=key)
        lines = lines.filter(document_id__in=statements.values("document_id"))
    elif by == "discipline":
        lines = lines.filter(discipline_code=key)
    elif by in ("faculty", "department", "programme", "group"):
        codes = [
            code
            for code, group in catalog.group_by_code.items()
            if (_key(group.pk) if by == "group" else catalog.unit_key(by, group.programme_id)) == key
        ]
        lines = lines.filter(group_code__in=codes)
    if measure == "session_fails":
        lines = lines.filter(letter__in=FAILING, attempt_kind=GradeLine.AttemptKind.REGULAR)
    elif measure in ("open_fails", "debtors"):
        lines = lines.filter(letter__in=FAILING, counts=True)
    else:
        lines = lines.filter(counts=True)
    return lines.select_related("person", "document").order_by(
        "person__last_name_ru", "person_id", "discipline_code", "registered_at"
    )


# --- scholarships -------------------------------------------------------------------------------


def scholarships(user: Any, *, by: str = "faculty", unit: OrgUnit | None = None) -> list[Row]:
    """Scholarships awarded per paid term and unit (count, monthly total), from registered orders."""
    scope = monitoring_scope(user, unit)
    catalog = Catalog.load()
    codes = scope.group_codes
    figures: dict[tuple[int, int, str], dict[str, Any]] = {}
    orders = in_force(["scholarship_order"]).select_related("current_version")
    for order in orders:
        data = order.current_version.data if order.current_version else {}
        term = (int(data.get("academic_year", 0)), int(data.get("semester", 0)))
        for student in data.get("awarded", []):
            code = str(student.get("group_code", ""))
            if codes is not None and code not in codes:
                continue
            group = catalog.group_by_code.get(code)
            key = catalog.unit_key(by, group.programme_id if group is not None else None)
            values = figures.setdefault((*term, key), {"count": 0, "amount": 0, "documents": set()})
            values["count"] += 1
            values["amount"] += int(student.get("amount", 0))
            values["documents"].add(order.pk)
    rows = []
    for (year, semester, key), values in sorted(figures.items(), key=lambda item: (-item[0][0], -item[0][1])):
        values["term"] = term_label(year, semester)
        values["documents"] = sorted(values["documents"])
        rows.append(Row(f"{year}-{semester}-{key}", catalog.label(by, key), values))
    return rows


def documents_by_id(user: Any, ids: list[int]) -> QuerySet[Document]:
    """The documents behind a figure that the viewer may see (through the registry's selector)."""
    return (
        documents_visible_to(user=user)
        .filter(pk__in=ids)
        .select_related("subject")
        .order_by("registered_at", "id")
    )


# --- teaching load --------------------------------------------------------------------------------

LOAD_DOCUMENT_KINDS = (CALCULATION_KIND, DISTRIBUTION_KIND, EXECUTION_KIND)


def load_departments_in_scope(user: Any, unit: OrgUnit | None = None) -> list[OrgUnit]:
    """The departments whose load the viewer's monitoring covers (a dean: the faculty's; a head: their
    own), narrowed to `unit`; refused like every indicator outside the scope."""
    scope = monitoring_scope(user, unit)
    paths = monitoring_paths(user)
    if scope.unit is not None and scope.unit.kind != OrgUnit.Kind.UNIVERSITY:
        paths = [scope.unit.path]
    departments = OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("path")
    if paths is None:
        return list(departments)
    return [d for d in departments if any(d.path.startswith(p) for p in paths)]


def load_terms(term: int | None) -> tuple[int, ...]:
    """The terms a load figure covers: one term, or the whole year (autumn and spring)."""
    return (term,) if term in (1, 2) else (1, 2)


@dataclass
class TeachingLoad:
    """The load monitoring of a year (or a term): one row per department, one per teacher."""

    departments: list[Row]
    teachers: list[teaching.TeacherYear]
    total: Row


def _rate(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _load_extract(data: dict[str, Any]) -> tuple[str, int]:
    return str(data.get("department_code", "")), int(data.get("academic_year") or 0)


def load_documents(codes: list[str], year: int) -> dict[str, list[Document]]:
    """The registered calculation, distribution and execution reports of each department's year (their
    department and year read once per version, records.selectors.frozen: a calculation holds every line)."""
    found: dict[str, list[Document]] = defaultdict(list)
    keys = frozen_values(in_force(list(LOAD_DOCUMENT_KINDS)), "load_keys", _load_extract, fields=("pk",))
    chosen = {pk: code for (pk,), (code, academic_year) in keys if academic_year == year and code in codes}
    documents = Document.objects.filter(pk__in=list(chosen)).only(
        "id", "kind", "registry_number", "title", "state"
    )
    for document in documents.order_by("registered_at", "id"):
        found[chosen[document.pk]].append(document)
    return found


def teaching_load(
    user: Any,
    *,
    year: int,
    term: int | None = None,
    unit: OrgUnit | None = None,
    today: dt.date | None = None,
) -> TeachingLoad:
    """Planned against done hours by department and teacher, with the rate of execution and the
    teachers over their limit. Planned: the registered calculation (LoadLineRow) and distribution
    (TeachingAssignment); done: records.selectors.teaching (the journal's classes held and the
    registered statements and protocols)."""
    departments = load_departments_in_scope(user, unit)
    codes = [d.code for d in departments]
    terms = load_terms(term)
    calculated = dict(
        LoadLineRow.objects.filter(department_code__in=codes, academic_year=year, term__in=terms)
        .values("department_code")
        .annotate(h=Sum("hours"))
        .order_by()
        .values_list("department_code", "h")
    )
    teachers = teaching.teacher_years(codes, year, terms, today=today)
    documents = load_documents(codes, year)
    rows = []
    for department in departments:
        mine = [t for t in teachers if t.department_code == department.code]
        planned = sum((t.planned for t in mine), Decimal(0))
        done = sum((t.done for t in mine), Decimal(0))
        calc = calculated.get(department.code) or Decimal(0)
        if not (calc or mine):
            continue
        rows.append(
            Row(
                department.code,
                department.name,
                {
                    "calculated": teaching_hours(calc),
                    "planned": teaching_hours(planned),
                    "done": teaching_hours(done),
                    "rate": _rate(done, planned),
                    "teachers": sum(1 for t in mine if t.planned_year),
                    "over_limit": sum(1 for t in mine if t.over_limit),
                    "documents": documents.get(department.code, []),
                },
            )
        )
    total_planned = sum((r.values["planned"] for r in rows), Decimal(0))
    total_done = sum((r.values["done"] for r in rows), Decimal(0))
    total = Row(
        "*",
        _("Total"),
        {
            "calculated": teaching_hours(sum((r.values["calculated"] for r in rows), Decimal(0))),
            "planned": teaching_hours(total_planned),
            "done": teaching_hours(total_done),
            "rate": _rate(total_done, total_planned),
            "teachers": sum(r.values["teachers"] for r in rows),
            "over_limit": sum(r.values["over_limit"] for r in rows),
            "documents": [],
        },
    )
    return TeachingLoad(rows, teachers, total)


def load_assignments_behind(
    user: Any, *, year: int, term: int | None = None, unit: OrgUnit | None = None, department: str = "",
    teacher_id: int | None = None, today: dt.date | None = None,
) -> teaching.AssignmentsDone:  # fmt: skip
    """The registered assignments behind a load figure (a department's, a teacher's, or all in scope)."""
    codes = [d.code for d in load_departments_in_scope(user, unit)]
    if department:
        if department not in codes:
            raise MonitoringForbidden(
                "unit_out_of_scope", _("%(unit)s is outside your scope."), unit=department
            )
        codes = [department]
    return teaching.assignments_done(codes, year, load_terms(term), teacher_id=teacher_id, today=today)


# --- rating (РК1/РК2) results ----------------------------------------------------------------------

RATING_KIND = "rating_statement"
RATING_DIMENSIONS = ("faculty", "department", "group", "discipline")


@dataclass(frozen=True)
class RatingStatement:
    """A registered rating statement of the term, as the rating indicators read it."""

    document_id: int
    number: str
    discipline_code: str
    discipline_name: str
    group_code: str
    control: int
    ratings: dict[str, Decimal]  # student IIN → rating


@dataclass
class RatingResults:
    """The rating indicators of a term: a row per key, the total, the policy's threshold."""

    rows: list[Row]
    total: Row
    threshold: Decimal
    mode: str
    policy_version: str


def _rating_extract(data: dict[str, Any]) -> tuple[Any, ...]:
    """What the rating indicators read of a rating statement: term, discipline, group, control, and
    the students' IINs and their ratings. Tuples only, no dict: the garbage collector stops tracking a
    tuple of plain values, so the ten thousand cached extracts of a term, and each request's list of
    them, are not scanned again and again (with a dict inside they were: promoted by the thousand,
    they brought a full collection of 170 ms every second or third rating page)."""
    ratings = {line["student_iin"]: Decimal(str(line["rating"])) for line in data.get("lines", [])
               if line.get("rating") is not None}  # fmt: skip
    return (
        int(data.get("academic_year") or 0), int(data.get("period") or 0), str(data.get("discipline_code", "")),
        str(data.get("discipline_name", "")), str(data.get("group_code", "")), int(data.get("control") or 0),
        tuple(ratings), tuple(ratings.values()),
    )  # fmt: skip


def rating_extracts() -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """Every registered, never revoked rating statement — (id, number) — with what the indicators read
    of it (the data's keys cached by its hash, records.selectors.frozen), in registration order."""
    return frozen_values(in_force([RATING_KIND]), "rating", _rating_extract)


def terms_with_ratings(user: Any) -> list[tuple[int, int]]:
    """Terms with registered rating statements (newest first)."""
    monitoring_scope(user)
    terms = {
        (extract[0], extract[1]) for _document, extract in rating_extracts() if extract[0] and extract[1]
    }
    return sorted(terms, reverse=True)


def _rating_statement(entry: tuple[tuple[Any, ...], tuple[Any, ...]]) -> RatingStatement:
    (pk, registry_number), (_y, _p, discipline, name, group, number, iins, ratings) = entry
    return RatingStatement(
        pk, registry_number or "", discipline, name, group, number, dict(zip(iins, ratings, strict=True))
    )


class RatingStatements(Sequence[RatingStatement]):
    """Rating statements built from their cached extracts as they are read: a drill-down shows a page
    of a term's ten thousand."""

    def __init__(self, entries: list[tuple[tuple[Any, ...], tuple[Any, ...]]]) -> None:
        self.entries = entries

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [_rating_statement(e) for e in self.entries[index]]
        return _rating_statement(self.entries[index])


def _term_rating_extracts(
    scope: Scope, year: int, period: int, control: int | None
) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """The term's registered, never revoked rating statements of the groups within the scope (a
    second statement of one discipline, group and control replaces the first, as for the exam), as
    their cached extracts: the indicators sum them without building a RatingStatement of each."""
    groups = scope.group_codes
    found: dict[tuple[str, str, int], tuple[tuple[Any, ...], tuple[Any, ...]]] = {}
    for ids, extract in rating_extracts():
        y, p, discipline, _name, group, number, _iins, _ratings = extract
        if (y, p) != (year, period) or (groups is not None and group not in groups):
            continue
        if control and number != control:
            continue
        found[(discipline, group, number)] = (ids, extract)
    return list(found.values())


def _ratings_by_iin(ratings: Any) -> dict[str, Decimal]:
    """A statement's (IINs, ratings) tuples, or an already merged dict, as IIN → rating."""
    return ratings if isinstance(ratings, dict) else dict(zip(*ratings, strict=True))


def _rating_key(by: str, discipline_code: str, group_code: str, catalog: Catalog) -> str:
    if by == "discipline":
        return discipline_code
    group = catalog.group_by_code.get(group_code)
    if by == "group":
        return _key(group.pk if group else None)
    return catalog.unit_key(by, group.programme_id if group else None)


def _rating_label(by: str, key: str, catalog: Catalog, names: dict[str, str]) -> str:
    if by == "discipline":
        return f"{key} {names.get(key, '')}".strip()
    return catalog.label(by, key)


def rating_results(
    user: Any, *, year: int, period: int, by: str = "faculty", unit: OrgUnit | None = None,
    control: int | None = None,
) -> RatingResults:  # fmt: skip
    """Per key: the number of ratings (one per student and control), their average, how many and
    what share fall below the admission threshold of the policy in force at the term's start, and
    the students not admitted (both ratings registered, the admission rating failing the policy's
    rule: on the weighted average rounded half up to the policy's places as the exam admits, or on
    each rating)."""
    if by not in RATING_DIMENSIONS:
        raise MonitoringForbidden("bad_dimension", _("Unknown breakdown %(by)s."), by=by)
    scope = monitoring_scope(user, unit)
    catalog = Catalog.load()
    policy, version = policy_book().at(term_start(year, period))
    rules = policy.rating
    sums: dict[str, dict[str, Any]] = defaultdict(lambda: {"results": 0, "sum": Decimal(0), "below": 0})
    # (key, discipline, control) → the students' IINs and ratings: a later statement of a control
    # replaces the earlier. The statement's own (cached) tuples while a key has one statement of a
    # control, a merged dict once it has more (not a dict of each of ten thousand statements).
    pairs: dict[tuple[str, str, int], Any] = {}
    merged: set[tuple[str, str, int]] = set()  # the pairs holding a dict of their own
    names: dict[str, str] = {}
    threshold = rules.admission_threshold
    for _ids, (_y, _p, discipline, name, group, number, iins, values) in _term_rating_extracts(
        scope, year, period, control
    ):
        key = _rating_key(by, discipline, group, catalog)
        names[discipline] = name
        bucket = sums[key]
        bucket["results"] += len(values)
        bucket["sum"] += sum(values, Decimal(0))
        bucket["below"] += sum(1 for rating in values if rating < threshold)
        pair = (key, discipline, number)
        if pair in merged:
            pairs[pair].update(zip(iins, values, strict=True))
        elif pair in pairs:
            pairs[pair] = dict(zip(*pairs[pair], strict=True))
            pairs[pair].update(zip(iins, values, strict=True))
            merged.add(pair)
        else:
            pairs[pair] = (iins, values)
    not_admitted: Counter[str] = Counter()
    weights, cutoff = (rules.rating1_weight, rules.rating2_weight), admission_cutoff(policy)
    for (key, discipline, number), first in pairs.items():
        if number != 1 or (key, discipline, 2) not in pairs:
            continue
        second = _ratings_by_iin(pairs[(key, discipline, 2)])
        firsts = first.items() if isinstance(first, dict) else zip(*first, strict=True)
        if rules.admission_mode == "each":
            failed = sum(1 for iin, r1 in firsts if iin in second and min(r1, second[iin]) < threshold)
        else:  # the admission rating rounded half up fails the threshold, as the exam's rule has it
            failed = sum(
                1
                for iin, r1 in firsts
                if iin in second and weights[0] * r1 + weights[1] * second[iin] < cutoff
            )
        not_admitted[key] += failed

    def figures(results: int, total: Decimal, below: int, refused: int) -> dict[str, Any]:
        return {
            "results": results,
            "average": (total / results).quantize(Decimal("0.1")) if results else None,
            "below": below,
            "below_share": _percent(below, results),
            "not_admitted": refused,
        }

    rows = [
        Row(key, _rating_label(by, key, catalog, names),
            figures(v["results"], v["sum"], v["below"], not_admitted[key]))
        for key, v in sums.items()
    ]  # fmt: skip
    rows.sort(key=lambda r: r.label)
    total = Row(
        "*",
        _("Total"),
        figures(
            sum(v["results"] for v in sums.values()),
            sum((v["sum"] for v in sums.values()), Decimal(0)),
            sum(v["below"] for v in sums.values()),
            sum(not_admitted.values()),
        ),
    )
    return RatingResults(rows, total, rules.admission_threshold, rules.admission_mode, version)


def rating_statements_behind(
    user: Any, *, year: int, period: int, by: str = "faculty", key: str = "*", unit: OrgUnit | None = None,
    control: int | None = None,
) -> RatingStatements:  # fmt: skip
    """The registered rating statements behind a rating figure (each opens the registry), by group,
    discipline and control."""
    if by not in RATING_DIMENSIONS:
        raise MonitoringForbidden("bad_dimension", _("Unknown breakdown %(by)s."), by=by)
    scope = monitoring_scope(user, unit)
    catalog = Catalog.load()
    entries = _term_rating_extracts(scope, year, period, control)
    if key != "*":
        entries = [e for e in entries if _rating_key(by, e[1][2], e[1][4], catalog) == key]
    entries.sort(key=lambda e: (e[1][4], e[1][2], e[1][5]))  # group, discipline, control
    return RatingStatements(entries)
