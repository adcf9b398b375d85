"""Printing a cohort of registered diplomas onto numbered blank forms (issue 19: 200 in < 30 s).

Usage:
    .venv/bin/python bench/bench_blanks.py [--diplomas 200]

In a fresh SQLite database, registers N diplomas directly (records.projections.bulk, no LibreOffice:
the printing reads the registered version's data, never its PDF), each with its diploma book entry,
then times records.services.blanks.blank_cohort_print for the whole cohort on a 12-field profile
(text in four fonts and the QR code of the verification URL) with a printer offset: reading the
registry, drawing the PDF (doctemplates.blanks, reportlab), and recording one printed blank per
diploma in one transaction. Then one misprint: the spoiled blank and its reprint on the next form.
Prints the times, pages/s, the PDF's size, and whether the target is met.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 30

FIELDS: list[dict[str, Any]] = [
    {"name": "full_name", "x_mm": 150, "y_mm": 70, "width_mm": 125, "height_mm": 10, "font": "serif-bold", "size_pt": 16, "align": "center"},
    {"name": "university", "x_mm": 150, "y_mm": 40, "width_mm": 125, "height_mm": 8, "size_pt": 11, "align": "center"},
    {"name": "programme", "x_mm": 150, "y_mm": 95, "width_mm": 125, "height_mm": 7, "size_pt": 11},
    {"name": "degree", "x_mm": 150, "y_mm": 105, "width_mm": 125, "height_mm": 7, "size_pt": 11},
    {"name": "honours", "x_mm": 150, "y_mm": 58, "width_mm": 125, "height_mm": 8, "font": "sans-bold", "align": "center"},
    {"name": "protocol", "x_mm": 150, "y_mm": 115, "width_mm": 125, "height_mm": 7, "size_pt": 10},
    {"name": "diploma_number", "x_mm": 200, "y_mm": 20, "width_mm": 75, "height_mm": 8, "font": "sans", "align": "right"},
    {"name": "registry_number", "x_mm": 150, "y_mm": 160, "width_mm": 70, "height_mm": 6, "size_pt": 10},
    {"name": "issue_city", "x_mm": 150, "y_mm": 168, "width_mm": 40, "height_mm": 6, "size_pt": 10},
    {"name": "issue_date", "x_mm": 190, "y_mm": 168, "width_mm": 40, "height_mm": 6, "size_pt": 10},
    {"name": "epvo_number", "x_mm": 150, "y_mm": 176, "width_mm": 70, "height_mm": 6, "size_pt": 10},
    {"name": "qr", "x_mm": 245, "y_mm": 160, "width_mm": 30, "height_mm": 30, "kind": "qr"},
]  # fmt: skip


def setup() -> None:
    """A fresh SQLite database and data directory under the test settings."""
    os.environ.setdefault("RECTORATE_DATA_DIR", tempfile.mkdtemp(prefix="rectorate-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "settings.test"
    import django
    from django.conf import settings

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def registered_diplomas(count: int) -> tuple[Any, list[Any]]:
    """A registrar and `count` book entries with registered diplomas (created in reverse book order)."""
    from records.kinds.diploma import DIPLOMA_KIND
    from records.models import Role
    from records.projections.bulk import document_register_directly
    from records.services.diplomas import diploma_book_entry_add
    from tests.factories import make_org, make_person, make_staff

    org = make_org()
    registrar = make_staff("registrar", Role.REGISTRAR, org.university)
    entries = []
    for number in range(count, 0, -1):
        graduate = make_person(kind="student")
        entry = diploma_book_entry_add(
            series="BD", number=number, graduate=graduate, issue_date="2026-07-01", created_by=registrar
        )
        data = {
            **DIPLOMA_KIND.sample_data,
            "student_iin": graduate.iin,
            "diploma_number": entry.display_number,
            "book_number": number,
            "full_name": {lang: graduate.full_name(lang) for lang in ("kk", "ru", "en")},
            "epvo_number": f"KZ-2026-{number:07d}",
        }
        entry.diploma = document_register_directly(
            by=registrar, kind="diploma", org_unit=org.faculty, title=f"Диплом {number}", data=data
        )
        entry.save(update_fields=["diploma"])
        entries.append(entry)
    return registrar, entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diplomas", type=int, default=200)
    arguments = parser.parse_args()
    setup()
    from records.models import DiplomaBookEntry
    from records.services.blanks import (
        blank_cohort_print,
        blank_profile_save,
        blank_spoil,
        printer_calibration_save,
    )

    started = time.perf_counter()
    registrar, _entries = registered_diplomas(arguments.diplomas)
    print(f"setup: {arguments.diplomas} registered diplomas in {time.perf_counter() - started:.1f} s")
    profile = blank_profile_save(
        by=registrar, profile=None, name="BD (ru)", design="diploma", level="bachelor", side="ru",
        width_mm="297", height_mm="210", fields=FIELDS,
    )  # fmt: skip
    printer = printer_calibration_save(by=registrar, name="bench", offset_x_mm="1.5", offset_y_mm="-0.8")

    started = time.perf_counter()
    entries = list(DiplomaBookEntry.objects.select_related("graduate", "diploma__current_version"))
    run = blank_cohort_print(
        by=registrar, entries=entries, profile=profile, printer=printer, series="ЖБ", first_number=1
    )
    elapsed = time.perf_counter() - started
    pages = run.blanks.count()
    size = run.pdf.size
    print(
        f"print: {pages} diplomas onto blanks in {elapsed:.2f} s "
        f"({pages / elapsed:.0f} pages/s), PDF {size / 1024:.0f} KiB ({size / pages / 1024:.1f} KiB/page)"
    )
    started = time.perf_counter()
    reprint = blank_spoil(by=registrar, blank=run.blanks.get(page=1), reason="bench misprint")
    print(f"spoil + reprint on {reprint.display_number}: {time.perf_counter() - started:.2f} s")
    verdict = "met" if elapsed < TARGET_SECONDS else "MISSED"
    print(f"target < {TARGET_SECONDS} s for 200 diplomas: {verdict} ({elapsed:.2f} s for {pages})")


if __name__ == "__main__":
    main()
