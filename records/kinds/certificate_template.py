"""The default template of the certificate of study, one per language."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from doctemplates.defaults import Field, SignatureSlot, _deterministic, build_template
from records.kinds.letterhead import ministry_lines

TITLE = {"kk": "АНЫҚТАМА", "ru": "СПРАВКА", "en": "CERTIFICATE OF STUDY"}
# The sentence declines the name and the university's name as its grammar needs (dative for whom
# it is issued, locative for where they study) and chooses он/она by the student's sex.
BODY = {
    "kk": (
        "Осы анықтама {{ data.full_name|kk_case('dative') }} (ЖСН {{ data.iin }}) берілді: ол "
        "{{ data.university|kk_case('locative') }} {{ data.programme_code }} «{{ data.programme_name }}» "
        "білім беру бағдарламасы бойынша {{ data.year_of_study }}-курста {{ data.status }} "
        "({{ data.group }} тобы, {{ data.funding }}). Анықтама {{ data.purpose_text }} ұсыну үшін берілді."
    ),
    "ru": (
        "Настоящая справка выдана {{ data.full_name|ru_name_case('datv', data.sex|default('')) }} "
        "(ИИН {{ data.iin }}) в том, что {{ data.sex|default('')|ru_he_she }} {{ data.status }} "
        "на {{ data.year_of_study }} курсе в {{ data.university|ru_case('loct') }} по образовательной "
        "программе {{ data.programme_code }} «{{ data.programme_name }}» (группа {{ data.group }}, "
        "{{ data.funding }}). Справка выдана для предъявления {{ data.purpose_text }}."
    ),
    "en": (
        "This is to certify that {{ data.full_name }} (IIN {{ data.iin }}) {{ data.status }} in year "
        "{{ data.year_of_study }} of the educational programme {{ data.programme_code }} "
        "“{{ data.programme_name }}” at {{ data.university }} (group {{ data.group }}, {{ data.funding }}). "
        "Issued for presentation to {{ data.purpose_text }}."
    ),
}
SEAL = {"kk": "Ұйымның мөрі", "ru": "Печать организации", "en": "Organisation seal"}


def certificate_template(language: str) -> bytes:
    """A one-language certificate with its number, date, text, the seal's field and the QR code."""
    docx = build_template(
        title={language: TITLE[language]},
        fields=[
            Field({"kk": "Нөмірі", "ru": "Номер", "en": "Number"}, "number"),
            Field({"kk": "Күні", "ru": "Дата", "en": "Date"}, "date|date_{lang}"),
        ],
        languages=(language,),
        body_expression=None,
        signature_slots=[SignatureSlot("seal", {language: SEAL[language]})],
        header_expression="data.university",
        header_lines=ministry_lines("student_certificate", language),
    )
    return _with_body(docx, BODY[language])


def _with_body(docx: bytes, text: str) -> bytes:
    """Put the certificate's sentence (plain text with Jinja tags) right after the labelled fields."""
    document = Document(io.BytesIO(docx))
    paragraphs = document.paragraphs
    anchor = next(i for i, p in enumerate(paragraphs) if "date|date_" in p.text)
    body = paragraphs[anchor + 1].insert_paragraph_before(text)
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    output = io.BytesIO()
    document.save(output)
    return _deterministic(output.getvalue())
