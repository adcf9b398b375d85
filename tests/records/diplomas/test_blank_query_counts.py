"""The blank pages cost the same number of queries whatever the number of rows they show.

The blanks index (profiles, printers, print runs), a print run's page (its blanks), a profile's page
and a printer's calibration sheet are measured at a small and a larger size of what they list;
the counts must be equal, so a query per row fails here.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from records.models import Role
from records.services.blanks import blank_cohort_print, printer_calibration_save
from tests.records.diplomas.test_blanks import _profile, _registered_diplomas
from tests.records.test_query_counts import assert_constant, count_queries


def test_the_blanks_index_queries_do_not_grow_with_profiles_printers_and_runs(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    registrar = staff[Role.REGISTRAR]
    entries = _registered_diplomas(staff, org, list(range(1, 13)))
    profile = _profile(registrar, name="P0")
    printer = printer_calibration_save(by=registrar, name="Printer 0", offset_x_mm=0, offset_y_mm=0)
    blank_cohort_print(
        by=registrar, entries=entries[:1], profile=profile, printer=printer, series="A", first_number=1
    )
    client.force_login(registrar)

    def grow() -> None:
        for index in range(1, 8):
            more = _profile(registrar, name=f"P{index}")
            other = printer_calibration_save(
                by=registrar, name=f"Printer {index}", offset_x_mm=index, offset_y_mm=0
            )
            entry = entries[index : index + 1]
            blank_cohort_print(
                by=registrar, entries=entry, profile=more, printer=other, series="A", first_number=1
            )

    _first, second = assert_constant(
        lambda: client.get(reverse("records_blanks:index")), grow, django_assert_num_queries
    )
    assert "Printer 7" in second.content.decode() and "P7" in second.content.decode()


def test_a_print_runs_page_costs_the_same_for_one_blank_and_for_ten(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    registrar = staff[Role.REGISTRAR]
    entries = _registered_diplomas(staff, org, list(range(1, 12)))
    profile = _profile(registrar)
    printer = printer_calibration_save(by=registrar, name="Office", offset_x_mm=0, offset_y_mm=0)
    small = blank_cohort_print(
        by=registrar, entries=entries[:1], profile=profile, printer=printer, series="A", first_number=1
    )
    large = blank_cohort_print(
        by=registrar, entries=entries[1:], profile=profile, printer=printer, series="A", first_number=1
    )
    client.force_login(registrar)
    client.get(reverse("records_blanks:run", args=[small.pk]))
    queries, _response = count_queries(lambda: client.get(reverse("records_blanks:run", args=[small.pk])))
    with django_assert_num_queries(queries):
        response = client.get(reverse("records_blanks:run", args=[large.pk]))
    assert response.content.decode().count('name="reason"') == 10


def test_the_profile_page_and_the_calibration_sheet_do_not_grow_with_the_other_rows(
    client: Any, staff: dict[str, Any], org: Any, django_assert_num_queries: Any
) -> None:
    registrar = staff[Role.REGISTRAR]
    profile = _profile(registrar)
    printer = printer_calibration_save(by=registrar, name="Office", offset_x_mm=0, offset_y_mm=0)
    client.force_login(registrar)

    def grow() -> None:
        for index in range(8):
            _profile(registrar, name=f"Other {index}")
            printer_calibration_save(by=registrar, name=f"Other {index}", offset_x_mm=0, offset_y_mm=index)

    assert_constant(
        lambda: client.get(reverse("records_blanks:profile", args=[profile.pk])),
        lambda: None,
        django_assert_num_queries,
    )
    profile_queries, _r = count_queries(
        lambda: client.get(reverse("records_blanks:profile", args=[profile.pk]))
    )
    calibration = reverse("records_blanks:calibration", args=[printer.pk]) + f"?profile={profile.pk}"
    calibration_queries, _r = count_queries(lambda: client.get(calibration))
    grow()
    with django_assert_num_queries(profile_queries):
        client.get(reverse("records_blanks:profile", args=[profile.pk]))
    with django_assert_num_queries(calibration_queries):
        assert client.get(calibration)["Content-Type"] == "application/pdf"
