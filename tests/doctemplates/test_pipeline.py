"""The whole rendering of the default internal order: DOCX, PDF/A-2b, QR, fields, provenance."""

import io
import re

import pikepdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from doctemplates.conversion import Converter
from doctemplates.defaults import (
    INTERNAL_ORDER_SAMPLE,
    INTERNAL_ORDER_SIGNATURE_FIELDS,
    Field,
    SignatureSlot,
    build_template,
    internal_order_template,
)
from doctemplates.errors import TemplateRenderError
from doctemplates.pipeline import render_document
from doctemplates.provenance import libreoffice_version, pdf_text, sha256_hex
from doctemplates.qr import qr_png
from tests.doctemplates.builders import KAZAKH_LETTERS

pytestmark = pytest.mark.libreoffice

URL = "https://rectorate.example.kz/verify/ABCD-1234/"


@pytest.fixture(scope="module")
def order(converter_pool):
    return render_document(
        internal_order_template(),
        INTERNAL_ORDER_SAMPLE,
        signature_fields=INTERNAL_ORDER_SIGNATURE_FIELDS,
        verification_url=URL,
        converter=converter_pool,
    )


def test_order_text_survives_in_three_languages(order):
    text = pdf_text(order.pdf)
    for expected in (
        "2026 жылғы 28 қараша",
        "28 ноября 2026 г.",
        "28 November 2026",
        "«Том & Джерри» <ТОО>",
        "Әлібеков Д. С.",
        URL,
        *KAZAKH_LETTERS.split(),
    ):
        assert expected in text, expected


def test_order_has_its_signature_fields_and_qr_image(order):
    names = [name for name, _value, _ref in enumerate_sig_fields(PdfFileReader(io.BytesIO(order.pdf)))]
    assert names == list(INTERNAL_ORDER_SIGNATURE_FIELDS)
    with pikepdf.open(io.BytesIO(order.pdf)) as document:
        images = list(document.pages[0].get_images().values())
    assert len(images) == 1 and images[0].Width == images[0].Height  # the square QR code


def test_default_template_is_byte_for_byte_reproducible():
    assert internal_order_template() == internal_order_template()


def test_provenance_names_what_produced_the_pdf(order):
    provenance = order.provenance
    assert provenance["template_sha256"] == sha256_hex(internal_order_template())
    assert provenance["pdf_sha256"] == sha256_hex(order.pdf)
    assert re.fullmatch(r"\d+\.\d+\.\d+", provenance["docxtpl_version"])
    assert provenance["libreoffice_version"].startswith("LibreOffice 7")
    assert provenance["libreoffice_version"] == libreoffice_version()
    assert provenance["pdfa"] == "2B"
    assert provenance["converter"] == "LibreOfficePool"
    assert provenance["fonts"] and all(font["embedded"] for font in provenance["fonts"])
    assert any(font["name"].startswith("LiberationSerif") for font in provenance["fonts"])


def test_rendering_twice_gives_the_same_text(order, converter_pool):
    """What `rerender --check` relies on: the same inputs give the same extracted text."""
    again = render_document(
        internal_order_template(),
        INTERNAL_ORDER_SAMPLE,
        signature_fields=INTERNAL_ORDER_SIGNATURE_FIELDS,
        verification_url=URL,
        converter=converter_pool,
    )
    assert pdf_text(again.pdf) == pdf_text(order.pdf)


class ExplodingConverter(Converter):
    def __init__(self) -> None:
        self.calls = 0

    def convert_docx_to_pdf(self, docx: bytes) -> bytes:
        self.calls += 1
        raise AssertionError("must not be reached")


def test_template_errors_stop_before_conversion():
    converter = ExplodingConverter()
    with pytest.raises(TemplateRenderError, match="undefined"):
        render_document(internal_order_template(), {"number": "1"}, converter=converter)
    assert converter.calls == 0


def test_builder_writes_one_block_per_language_and_a_row_per_signature(converter_pool):
    template = build_template(
        title={"kk": "Анықтама", "ru": "Справка", "en": "Certificate"},
        fields=[Field({"kk": "Студент", "ru": "Студент", "en": "Student"}, "student|surname_upper")],
        signature_slots=[
            SignatureSlot("registrar", {"kk": "Тіркеуші", "ru": "Регистратор", "en": "Registrar"})
        ],
        qr_code=False,
    )
    result = render_document(
        template, {"student": "Сәрсенбаева Гүлнұр"}, signature_fields=["registrar"], converter=converter_pool
    )
    text = pdf_text(result.pdf)
    assert text.count("СӘРСЕНБАЕВА Гүлнұр") == 3
    assert "Тіркеуші / Регистратор /" in text


def test_qr_png_is_a_png_and_refuses_an_empty_url():
    assert qr_png(URL).startswith(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(TemplateRenderError):
        qr_png("")


def test_marker_text_typed_into_the_data_does_not_move_a_field(converter_pool):
    """The markers carry a per-rendering nonce, so '[[sig:approver]]' in the body is just text."""
    sample = {
        **INTERNAL_ORDER_SAMPLE,
        "subject": {**INTERNAL_ORDER_SAMPLE["subject"], "kk": "[[sig:approver]]"},
    }
    result = render_document(
        internal_order_template(),
        sample,
        signature_fields=INTERNAL_ORDER_SIGNATURE_FIELDS,
        converter=converter_pool,
    )
    rects = {
        name: [float(v) for v in ref.get_object()["/Rect"]]
        for name, _value, ref in enumerate_sig_fields(PdfFileReader(io.BytesIO(result.pdf)))
    }
    # The fake marker is near the top of the page; the real approver field is below the author's.
    assert rects["approver"][1] < rects["author"][1]
    assert rects["author"][1] - rects["approver"][1] < 100
