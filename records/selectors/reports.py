"""The figures of the report kinds (records.kinds.reports), computed from the projections as of a date.

``compute(kind, as_of=..., unit=..., language=...)`` returns the data a report document freezes:
its tables (titles and headers in the report's language), key figures, the documents behind each
figure, the notes stating every assumption, and the provenance — the as-of date, the academic
policy version in force on it and a digest of the projection rows the figures were computed from.
"As of" a date means what the registry held at the end of that day: the documents registered by
then and not revoked by then (records.projections.as_of rewinds the student and grade projections
to it), read at their effective dates. An order or a statement registered later — even one dated
before the as-of date — does not change a computation for that date, so the same call later gives
the same data; `manage.py reports build` prints it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from records.academics.teaching_load import hours
from records.errors import RecordsError
from records.kinds.reports import ReportData
from records.models import AuditEvent, DiplomaBookEntry, Document, OrgUnit, StudentStatusEvent
from records.models.monitoring import StudentSpell
from records.projections.as_of import registry_as_of
from records.projections.base import as_of_date
from records.projections.policy import policy_book
from records.selectors import monitoring
from records.selectors.epvo import epvo_numbers_of

# Report kind → the short name the command takes.
REPORT_KINDS = {
    "contingent": "report_contingent",
    "movement": "report_movement",
    "session_results": "report_session_results",
    "graduates": "report_graduates",
    "teaching_load": "report_teaching_load",
}
FOREIGN = "KZ"  # citizenship of the country; everyone else is counted as foreign
WORKING_DAYS_FOR_MINISTRY_COPY = (
    3  # domain.md §1.7: a copy of a grant student's leave order within 3 working days
)


def digest(rows: Iterable[Iterable[Any]]) -> str:
    """SHA-256 of the projection rows behind a report (sorted, so the order of reading does not matter)."""
    h = hashlib.sha256()
    for row in sorted(repr(tuple(r)) for r in rows):
        h.update(row.encode())
        h.update(b"\n")
    return h.hexdigest()


def _as_of_note(registered_by: dt.date) -> str:
    """What "as of" means, stated in every report that reads the student or grade projections."""
    return _(
        "The figures are the state on the report's date as the registry held it at the end of "
        "%(registered)s: the orders and statements registered and not revoked by then. A document "
        "registered later, even one dated on or before the report's date, does not change them."
    ) % {"registered": registered_by.isoformat()}


def _scope_fields(unit: OrgUnit | None) -> dict[str, str]:
    return {"scope_code": unit.code if unit is not None else "", "scope_name": unit.name if unit else ""}


def _provenance(as_of: dt.date, rows: Iterable[Iterable[Any]]) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "policy_version": policy_book().at(as_of)[1],
        "projection_digest": digest(rows),
    }


def compute(
    kind: str,
    *,
    as_of: dt.date,
    unit: OrgUnit | None = None,
    language: str = "ru",
    date_from: dt.date | None = None,
    term: tuple[int, int] | None = None,
    year: int | None = None,
    registered_by: dt.date | None = None,
) -> dict[str, Any]:
    """The data of a report of `kind` ("contingent", "movement", "session_results", "graduates",
    "teaching_load"): the state on `as_of` as the registry held it at the end of `registered_by`
    (the as-of date itself by default; never before it)."""
    registered_by = registered_by or as_of
    if registered_by < as_of:
        raise RecordsError(
            "registered_before_as_of",
            _("The registry date %(registered)s must not be before the as-of date %(date)s."),
            registered=registered_by.isoformat(),
            date=as_of.isoformat(),
        )
    builders = {
        "contingent": lambda: contingent(as_of, unit),
        "movement": lambda: movement(date_from or dt.date(as_of.year, 1, 1), as_of, unit),
        "session_results": lambda: session_results(as_of, unit, term),
        "graduates": lambda: graduates(as_of, unit),
        "teaching_load": lambda: teaching_load(as_of, unit, year, registered_by),
    }
    # The figures as the registry held them at the end of `registered_by` (records.projections.as_of):
    # an order or statement registered later, even back-dated, does not change them. The teaching
    # load reads only the documents in force by then (in_force_on) and needs no rewinding.
    rewind = registry_as_of(registered_by) if kind != "teaching_load" else contextlib.nullcontext()
    with translation.override(language), rewind:
        data = builders[kind]()
        if kind != "teaching_load":
            data["notes"] = [_as_of_note(registered_by), *data["notes"]]
    # As the kind stores it (defaults filled, dates as text), so a fresh computation compares equal.
    return ReportData.model_validate(
        {"language": language, **_scope_fields(unit), **data, "registered_by": registered_by}
    ).model_dump(mode="json")


# --- contingent as of 1 October (after form 3-НК) ----------------------------------------------------


def _contingent_header(first: str) -> list[str]:
    return [
        first,
        _("Students"),
        _("State grant"),
        _("Paid"),
        _("Women"),
        _("In Kazakh"),
        _("In Russian"),
        _("In English"),
        _("Foreign citizens"),
        _("Full-time"),
        _("Other forms"),
        _("Admitted in the year"),
        _("Graduated in the year"),
        _("Expelled in the year"),
    ]


def contingent(as_of: dt.date, unit: OrgUnit | None) -> dict[str, Any]:
    """Students on the date by programme and by year of study, with the year's admissions, graduates
    and expulsions (the 12 months ending on the date)."""
    scope = monitoring.unit_scope(unit)
    catalog = monitoring.Catalog.load()
    year_start = as_of.replace(year=as_of.year - 1) + dt.timedelta(days=1)
    present = scope.programmes(monitoring.spells_on(as_of).filter(status__in=monitoring.ACTIVE_STATUSES))
    columns = ("document_id", "person_id", "programme_id", "year_of_study", "funding", "person__iin", "group__language",
               "person__citizenship", "group__study_form")  # fmt: skip
    rows = list(present.values_list(*columns))
    moved = list(
        scope.programmes(
            StudentSpell.objects.filter(
                valid_from__gte=year_start,
                valid_from__lte=as_of,
                order_type__in=("enrollment", "graduation", "expulsion"),
            )
        ).values_list("document_id", "person_id", "programme_id", "year_of_study", "order_type")
    )
    by_programme: dict[Any, Counter[str]] = defaultdict(Counter)
    by_year: dict[Any, Counter[str]] = defaultdict(Counter)
    for _id, _person, programme, year, funding, iin, language, citizenship, form in rows:
        marks = ["students", funding or "", f"lang_{language}"]
        marks += ["women"] if monitoring._sex_of_digit(iin[6:7]) == "female" else []
        marks += ["foreign"] if citizenship != FOREIGN else []
        marks += ["full_time" if form in (None, "full_time") else "other_form"]
        for bucket in (by_programme[programme], by_year[year]):
            bucket.update(marks)
    for _id, _person, programme, year, order_type in moved:
        by_programme[programme][order_type] += 1
        by_year[year][order_type] += 1
    keys = ("students", "state_grant", "paid", "women", "lang_kk", "lang_ru", "lang_en", "foreign", "full_time",
            "other_form", "enrollment", "graduation", "expulsion")  # fmt: skip
    total: Counter[str] = Counter()
    for counts in by_programme.values():
        total.update(counts)

    def table(title: str, first: str, groups: dict[Any, Counter[str]], label: Any) -> dict[str, Any]:
        body = [
            [label(k), *(groups[k][c] for c in keys)] for k in sorted(groups, key=lambda k: (k is None, k))
        ]
        body.append([_("Total"), *(total[c] for c in keys)])
        return {"title": title, "header": _contingent_header(first), "rows": body}

    def programme_label(pk: Any) -> str:
        return catalog.label("programme", monitoring._key(pk))

    def year_label(year: Any) -> str:
        return monitoring.value_label("year", monitoring._key(year)) if year else _("Not recorded")

    return {
        **_provenance(as_of, [r[:5] for r in rows] + moved),
        "period_from": year_start.isoformat(),
        "period_to": as_of.isoformat(),
        "tables": [
            table(_("Students by programme"), _("Programme"), by_programme, programme_label),
            table(_("Students by year of study"), _("Year of study"), by_year, year_label),
        ],
        "figures": {"students": total["students"], **{k: total[k] for k in keys[1:]}},
        "documents": {},
        "notes": [
            _(
                "Shaped after the national statistical form 3-НК (a university's report as at the start of the "
                "academic year); its current columns could not be confirmed, so the breakdowns are the ones the "
                "Bureau of National Statistics publishes: programme, year of study, funding, sex, language of "
                "study, citizenship and form of study."
            ),
            _(
                "Students are those studying or on academic leave on the date, by the registered orders in "
                "force on it. Admitted, graduated and expelled count the orders effective in the twelve months "
                "ending on the date. Sex is read from the IIN; citizenship and form of study from the registry's "
                "records of the person and the group."
            ),
        ],
    }


# --- movement of the student body ---------------------------------------------------------------------


def _add_working_days(day: dt.date, days: int) -> dt.date:
    while days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def ministry_copies(date_from: dt.date, date_to: dt.date, scope: monitoring.Scope) -> list[dict[str, Any]]:
    """Academic-leave orders of state-grant students registered in the period: the copies due to the
    Ministry within three working days of the order (domain.md §1.7)."""
    spells = scope.programmes(
        StudentSpell.objects.filter(order_type="academic_leave", funding="state_grant").filter(
            document__registered_at__date__gte=date_from, document__registered_at__date__lte=date_to
        )
    ).select_related("person", "document")
    result = []
    for spell in spells.order_by("document__registered_at", "document_id"):
        registered = spell.document.registered_at.date() if spell.document.registered_at else spell.valid_from
        result.append(
            {
                "document_id": spell.document_id,
                "number": spell.document.registry_number,
                "registered": registered.isoformat(),
                "due": _add_working_days(registered, WORKING_DAYS_FOR_MINISTRY_COPY).isoformat(),
                "student": spell.person.full_name(),
                "iin": spell.person.iin,
                "effective": spell.valid_from.isoformat(),
                "until": spell.valid_to.isoformat() if spell.valid_to else "",
            }
        )
    return result


def movement(date_from: dt.date, date_to: dt.date, unit: OrgUnit | None) -> dict[str, Any]:
    """Orders effective in the period by movement, and the Ministry copies of grant students' leave."""
    scope = monitoring.unit_scope(unit)
    rows = monitoring.movement(None, date_from=date_from, date_to=date_to, scope=scope)
    copies = ministry_copies(date_from, date_to, scope)
    spells = monitoring._movement_spells(scope, date_from, date_to).values_list(
        "person_id", "document_id", "order_type"
    )
    return {
        **_provenance(date_to, [*spells, *((c["document_id"], c["due"]) for c in copies)]),
        "period_from": date_from.isoformat(),
        "period_to": date_to.isoformat(),
        "tables": [
            {
                "title": _("Movement from %(start)s to %(end)s") % {"start": date_from, "end": date_to},
                "header": [_("Movement"), _("Orders")],
                "rows": [[r.label, r.values["count"]] for r in rows],
            },
            {
                "title": _("Academic leave of state-grant students: copies due to the Ministry"),
                "header": [
                    _("Number"),
                    _("Registered"),
                    _("Copy due by"),
                    _("Student"),
                    _("IIN"),
                    _("From"),
                    _("To"),
                ],
                "rows": [
                    [
                        c["number"],
                        c["registered"],
                        c["due"],
                        c["student"],
                        c["iin"],
                        c["effective"],
                        c["until"],
                    ]
                    for c in copies
                ],
            },
        ],
        "figures": {r.key: r.values["count"] for r in rows},
        "documents": {r.key: r.values["documents"] for r in rows if r.values["documents"]},
        "notes": [
            _(
                "Each figure counts the registered orders effective in the period; a transfer across the "
                "edge of the report's unit counts as transferred in or out. A copy of an academic-leave order of "
                "a state-grant student is due to the Ministry within three working days (Saturdays and Sundays "
                "skipped; public holidays are not known to the registry and are not skipped)."
            ),
        ],
    }


# --- session results of a term ------------------------------------------------------------------------


def last_first_october(today: dt.date) -> dt.date:
    """The last 1 October on or before `today` (the contingent report's date)."""
    return dt.date(today.year if today >= dt.date(today.year, 10, 1) else today.year - 1, 10, 1)


def latest_term(as_of: dt.date) -> tuple[int, int]:
    """The last term whose session has ended by the date (autumn results from February, spring from July)."""
    if as_of >= dt.date(as_of.year, 7, 1):
        return as_of.year - 1, 2
    if as_of >= dt.date(as_of.year, 2, 1):
        return as_of.year - 1, 1
    return as_of.year - 2, 2


def session_results(as_of: dt.date, unit: OrgUnit | None, term: tuple[int, int] | None) -> dict[str, Any]:
    """Session results of a term by faculty and by programme, with the GPA distribution."""

    year, period = term or latest_term(as_of)
    scope = monitoring.unit_scope(unit)
    catalog = monitoring.Catalog.load()
    tables = []
    results: monitoring.SessionResults | None = None
    header = [
        _("Results"),
        _("Absolute performance, %"),
        _("Quality of knowledge, %"),
        _("Average GPA"),
        _("FX/F at the session"),
        _("FX/F not retaken"),
        _("Students with academic debt"),
    ]
    measures = ("results", "absolute", "quality", "gpa", "session_fails", "open_fails", "debtors")

    def cells(row: monitoring.Row) -> list[Any]:
        return [row.label, *(_plain(row.values[m]) for m in measures)]

    for by, first in (("faculty", _("Faculty")), ("programme", _("Programme"))):
        results = monitoring.session_results(
            None, year=year, period=period, by=by, scope=scope, catalog=catalog
        )
        tables.append(
            {
                "title": _("Session results, %(term)s") % {"term": monitoring.term_label(year, period)}
                + f" — {first.lower()}",
                "header": [first, *header],
                "rows": [cells(r) for r in results.rows] + [cells(results.total)],
            }
        )
    assert results is not None
    tables.append({"title": _("GPA distribution, %(term)s") % {"term": monitoring.term_label(year, period)},
                   "header": [_("GPA"), _("Students")], "rows": [list(b) for b in results.gpa_bins]})  # fmt: skip
    lines = monitoring._result_lines(scope, year, period)  # as the registry held them (compute rewinds)
    used = lines.values_list("document_id", "person_id", "letter", "counts", "attempt_kind")
    rules = results.definitions
    return {
        **_provenance(as_of, used),
        "policy_version": rules.policy_version,
        "term": f"{year}-{period}",
        "tables": tables,
        "figures": {m: _plain(results.total.values[m]) for m in measures},
        "documents": {},
        "notes": [
            _(
                "Results are the attempts that count for each student and discipline after retakes (N counts "
                "results, not students). Absolute performance: the share of results graded %(positive)s. Quality "
                "of knowledge: the share graded %(quality)s — excellent or good by the academic policy in force "
                "(version %(version)s)."
            )
            % {
                "positive": ", ".join(rules.positive),
                "quality": ", ".join(rules.quality),
                "version": rules.policy_version,
            },
        ],
    }


def _plain(value: Any) -> Any:
    """A figure as JSON keeps it: decimals as text ("66.7"), None as None."""
    return str(value) if value is not None and not isinstance(value, int) else value


# --- graduates of a year --------------------------------------------------------------------------------


def graduates(as_of: dt.date, unit: OrgUnit | None) -> dict[str, Any]:
    """Graduates of the calendar year of the date (orders effective by the date): the data a national
    diploma registry asks for — student, programme, degree, diploma series and number, dates."""
    scope = monitoring.unit_scope(unit)
    catalog = monitoring.Catalog.load()
    graduations = scope.programmes(
        StudentSpell.objects.filter(
            order_type="graduation", valid_from__gte=dt.date(as_of.year, 1, 1), valid_from__lte=as_of
        )
    ).select_related("person", "programme", "document")
    spells = list(graduations.order_by("programme__code", "person__last_name_ru", "person_id"))
    people = [s.person_id for s in spells]
    changes = dict(
        StudentStatusEvent.objects.filter(document_id__in=[s.document_id for s in spells]).values_list(
            "document_id", "changes"
        )
    )
    # The diploma book and the ЕПВО numbers as the registry held them (records.projections.as_of):
    # an entry made or a number entered after the registry's day is not seen, even back-dated.
    registry_day = as_of_date()
    entries = DiplomaBookEntry.objects.filter(graduate_id__in=people, issue_date__lte=as_of)
    if registry_day is not None:
        entries = entries.filter(created_at__date__lte=registry_day)
    diplomas: dict[int, DiplomaBookEntry] = {}
    for issued in entries.filter(
        Q(status=DiplomaBookEntry.Status.ISSUED) | Q(reissue_of__isnull=True)
    ).order_by("issue_date", "id"):
        diplomas[issued.graduate_id] = issued
    epvo = epvo_numbers_of((s.document_id for s in spells), entered_by=registry_day)
    rows: list[list[Any]] = []
    per_programme: dict[int | None, Counter[str]] = defaultdict(Counter)
    yes, no = _("yes"), _("no")
    for spell in spells:
        change = changes.get(spell.document_id, {})
        entry = diplomas.get(spell.person_id)
        honours = bool(change.get("with_honours"))
        rows.append(
            [
                spell.person.full_name(),
                spell.person.iin,
                catalog.label("programme", monitoring._key(spell.programme_id)),
                str(change.get("degree_awarded", "")),
                yes if honours else no,
                entry.series if entry else "",
                entry.number if entry else "",
                spell.valid_from.isoformat(),
                entry.issue_date.isoformat() if entry else "",
                spell.document.registry_number or "",
                epvo.get(spell.document_id, ""),
            ]
        )
        per_programme[spell.programme_id].update(["graduates", *(["honours"] if honours else [])])
    summary = [
        [catalog.label("programme", monitoring._key(p)), c["graduates"], c["honours"]]
        for p, c in per_programme.items()
    ]
    summary.append([_("Total"), len(rows), sum(c["honours"] for c in per_programme.values())])
    return {
        **_provenance(
            as_of,
            [
                (
                    s.person_id,
                    s.document_id,
                    *(_diploma_key(diplomas.get(s.person_id))),
                    epvo.get(s.document_id, ""),
                )
                for s in spells
            ],
        ),
        "period_from": dt.date(as_of.year, 1, 1).isoformat(),
        "period_to": as_of.isoformat(),
        "tables": [
            {
                "title": _("Graduates by programme"),
                "header": [_("Programme"), _("Graduates"), _("With honours")],
                "rows": summary,
            },
            {
                "title": _("Graduates of %(year)s") % {"year": as_of.year},
                "header": [
                    _("Student"),
                    _("IIN"),
                    _("Programme"),
                    _("Degree awarded"),
                    _("With honours"),
                    _("Diploma series"),
                    _("Diploma number"),
                    _("Graduation date"),
                    _("Diploma date"),
                    _("Graduation order"),
                    _("EPVO number"),
                ],
                "rows": rows,
            },
        ],
        "figures": {"graduates": len(rows), "with_honours": summary[-1][2]},
        "documents": {"graduation": [s.document_id for s in spells]},
        "notes": [
            _(
                "Graduates are the students whose graduation order takes effect in the calendar year, up to the "
                "report's date; the diploma is the one entered in the diploma book by that date (series, number, "
                "issue date), empty while none is. The EPVO number is the unique number the Ministry's diploma "
                "module (ЕПВО) gave the diploma, as the registrar entered it for the graduation order."
            ),
        ],
    }


def _diploma_key(entry: DiplomaBookEntry | None) -> tuple[Any, ...]:
    return (entry.series, entry.number, entry.issue_date) if entry is not None else ()


# --- teaching load done by department -------------------------------------------------------------------

LOAD_KINDS = ("load_calculation", "load_distribution", "load_execution_report")


def academic_year_of(day: dt.date) -> int:
    """The academic year (its first calendar year) a date falls in: from 1 September."""
    return day.year if day.month >= 9 else day.year - 1


def in_force_on(kinds: Iterable[str], as_of: dt.date) -> list[Document]:
    """Documents of `kinds` registered by the end of `as_of` and not revoked by then, in registration
    order: what the registry held on the date, whatever was registered or revoked after it."""
    revoked = set(
        AuditEvent.objects.filter(action="document.revoke", created_at__date__lte=as_of).values_list(
            "document_id", flat=True
        )
    )
    documents = (
        Document.objects.filter(kind__in=list(kinds), registered_at__date__lte=as_of)
        .select_related("current_version")
        .order_by("registered_at", "id")
    )
    return [d for d in documents if d.pk not in revoked]


def _dec(value: Any) -> Decimal:
    return Decimal(str(value or 0))


def teaching_load(
    as_of: dt.date, unit: OrgUnit | None, year: int | None = None, registered_by: dt.date | None = None
) -> dict[str, Any]:
    """The academic year's teaching load by department as the registry held it on the date: the hours
    of each department's registered calculation and distribution, and the hours done by the registered
    execution report of each term, per department and per teacher, with the teachers over their limit.
    The academic year is `year`, by default the one the date falls in."""
    year = year if year is not None else academic_year_of(as_of)
    if year > academic_year_of(as_of):
        raise RecordsError(
            "year_after_date", _("The academic year %(year)s starts after the report's date."), year=year
        )
    departments = OrgUnit.objects.filter(kind=OrgUnit.Kind.DEPARTMENT).order_by("path")
    if unit is not None and unit.kind != OrgUnit.Kind.UNIVERSITY:
        departments = departments.filter(path__startswith=unit.path)
    names = {d.code: d.name for d in departments}
    latest: dict[tuple[str, str, int], Document] = {}
    for document in in_force_on(LOAD_KINDS, registered_by or as_of):
        data = document.current_version.data if document.current_version else {}
        code = str(data.get("department_code", ""))
        if code in names and int(data.get("academic_year") or 0) == year:
            latest[(document.kind, code, int(data.get("semester") or 0))] = document  # the later wins
    rows: list[list[Any]] = []
    teacher_rows: list[list[Any]] = []
    behind: dict[str, list[int]] = defaultdict(list)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for code, name in names.items():
        calculation = latest.get(("load_calculation", code, 0))
        distribution = latest.get(("load_distribution", code, 0))
        executions = {t: latest.get(("load_execution_report", code, t)) for t in (1, 2)}
        if calculation is None and distribution is None:
            continue
        calc = calculation.current_version.data if calculation and calculation.current_version else {}
        dist = distribution.current_version.data if distribution and distribution.current_version else {}
        done_by_teacher: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        teacher_names: dict[str, str] = {}
        for term, execution in executions.items():
            for line in (
                execution.current_version.data if execution and execution.current_version else {}
            ).get("rows", []):
                done_by_teacher[line["teacher_iin"]][term] += _dec(line["done"])
                teacher_names[line["teacher_iin"]] = line["teacher_name"]
        balances = {b["teacher_iin"]: b for b in dist.get("balances", [])}
        over = 0
        for iin in sorted(
            set(balances) | set(done_by_teacher),
            key=lambda i: balances.get(i, {}).get("teacher_name", teacher_names.get(i, i)),
        ):
            balance = balances.get(iin, {})
            limit, assigned = _dec(balance.get("limit")), _dec(balance.get("assigned"))
            done = done_by_teacher.get(iin, {})
            is_over = assigned > limit
            over += is_over
            teacher_rows.append([
                name, balance.get("teacher_name") or teacher_names.get(iin, ""), iin, str(hours(limit)),
                str(hours(assigned)), *(_done_cell(executions[t], done.get(t)) for t in (1, 2)),
                str(hours(sum(done.values(), Decimal(0)))), _("yes") if is_over else _("no"),
            ])  # fmt: skip
        done_terms = [
            _dec(e.current_version.data.get("done_total")) if e and e.current_version else None
            for e in executions.values()
        ]
        assigned_total = _dec(dist.get("assigned_total"))
        done_total = sum((d for d in done_terms if d is not None), Decimal(0))
        rows.append([
            name, calculation.registry_number if calculation else "", str(hours(_dec(calc.get("total")))),
            distribution.registry_number if distribution else "", str(hours(assigned_total)),
            *(str(hours(d)) if d is not None else None for d in done_terms), str(hours(done_total)),
            _plain(_rate(done_total, assigned_total)), over,
        ])  # fmt: skip
        totals["calculated"] += _dec(calc.get("total"))
        totals["assigned"] += assigned_total
        totals["done"] += done_total
        totals["over_limit"] += over
        for kind, behind_it in (("calculation", calculation), ("distribution", distribution)):
            if behind_it is not None:
                behind[kind].append(behind_it.pk)
        behind["execution"] += [e.pk for e in executions.values() if e is not None]
    rate = _rate(totals["done"], totals["assigned"])
    rows.append([
        _("Total"), "", str(hours(totals["calculated"])), "", str(hours(totals["assigned"])), None, None,
        str(hours(totals["done"])), _plain(rate), int(totals["over_limit"]),
    ])  # fmt: skip
    used = [(d.pk, d.kind, d.current_version_id, d.registry_number) for d in latest.values()]
    return {
        **_provenance(as_of, used),
        "period_from": dt.date(year, 9, 1).isoformat(),
        "period_to": min(as_of, dt.date(year + 1, 8, 31)).isoformat(),
        "tables": [
            {
                "title": _("Teaching load done by department, %(year)s/%(next)s")
                % {"year": year, "next": year + 1},
                "header": [
                    _("Department"),
                    _("Calculation"),
                    _("Calculated, h"),
                    _("Distribution"),
                    _("Assigned, h"),
                    _("Done in autumn, h"),
                    _("Done in spring, h"),
                    _("Done, h"),
                    _("Done, %"),
                    _("Teachers over the limit"),
                ],
                "rows": rows,
            },
            {
                "title": _("Teaching load by teacher"),
                "header": [
                    _("Department"),
                    _("Teacher"),
                    _("IIN"),
                    _("Annual limit, h"),
                    _("Assigned, h"),
                    _("Done in autumn, h"),
                    _("Done in spring, h"),
                    _("Done, h"),
                    _("Over the limit"),
                ],
                "rows": teacher_rows,
            },
        ],
        "figures": {
            "calculated": str(hours(totals["calculated"])),
            "assigned": str(hours(totals["assigned"])),
            "done": str(hours(totals["done"])),
            "rate": _plain(rate),
            "over_limit": int(totals["over_limit"]),
        },
        "documents": dict(behind),
        "notes": [
            _(
                "The academic year starts on 1 September. Calculated and assigned hours "
                "are those of each department's load calculation and distribution registered by the date (the "
                "latest one). Done hours are those of the department's execution report of each term registered "
                "by the date; a term without one is left empty and counts as nothing done. A teacher is over the "
                "limit when the distribution assigns them more hours than the annual limit of their positions."
            )
        ],
    }


def _rate(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part * 100 / whole).quantize(Decimal("0.1")) if whole else None


def _done_cell(execution: Document | None, value: Decimal | None) -> str | None:
    """A teacher's hours done in a term: empty while the term has no registered execution report."""
    if execution is None:
        return None
    return str(hours(value or Decimal(0)))
