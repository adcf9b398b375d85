"""Empty visible signature fields are created where the template placed their markers."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from doctemplates.errors import SignatureFieldError
from doctemplates.provenance import pdf_text, pdfa_status
from doctemplates.rendering import render_docx
from doctemplates.signature_fields import FIELD_HEIGHT, FIELD_WIDTH, add_signature_fields, find_markers
from tests.doctemplates.builders import make_docx

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def converted(converter_pool) -> bytes:
    template = make_docx(
        "Декан / Dean:",
        "{{ signature_field('dean') }}",
        *["Мәтін." for _ in range(8)],
        "Ректор / Rector: {{ signature_field('rector') }}",
    )
    docx = render_docx(template, {}, signature_fields=["dean", "rector"])
    return converter_pool.convert_docx_to_pdf(docx)


def fields_of(pdf: bytes) -> dict[str, dict]:
    reader = PdfFileReader(io.BytesIO(pdf))
    page_refs = [page.idnum for page in (reader.root["/Pages"]["/Kids"])]
    fields = {}
    for name, value, ref in enumerate_sig_fields(reader):
        widget = ref.get_object()
        fields[name] = {
            "value": value,
            "rect": [float(v) for v in widget["/Rect"]],
            "page": page_refs.index(widget.raw_get("/P").idnum),
        }
    return fields


def test_fields_are_created_at_the_markers(converted):
    markers = find_markers(converted, ["dean", "rector"])
    assert set(markers) == {"dean", "rector"}
    assert markers["dean"].y > markers["rector"].y  # the dean's marker is higher on the page
    signed_ready = add_signature_fields(converted, ["dean", "rector"])
    fields = fields_of(signed_ready)
    assert set(fields) == {"dean", "rector"}
    for name in ("dean", "rector"):
        x1, y1, x2, y2 = fields[name]["rect"]
        assert fields[name]["value"] is None  # empty: the signing step fills it
        assert fields[name]["page"] == markers[name].page
        assert x1 == pytest.approx(markers[name].x, abs=0.5)
        assert y1 == pytest.approx(markers[name].y, abs=0.5)
        assert (x2 - x1, y2 - y1) == pytest.approx((FIELD_WIDTH, FIELD_HEIGHT))


def test_fields_are_an_incremental_update_that_keeps_pdfa(converted):
    with_fields = add_signature_fields(converted, ["dean", "rector"])
    assert with_fields.startswith(converted)
    assert pdfa_status(with_fields) == "2B"


def test_markers_do_not_show_in_the_text(converted):
    assert "[[sig:" not in pdf_text(converted)
    assert "Декан / Dean:" in pdf_text(converted)


def test_missing_marker_is_an_error(converted):
    with pytest.raises(SignatureFieldError, match="registrar"):
        add_signature_fields(converted, ["dean", "registrar"])


@pytest.mark.parametrize("names", [["dean", "dean"], ["bad name"]])
def test_bad_field_names_are_refused(converted, names):
    with pytest.raises(SignatureFieldError):
        add_signature_fields(converted, names)


def test_no_fields_leave_the_pdf_as_it_was(converted):
    assert add_signature_fields(converted, []) == converted
