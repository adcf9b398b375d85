"""The blank pages: without the registrar's role 403 and no event; with it 200 and exactly the events;
bad input is a message with nothing changed, never a 500."""

from __future__ import annotations

import io
from typing import Any

from django.urls import reverse
from PIL import Image

from records.models import BlankProfile, PrintedBlank, PrinterCalibration, Role
from records.services.blanks import blank_cohort_print, printer_calibration_save
from tests.records.admin.conftest import events_after, last_event_id
from tests.records.diplomas.test_blanks import FIELDS, _profile, _registered_diplomas

INDEX = reverse("records_blanks:index")
NEW = reverse("records_blanks:profile_new")


def _profile_post(**changes: Any) -> dict[str, Any]:
    """The profile form as a browser posts it: the sheet plus one row per field (and an empty row)."""
    rows = [*FIELDS, {}]
    data: dict[str, Any] = {
        "name": "BD (kk)",
        "design": "diploma",
        "level": "bachelor",
        "side": "kk",
        "width_mm": "297",
        "height_mm": "210",
        "f_name": [row.get("name", "") for row in rows],
    }
    defaults = {"font": "serif", "size_pt": "12", "align": "left", "kind": "text", "pitch_mm": "0"}
    for key in ("x_mm", "y_mm", "width_mm", "height_mm", "font", "size_pt", "align", "kind", "pitch_mm"):
        data["f_" + key] = [str(row.get(key, defaults.get(key, ""))) for row in rows]
    return {**data, **changes}


def test_blank_pages_refuse_everyone_but_the_registrars_office(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    profile = _profile(staff[Role.REGISTRAR])
    printer = printer_calibration_save(by=staff[Role.REGISTRAR], name="P", offset_x_mm=0, offset_y_mm=0)
    before = last_event_id()
    urls = [
        INDEX,
        NEW,
        reverse("records_blanks:profile", args=[profile.pk]),
        reverse("records_blanks:preview", args=[profile.pk]),
        reverse("records_blanks:calibration", args=[printer.pk]) + f"?profile={profile.pk}",
    ]
    for who in (Role.DEAN, Role.TEACHER, Role.STUDENT):
        client.force_login(staff[who])
        for url in urls:
            assert client.get(url).status_code == 403, (who, url)
        assert client.post(NEW, _profile_post()).status_code == 403
        assert (
            client.post(
                INDEX, {"action": "printer", "name": "X", "offset_x_mm": "1", "offset_y_mm": "1"}
            ).status_code
            == 403
        )
        assert client.post(reverse("records_blanks:print"), {}).status_code == 403
    assert events_after(before) == []
    assert BlankProfile.objects.count() == 1 and PrinterCalibration.objects.count() == 1


def test_the_registrar_edits_a_profile_with_a_live_preview(client: Any, staff: dict[str, Any]) -> None:
    client.force_login(staff[Role.REGISTRAR])
    assert client.get(INDEX).status_code == 200
    page = client.get(NEW)
    assert page.status_code == 200 and b'id="blank-preview"' in page.content
    before = last_event_id()
    response = client.post(NEW, _profile_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = BlankProfile.objects.get()
    assert [f["name"] for f in profile.fields] == [f["name"] for f in FIELDS]
    assert profile.fields[0]["x_mm"] == FIELDS[0]["x_mm"] and profile.fields[-1]["kind"] == "qr"
    assert events_after(before) == ["blank.profile_save"]
    edit = client.get(response["Location"])
    assert edit.status_code == 200 and b"blank_preview.js" in edit.content

    before = last_event_id()
    bad = _profile_post(f_x_mm=["abc", *["1"] * len(FIELDS)])
    refused = client.post(reverse("records_blanks:profile", args=[profile.pk]), bad)
    assert refused.status_code == 400 and "x_mm" in refused.content.decode()
    assert events_after(before) == []
    profile.refresh_from_db()
    assert profile.fields[0]["x_mm"] == FIELDS[0]["x_mm"]

    scan = io.BytesIO()
    Image.new("RGB", (594, 420), (250, 240, 220)).save(scan, format="PNG")
    scan.seek(0)
    scan.name = "blank.png"
    url = reverse("records_blanks:profile", args=[profile.pk])
    uploaded = client.post(url, {"action": "scan", "scan": scan}, follow=True)
    assert "The scanned blank is attached." in uploaded.content.decode(), uploaded.content.decode()[-3000:]
    profile.refresh_from_db()
    assert profile.scan is not None
    assert client.get(reverse("records_blanks:scan", args=[profile.pk]))["Content-Type"] == "image/png"
    junk = io.BytesIO(b"<svg onload=alert(1)>")
    junk.name = "blank.png"
    before = last_event_id()
    follow = client.post(url, {"action": "scan", "scan": junk}, follow=True)
    assert "PNG or JPEG" in follow.content.decode() and events_after(before) == []
    preview = client.get(reverse("records_blanks:preview", args=[profile.pk]))
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"


def test_printers_calibration_runs_and_spoiling_through_the_pages(
    client: Any, staff: dict[str, Any], org: Any
) -> None:
    registrar = staff[Role.REGISTRAR]
    client.force_login(registrar)
    before = last_event_id()
    assert (
        client.post(
            INDEX, {"action": "printer", "name": "Canon", "offset_x_mm": "1,5", "offset_y_mm": "-0.5"}
        ).status_code
        == 302
    )
    refused = client.post(
        INDEX, {"action": "printer", "name": "Canon", "offset_x_mm": "99", "offset_y_mm": "0"}, follow=True
    )
    assert "millimetres" in refused.content.decode()
    assert events_after(before) == ["blank.printer_save"]
    printer = PrinterCalibration.objects.get(name="Canon")
    profile = _profile(registrar)
    sheet = client.get(reverse("records_blanks:calibration", args=[printer.pk]) + f"?profile={profile.pk}")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    assert (
        client.get(reverse("records_blanks:calibration", args=[printer.pk]) + "?profile=999").status_code
        == 404
    )

    entries = _registered_diplomas(staff, org, [1, 2])
    run = blank_cohort_print(
        by=registrar, entries=entries, profile=profile, printer=printer, series="ЖБ", first_number=5
    )
    page = client.get(reverse("records_blanks:run", args=[run.pk]))
    assert page.status_code == 200 and "ЖБ 0000005" in page.content.decode()
    pdf = client.get(reverse("records_blanks:run_pdf", args=[run.pk]))
    assert pdf.status_code == 200 and pdf.content == run.pdf.read()
    blank = run.blanks.get(page=2)
    before = last_event_id()
    empty = client.post(reverse("records_blanks:spoil", args=[blank.pk]), {"reason": ""}, follow=True)
    assert "Say why" in empty.content.decode() and events_after(before) == []
    done = client.post(reverse("records_blanks:spoil", args=[blank.pk]), {"reason": "Замятие"})
    assert done.status_code == 302 and events_after(before) == ["blank.spoil"]
    assert PrintedBlank.objects.get(pk=blank.pk).replaced_by.display_number == "ЖБ 0000007"  # type: ignore[union-attr]
    assert client.get(reverse("records_blanks:run", args=[99999])).status_code == 404
    assert client.post(reverse("records_blanks:print"), {"batch": "x"}).status_code == 302
