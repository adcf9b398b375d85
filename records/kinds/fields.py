"""Field types shared by the kinds' schemas, with bounds the back-office forms take over.

A date in the registry (an exam, an order's effect, an issue) lies between 1990-01-01 and two years
from today: 0001-01-01 or 9999-12-31 are typing errors, refused with a clear message by the schema
(the API) and by the form generated from it (the back office), which reads the same bounds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator

EARLIEST_DATE = dt.date(1990, 1, 1)
YEARS_AHEAD = 2


def latest_date() -> dt.date:
    """Two years from today (28 February for a 29 February)."""
    today = timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_out_of_range_message() -> str:
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": latest_date().isoformat(),
    }


def check_record_date(value: dt.date) -> dt.date:
    """The date itself, or a ValueError naming the allowed range."""
    if not EARLIEST_DATE <= value <= latest_date():
        raise ValueError(date_out_of_range_message())
    return value


@dataclass(frozen=True)
class DateBounds:
    """Marks a date field as bounded by EARLIEST_DATE..latest_date() (read by the back-office forms)."""

    def lower(self) -> dt.date:
        return EARLIEST_DATE

    def upper(self) -> dt.date:
        return latest_date()


RecordDate = Annotated[dt.date, DateBounds(), AfterValidator(check_record_date)]
