"""The designed diploma and supplement, rendered by the real pipeline (docxtpl, LibreOffice PDF/A-2b,
signature fields, QR code): every fact of the data is on the page in Kazakh, Russian and English,
the holder's name is declined, and a 45-discipline supplement is a 2–3 page table with its header on
every page."""

from __future__ import annotations

import io
import subprocess
from typing import Any

import pikepdf
import pypdf
import pytest
from PIL import Image

from doctemplates.filters import date_en, date_kk, date_ru, kk_case, ru_case, ru_name_case
from doctemplates.pipeline import render_document
from records.errors import RecordsError
from records.kinds.base import get_kind
from records.kinds.diploma import DIPLOMA, SUPPLEMENT
from records.kinds.templates import default_template
from records.models import AuditEvent, Role
from records.services.rendering import render_context, verification_url
from records.services.templates import sample_document
from records.services.university import university_emblem_upload

pytestmark = pytest.mark.libreoffice

GRADUATE: dict[str, Any] = {
    "student_iin": "040515500128",
    "full_name": {
        "kk": "Әбілқасымова Айгерім Серікқызы",
        "ru": "Абилкасымова Айгерим Сериковна",
        "en": "Abilkassymova Aigerim",
    },
    "university": {
        "kk": "Әл-Фараби атындағы Қазақ ұлттық университеті",
        "ru": "Казахский национальный университет имени аль-Фараби",
        "en": "Al-Farabi Kazakh National University",
    },
    "programme_code": "6B06102",
    "programme_name": {
        "kk": "Бағдарламалық инженерия",
        "ru": "Программная инженерия",
        "en": "Software engineering",
    },
    "degree_level": "bachelor",
    "degree": {
        "kk": "Бакалавр — Бағдарламалық инженерия",
        "ru": "Бакалавр — Программная инженерия",
        "en": "Bachelor — Software engineering",
    },
    "study_form": {"kk": "күндізгі", "ru": "очная", "en": "full-time"},
    "diploma_number": "BD 0004217",
    "protocol_number": "ИА-2026-00042",
    "protocol_date": "2026-06-12",
    "issue_date": "2026-06-30",
}


def _pages(pdf: bytes) -> list[str]:
    """The text of every page by poppler's pdftotext, whitespace collapsed (lines wrap anywhere)."""
    count = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    texts = []
    for number in range(1, count + 1):
        result = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        )
        texts.append(" ".join(result.stdout.decode().split()))
    return texts


def _render(kind_code: str, data: dict[str, Any], by: Any) -> tuple[bytes, str, str]:
    kind = get_kind(kind_code)
    document, version = sample_document(kind, by)
    version.data = kind.validate(data)
    docx, _id = default_template(kind_code, "ru")
    result = render_document(
        docx,
        render_context(document, version),
        signature_fields=[step.code for step in kind.signing_route],
        verification_url=verification_url(document),
    )
    return result.pdf, document.registry_number, verification_url(document)


def _widget_pages(pdf: bytes) -> dict[str, int]:
    """Which page (1-based) each signature field's widget is on."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = {}
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/FT") == "/Sig" or widget.get("/Parent", {}).get("/FT") == "/Sig":
                found[str(widget.get("/T") or widget["/Parent"]["/T"])] = number
    return found


def _images_on(pdf: bytes, page_number: int) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages[page_number - 1].get_images())


def test_designed_diploma_states_every_fact_in_kazakh_russian_and_english(users: dict[str, Any]) -> None:
    """Page 1 (landscape): Kazakh and Russian wording with the declined name, the signatures and the QR
    code; page 2: English. Series and number, registration number, city and date, protocol, honours and
    the ЕПВО number are on both."""
    data = {
        **GRADUATE,
        "series": "BD",
        "book_number": 4217,
        "issue_city": {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
        "with_honours": True,
        "remark": {"kk": "Үздік диплом", "ru": "Диплом с отличием", "en": "Diploma with honours"},
        "epvo_number": "KZ-EPVO-2026-7781245",
    }
    pdf, registry_number, url = _render(DIPLOMA, data, users[Role.REGISTRAR])
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2
    assert all(page.mediabox.width > page.mediabox.height for page in reader.pages), "landscape"
    kazakh_russian, english = _pages(pdf)
    name, university, programme = data["full_name"], data["university"], data["programme_name"]
    for needle in (
        "ҮЗДІК ДИПЛОМ",
        "ДИПЛОМ С ОТЛИЧИЕМ",
        name["kk"],
        kk_case(name["kk"], "dative"),
        ru_name_case(name["ru"], "datv"),
        kk_case(university["kk"], "genitive"),
        ru_case(university["ru"], "gent"),
        university["kk"],
        university["ru"],
        programme["kk"],
        programme["ru"],
        data["degree"]["kk"],
        data["degree"]["ru"],
        "күндізгі",
        "очная",
        date_kk(data["protocol_date"]),
        date_ru(data["protocol_date"]),
        date_kk(data["issue_date"]),
        date_ru(data["issue_date"]),
        "Алматы",
    ):
        assert needle in kazakh_russian, needle
    for needle in (
        "DIPLOMA WITH HONOURS",
        name["en"],
        university["en"],
        programme["en"],
        data["degree"]["en"],
        "full-time",
        date_en(data["protocol_date"]),
        date_en(data["issue_date"]),
        "Almaty",
    ):
        assert needle in english, needle
    for page in (kazakh_russian, english):
        for needle in ("6B06102", "BD 0004217", "ИА-2026-00042", registry_number, data["epvo_number"], url):
            assert needle in page, needle
    assert "Диплом с отличием" not in kazakh_russian, "the honours remark is the title, not said twice"
    assert _widget_pages(pdf) == {"dean": 1, "rector": 1}, "signatures on the page with the QR code"
    assert _images_on(pdf, 1) == 1 and _images_on(pdf, 2) == 1, "the QR code on each page"


def test_a_diploma_without_honours_or_ministry_number_says_so(users: dict[str, Any]) -> None:
    """No honours: the plain title; no ЕПВО number yet: a dash where it goes."""
    data = {
        **GRADUATE,
        "series": "BD",
        "book_number": 4217,
        "issue_city": {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
    }
    pdf, _number, _url = _render(DIPLOMA, data, users[Role.REGISTRAR])
    kazakh_russian, english = _pages(pdf)
    assert "ОТЛИЧИЕМ" not in kazakh_russian and "ҮЗДІК" not in kazakh_russian
    assert "HONOURS" not in english and "DIPLOMA" in english
    assert "Уникальный номер ЕПВО: —" in kazakh_russian and "ЕПВО бірегей нөмірі: —" in kazakh_russian


def _lines(count: int) -> list[dict[str, Any]]:
    letters = ("A", "A-", "B+", "B", "B-", "C+")
    return [
        {
            "term": f"{2022 + i // 12}/{2023 + i // 12}-{1 + (i // 6) % 2}",
            "discipline_code": f"DSC{i:03d}",
            "discipline_name": f"Дисциплина учебного плана номер {i:02d}",
            "credits": 3 + i % 4,
            "final_percent": str(70 + i % 30),
            "letter": letters[i % len(letters)],
            "points": "3.33",
            "traditional": "4 — жақсы / хорошо / good",
        }
        for i in range(count)
    ]


def test_supplement_of_45_disciplines_is_a_2_to_3_page_table_with_the_header_on_every_page(
    users: dict[str, Any],
) -> None:
    """Every page repeats the holder, the programme and the series and number and says "page N of M";
    every discipline, the final attestation, the totals and the GPA are there; the signatures are on
    the last page."""
    lines = _lines(45)
    data = {
        **GRADUATE,
        "lines": lines,
        "final_attestation": {
            "term": "2025/2026-2",
            "discipline_code": "FA01",
            "discipline_name": "Защита дипломной работы",
            "credits": 12,
            "final_percent": "96",
            "letter": "A",
            "points": "4.00",
            "traditional": "5 — өте жақсы / отлично / excellent",
        },
        "total_credits": 240,
        "gpa": "3.47",
    }
    pdf, registry_number, url = _render(SUPPLEMENT, data, users[Role.REGISTRAR])
    pages = _pages(pdf)
    assert 2 <= len(pages) <= 3, len(pages)
    for number, page in enumerate(pages, start=1):
        for needle in (
            GRADUATE["full_name"]["kk"],
            GRADUATE["full_name"]["ru"],
            GRADUATE["full_name"]["en"],
            "6B06102",
            GRADUATE["programme_name"]["ru"],
            "BD 0004217",
            registry_number,
            f"Бет / Страница / Page {number} / {len(pages)}",
        ):
            assert needle in page, (number, needle)
        if "DSC" in page:
            assert "Дисциплина" in page and "Discipline" in page, (number, "the table's header row")
    text = " ".join(pages)
    for line in lines:
        assert line["discipline_code"] in text and line["discipline_name"] in text, line["discipline_code"]
    for needle in ("FA01 Защита дипломной работы: A (4.00; 96 %), 12", "240", "3,47", url, "ИА-2026-00042"):
        assert needle in text, needle
    assert set(_widget_pages(pdf).values()) == {len(pages)}, "signatures on the last page"
    assert "3,47" in pages[-1] and "DSC" in pages[-1], "the totals and signatures follow the table"


def _png(width: int, height: int) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), (31, 56, 100)).save(output, format="PNG")
    return output.getvalue()


def test_the_uploaded_emblem_is_a_versioned_asset_shown_on_the_diploma(users: dict[str, Any]) -> None:
    """An administrator uploads the emblem (version 1, then 2: one active); the diploma shows it."""
    admin = users[Role.ADMINISTRATOR]
    first = university_emblem_upload(by=admin, content=_png(120, 120))
    second = university_emblem_upload(by=admin, content=_png(200, 180))
    first.refresh_from_db()
    assert (first.number, first.active, second.number, second.active) == (1, False, 2, True)
    assert (second.width_px, second.height_px) == (200, 180)
    assert AuditEvent.objects.filter(action="university.emblem_upload").count() == 2
    data = {
        **GRADUATE,
        "series": "BD",
        "book_number": 4217,
        "issue_city": {"kk": "Алматы", "ru": "Алматы", "en": "Almaty"},
    }
    pdf, _number, _url = _render(DIPLOMA, data, users[Role.REGISTRAR])
    assert _images_on(pdf, 1) == 2 and _images_on(pdf, 2) == 2, "emblem and QR code on each page"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"GIF89a not a picture", "not a PNG or JPEG"),
        (_png(20, 20)[:60], "damaged"),
        (_png(5000, 4000), "pixels"),
    ],
)
def test_a_bad_emblem_is_refused_with_a_reason_and_changes_nothing(
    users: dict[str, Any], content: bytes, message: str
) -> None:
    with pytest.raises(RecordsError) as info:
        university_emblem_upload(by=users[Role.ADMINISTRATOR], content=content)
    assert info.value.code == "bad_image" and message in info.value.message
    assert not AuditEvent.objects.filter(action="university.emblem_upload").exists()


def test_only_template_managers_upload_the_emblem(users: dict[str, Any]) -> None:
    with pytest.raises(RecordsError) as info:
        university_emblem_upload(by=users[Role.DEAN], content=_png(50, 50))
    assert info.value.code == "forbidden"
    assert not AuditEvent.objects.filter(action="university.emblem_upload").exists()
