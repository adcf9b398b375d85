"""The demo's registered reports (issue 17): the last year's contingent, movement, session results and
graduates, each prepared by the registrar, approved by the vice-rector and signed by the rector."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from records.demo.pki import bootstrap_pki, demo_passphrase
from records.models import Document
from records.selectors.reports import last_first_october, latest_term
from records.services.document import document_transition
from records.services.reports import report_create
from records.services.signature import document_sign


def seed_reports(today: dt.date | None = None) -> list[str]:
    """Register the four reports of the last year (none when reports exist already); returns their numbers."""
    if Document.objects.filter(kind__startswith="report_").exists():
        return []
    today = today or timezone.localdate()
    users = get_user_model().objects
    registrar, vice_rector, rector = (users.get(username=u) for u in ("registrar", "vicerector", "rector"))
    bootstrap_pki(usernames={rector.username})
    october = last_first_october(today)
    year_end = dt.date(october.year, 8, 31)
    requests = [
        {"report": "contingent", "as_of": october},
        {"report": "movement", "as_of": year_end, "date_from": dt.date(october.year - 1, 9, 1)},
        {"report": "session_results", "as_of": today, "term": latest_term(today)},
        {"report": "graduates", "as_of": year_end},
    ]
    numbers = []
    for request in requests:
        document = report_create(by=registrar, **request)  # type: ignore[arg-type]
        for name, who in (("submit", registrar), ("approve", vice_rector), ("start_signing", registrar)):
            document = document_transition(document=document, by=who, name=name)
        document_sign(document=document, by=rector, passphrase=demo_passphrase(rector.username))
        document.refresh_from_db()
        numbers.append(document.registry_number)
    return numbers
