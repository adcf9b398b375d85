"""Issue 19 in a browser: the designed diploma and supplement as the back office serves them, and the
registrar moving a field of a blank profile and seeing the box move over the scanned blank."""

from __future__ import annotations

import base64
import io
import subprocess
from pathlib import Path
from typing import Any

from django.urls import reverse
from PIL import Image, ImageDraw

from records.kinds.diploma import DIPLOMA_KIND, SUPPLEMENT_KIND
from records.models import BlankProfile, Role
from records.services.blanks import blank_profile_save, blank_profile_scan_upload
from records.services.diplomas import diploma_book_entry_add
from records.services.document import document_create
from tests.factories import make_person

FIELDS = [
    {
        "name": "full_name",
        "x_mm": 40,
        "y_mm": 90,
        "width_mm": 120,
        "height_mm": 10,
        "size_pt": 16,
        "align": "center",
    },
    {"name": "diploma_number", "x_mm": 200, "y_mm": 20, "width_mm": 70, "height_mm": 8, "align": "right"},
    {"name": "qr", "x_mm": 245, "y_mm": 160, "width_mm": 30, "height_mm": 30, "kind": "qr"},
]


def _pages_as_png(pdf: bytes, folder: Path, stem: str) -> list[Path]:
    """The PDF's pages rasterised by poppler (a real part: missing poppler fails the test)."""
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-", str(folder / stem)], input=pdf, check=True)
    return sorted(folder.glob(f"{stem}-*.png"))


def _show(browser: Any, pages: list[Path], step: str) -> None:
    """Show the pages the server sent in the browser, one under the other, and take the screenshot."""
    images = "".join(
        f'<img alt="page {n}" style="display:block;margin:8px auto;border:1px solid #999" '
        f'src="data:image/png;base64,{base64.b64encode(p.read_bytes()).decode()}">'
        for n, p in enumerate(pages, start=1)
    )
    browser.page.set_content(f"<html><body style='background:#ddd'>{images}</body></html>")
    browser.shot(step)


def _documents(users: dict[str, Any], org: Any) -> tuple[int, int]:
    registrar = users[Role.REGISTRAR]
    graduate = make_person(kind="student")
    entry = diploma_book_entry_add(
        series="BD", number=7, graduate=graduate, issue_date="2026-07-01", created_by=registrar
    )
    common = {"student_iin": graduate.iin, "diploma_number": entry.display_number}
    diploma = document_create(
        by=registrar,
        kind="diploma",
        org_unit=org.faculty,
        title="Диплом",
        data={**DIPLOMA_KIND.sample_data, **common, "epvo_number": "KZ-2026-0000777"},
    )
    line = SUPPLEMENT_KIND.sample_data["lines"][0]
    lines = [
        {**line, "discipline_code": f"D{i:02d}", "discipline_name": f"Дисциплина {i:02d}"} for i in range(45)
    ]
    supplement = document_create(
        by=registrar,
        kind="diploma_supplement",
        org_unit=org.faculty,
        title="Приложение",
        data={**SUPPLEMENT_KIND.sample_data, **common, "lines": lines, "total_credits": 225},
    )
    return diploma.pk, supplement.pk


def test_the_diploma_and_supplement_as_served_and_the_blank_preview(
    browser: Any, staff_users: dict[str, Any], org: Any, tmp_path: Path
) -> None:
    registrar = staff_users[Role.REGISTRAR]
    diploma_id, supplement_id = _documents(staff_users, org)
    browser.login_as(registrar)
    for pk, stem, expected_pages in ((diploma_id, "diploma", 2), (supplement_id, "supplement", 2)):
        response = browser.page.request.get(
            browser.base_url + reverse("records_templates:document_preview", args=[pk]), timeout=120_000
        )
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        pages = _pages_as_png(response.body(), tmp_path, stem)
        assert len(pages) == expected_pages, stem
        if stem == "diploma":
            width, height = Image.open(pages[0]).size
            assert width > height, "landscape"
        _show(browser, pages, stem)

    profile = blank_profile_save(
        by=registrar, profile=None, name="BD (ru)", design="diploma", level="bachelor", side="ru",
        width_mm="297", height_mm="210", fields=FIELDS,
    )  # fmt: skip
    scan = Image.new("RGB", (1188, 840), (250, 243, 222))
    draw = ImageDraw.Draw(scan)
    draw.rectangle((20, 20, 1168, 820), outline=(120, 90, 40), width=8)
    draw.text((520, 120), "ДИПЛОМ", fill=(120, 90, 40))
    output = io.BytesIO()
    scan.save(output, format="PNG")
    blank_profile_scan_upload(by=registrar, profile=profile, content=output.getvalue())
    browser.goto(reverse("records_blanks:profile", args=[profile.pk]))
    page = browser.page
    box = page.locator('#blank-preview [data-field="full_name"]')
    before = box.bounding_box()
    assert before is not None and page.locator("#blank-preview img").count() == 1
    page.locator("#blank-preview").scroll_into_view_if_needed()
    browser.shot("blank-preview")
    x_input = page.locator('[data-field-row] input[name="f_x_mm"]').first
    x_input.fill("60")
    after = box.bounding_box()
    assert after is not None and abs((after["x"] - before["x"]) - 20 * 2.6) < 1, (before, after)
    browser.shot("blank-preview-moved")
    page.get_by_role("button", name="Save the profile").click()
    page.wait_for_load_state()
    assert BlankProfile.objects.get(pk=profile.pk).fields[0]["x_mm"] == 60
    browser.shot("blank-saved")
