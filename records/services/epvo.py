"""Entering the ЕПВО numbers of a cohort's graduates before their diplomas are issued.

The Ministry's ЕПВО diploma module gives every diploma a unique number from the student's record
there (domain.md, ЕПВО); a diploma without it is invalid. No exchange with ЕПВО exists here (its
format is unconfirmed), so the rule is: the registrar copies each graduate's number from the module
onto the cohort page, issuing refuses a cohort while any graduate has none (records.services.
diplomas), and the issued diploma carries the number in its data, where its templates show it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from records.errors import RecordsError
from records.lifecycle import State
from records.models import Document, EpvoNumber, EpvoNumberEntry, Person
from records.permissions import may_issue_diplomas
from records.selectors.diplomas import cohort_get
from records.services.audit import audit_record

# Letters (Latin or Cyrillic, Kazakh letters included), digits, "-" and "/": 4 to 40 of them.
EPVO_NUMBER = re.compile(r"^[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі/-]{4,40}$")


def _checked(
    numbers: Mapping[int, str], graduates: dict[int, tuple[Document, Person]]
) -> tuple[dict[int, str], list[str]]:
    """The numbers to store by graduate id (blank ones left out) and every problem, each naming whom."""
    cleaned: dict[int, str] = {}
    problems: list[str] = []
    for pk, raw in numbers.items():
        value = str(raw or "").strip()
        if not value:
            continue
        if pk not in graduates:
            problems.append(_("Graduate %(id)s is not in this cohort.") % {"id": pk})
            continue
        if not EPVO_NUMBER.match(value):
            problems.append(
                _(
                    "The EPVO number of %(name)s, “%(number)s”, is not one: write it as the EPVO module "
                    "shows it, 4 to 40 letters, digits, “-” or “/”."
                )
                % {"name": graduates[pk][1].full_name(), "number": value[:60]}
            )
            continue
        cleaned[pk] = value
    by_number: dict[str, list[int]] = {}
    for pk, value in cleaned.items():
        by_number.setdefault(value, []).append(pk)
    for value, pks in by_number.items():
        if len(pks) > 1:
            problems.append(
                _("The EPVO number %(number)s is given to more than one graduate: %(names)s.")
                % {"number": value, "names": ", ".join(graduates[pk][1].full_name() for pk in pks)}
            )
    for record in EpvoNumber.objects.filter(number__in=list(by_number)).select_related("graduate"):
        if any(record.graduation_order_id != graduates[pk][0].pk for pk in by_number[record.number]):
            problems.append(
                _("The EPVO number %(number)s is already %(holder)s's; each diploma has its own.")
                % {"number": record.number, "holder": record.graduate.full_name()}
            )
    return cleaned, problems


def epvo_numbers_enter(*, by: Any, group_code: str, date: str, numbers: Mapping[int, str]) -> int:
    """Record the ЕПВО numbers of a cohort's graduates (graduate's person id → number; a blank one is
    left as it is). All or nothing: any bad, foreign or repeated number refuses every one, naming the
    graduates. Returns how many numbers changed; one audit event each, and one EpvoNumberEntry each
    (the earlier values are kept). A diploma already issued keeps the number it was issued with (a
    reissue takes the new one)."""
    if not may_issue_diplomas(by):
        raise RecordsError("forbidden", _("Only the registrar may issue, reissue or spoil diplomas."))
    cohort = cohort_get(user=by, group_code=group_code, date=date)
    graduates = {
        person.pk: (order, person) for order, person in cohort.orders if order.state == State.REGISTERED
    }
    cleaned, problems = _checked(numbers, graduates)
    if problems:
        raise RecordsError(
            "epvo_number_invalid", _("Nothing was saved. %(problems)s"), problems=" ".join(problems)
        )
    changed = 0
    with transaction.atomic():
        for pk, value in cleaned.items():
            order, person = graduates[pk]
            record = EpvoNumber.objects.select_for_update().filter(graduation_order=order).first()
            if record is not None and record.number == value:
                continue
            previous = record.number if record is not None else ""
            if record is None:
                record = EpvoNumber(graduation_order=order, graduate=person)
            record.number, record.entered_by = value, by
            record.save()
            # The history: a report of an earlier day still reads the number it was registered with.
            EpvoNumberEntry.objects.create(
                graduation_order=order, graduate=person, number=value, entered_by=by
            )
            audit_record(
                actor=by,
                action="diploma.epvo_number",
                document=order,
                object_type="epvo_number",
                object_id=record.pk,
                changes={"graduate": person.full_name("ru"), "number": {"from": previous, "to": value}},
            )
            changed += 1
    return changed
