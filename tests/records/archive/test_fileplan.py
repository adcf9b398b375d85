"""The file plan: registration materialises series, documents are filed at registration by the plan in
force on their registration date, a new version applies only from its effective date, replay rebuilds
the series, re-filing is audited and refused under hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from records.errors import RecordsError
from records.models import AuditEvent, Document, FileSeries, Filing, Role
from records.projections.replay import replay
from records.selectors.fileplan import documents_in_series, series_by_index
from records.services.document import document_create, document_create_registered, document_update_draft
from records.services.fileplan import filing_extend, filing_refile
from records.services.holds import hold_place
from tests.records.archive.conftest import register_plan, series

ORDER = {"subject": "Об учебном графике", "body": "Утвердить график."}


def _order(users: dict[str, Any], org: Any, when: dt.datetime | None = None) -> Document:
    return document_create_registered(
        by=users[Role.DEAN],
        kind="internal_order",
        org_unit=org.faculty,
        title="Приказ",
        data=ORDER,
        registered_at=when,
    )


def test_registration_files_by_kind_and_unit_the_unit_series_first(users: dict[str, Any], org: Any) -> None:
    register_plan(
        users,
        org,
        "2000-01-01",
        [
            series("01-05", ["internal_order"]),
            series("03-02", ["internal_order"], years=10, unit=org.faculty.code),
        ],
    )
    assert FileSeries.objects.count() == 2
    faculty_order = _order(users, org)
    assert faculty_order.filing.series_index == "03-02"  # the faculty's own file beats the university's
    assert faculty_order.filing.due_on == dt.date(timezone.localdate().year + 11, 1, 1)
    university_order = document_create_registered(
        by=users[Role.RECTOR], kind="internal_order", org_unit=org.university, title="Приказ", data=ORDER
    )
    assert university_order.filing.series_index == "01-05"
    assert list(documents_in_series(series_by_index("01-05"))) == [university_order]


def test_a_new_version_applies_only_from_its_effective_date(users: dict[str, Any], org: Any) -> None:
    today = timezone.localdate()
    register_plan(users, org, "2000-01-01", [series("01-05", ["internal_order"])])
    later = today + dt.timedelta(days=30)
    register_plan(users, org, later.isoformat(), [series("01-07", ["internal_order"], years=7)])

    assert series_by_index("01-05") is not None and series_by_index("01-07") is None
    assert series_by_index("01-07", on=later) is not None and series_by_index("01-05", on=later) is None
    now_filed = _order(users, org)
    assert now_filed.filing.series_index == "01-05"
    after = _order(users, org, timezone.now() + dt.timedelta(days=31))
    assert after.filing.series_index == "01-07"


def test_without_a_plan_a_record_is_filed_by_its_retention_class(users: dict[str, Any], org: Any) -> None:
    order = _order(users, org)
    filing = Filing.objects.get(document=order)
    assert (filing.series_index, filing.due_on, filing.final_action) == ("", None, "transfer")  # permanent


def test_the_plan_refuses_unknown_units_kinds_and_permanent_destruction(
    users: dict[str, Any], org: Any
) -> None:
    for entries, words in (
        ([series("01-05", ["no_such_kind"])], "no_such_kind"),
        ([series("01-05", ["internal_order"], unit="nowhere")], "nowhere"),
        ([series("01-05", ["internal_order"], years=None)], "01-05"),
        ([series("01-05", []), series("01-05", [])], "01-05"),
    ):
        with pytest.raises(RecordsError, match=words):
            document_create(
                by=users[Role.ARCHIVIST],
                kind="file_plan",
                org_unit=org.university,
                title="План",
                data={"effective_date": "2026-01-01", "series": entries},
            )
    assert Document.objects.filter(kind="file_plan").count() == 0


def test_replay_rebuilds_the_series_identically(users: dict[str, Any], org: Any) -> None:
    register_plan(
        users, org, "2000-01-01", [series("01-05", ["internal_order"]), series("01-06", [], years=3)]
    )
    before = sorted(
        FileSeries.objects.values_list("plan_id", "index", "retention_years", "kinds", "effective_from")
    )
    report = replay(check=True)
    assert not report.differs and report.rows["records.FileSeries"] == 2
    FileSeries.objects.all().delete()
    replay()
    after = sorted(
        FileSeries.objects.values_list("plan_id", "index", "retention_years", "kinds", "effective_from")
    )
    assert after == before


def test_refile_and_review_are_audited_and_refile_is_refused_under_hold(
    users: dict[str, Any], org: Any, plan: Document
) -> None:
    register_plan(
        users, org, "2000-06-01", [series("01-05", ["internal_order"]), series("02-01", [], years=10)]
    )
    order = _order(users, org)
    archivist = users[Role.ARCHIVIST]
    with pytest.raises(RecordsError) as refused:
        filing_refile(document=order, by=users[Role.DEAN], series_index="02-01", reason="ошибка")
    assert refused.value.code in ("forbidden", "not_found")
    with pytest.raises(RecordsError, match="02-99"):
        filing_refile(document=order, by=archivist, series_index="02-99", reason="ошибка")
    filing = filing_refile(document=order, by=archivist, series_index="02-01", reason="Дело ведёт ректорат")
    assert filing.series_index == "02-01"
    event = AuditEvent.objects.get(document=order, action="document.refile")
    assert event.changes["series"] == {"from": "01-05", "to": "02-01"}
    extended = filing_extend(document=order, by=archivist, years=3, reason="Экспертиза ценности")
    assert extended.due_on == filing.due_on.replace(year=filing.due_on.year + 3)
    assert AuditEvent.objects.filter(document=order, action="document.retention_extend").count() == 1

    hold_place(by=users[Role.RECTOR], kind="legal", reason="Судебный запрос", document=order)
    with pytest.raises(RecordsError) as held:
        filing_refile(document=order, by=archivist, series_index="01-05", reason="назад")
    assert held.value.code == "held"
    assert Filing.objects.get(document=order).series_index == "02-01"


def test_a_title_change_is_refused_under_hold(users: dict[str, Any], org: Any) -> None:
    draft = document_create(
        by=users[Role.DEAN], kind="internal_order", org_unit=org.faculty, title="Приказ", data=ORDER
    )
    hold_place(by=users[Role.ARCHIVIST], kind="audit", reason="Проверка", document=draft)
    with pytest.raises(RecordsError) as held:
        document_update_draft(
            document=draft, by=users[Role.DEAN], lock_version=draft.lock_version, title="Другой"
        )
    assert held.value.code == "held"
    draft.refresh_from_db()
    assert draft.title == "Приказ"


def test_the_demo_files_every_kind_and_leaves_records_due_and_held(db: Any) -> None:
    import io
    import json

    from django.core.management import call_command

    from records.demo.fileplan import seed_file_plan
    from records.demo.seed import seed_demo

    seed_demo(students=5, seed=3)
    seed_file_plan()  # seed_demo calls it right after the first demo documents
    out = io.StringIO()
    call_command("retention", "due", "--json", stdout=out)
    due = json.loads(out.getvalue())
    assert due["total"] == 6 and due["held"] == 1
    assert {r["series"] for r in due["records"]} == {"01-04"}
    holds = io.StringIO()
    call_command("holds", "list", "--json", stdout=holds)
    assert sorted(h["scope"] for h in json.loads(holds.getvalue())) == ["document", "series"]
    assert series_by_index("02-05") is not None and series_by_index("02-05").final_action == "transfer"
