"""Rendering in the sandbox: autoescape, strict variables, Python internals out of reach."""

import datetime as dt
import io
import zipfile

import pytest
from docx import Document

from doctemplates.errors import TemplateRenderError
from doctemplates.rendering import render_docx, signature_marker
from tests.doctemplates.builders import make_docx


def texts(docx: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(docx)).paragraphs]


def test_values_with_markup_characters_are_kept_whole():
    """autoescape on: '&' and '<' in data reach the document unchanged (off, docxtpl drops text)."""
    docx = render_docx(make_docx("Ұйым: {{ name }}"), {"name": "Tom & Jerry <ЖШС>"})
    assert texts(docx) == ["Ұйым: Tom & Jerry <ЖШС>"]


def test_filters_and_header_are_rendered():
    template = make_docx(
        "{{ day|date_kk }} / {{ day|date('ru') }} / {{ 3|number_words('en') }}", header="{{ uni }}"
    )
    docx = render_docx(template, {"day": dt.date(2026, 11, 28), "uni": "ҚазҰУ"})
    assert texts(docx) == ["2026 жылғы 28 қараша / 28 ноября 2026 г. / three"]
    assert Document(io.BytesIO(docx)).sections[0].header.paragraphs[0].text == "ҚазҰУ"


def test_undefined_variable_is_an_error_naming_it_and_where():
    with pytest.raises(TemplateRenderError) as caught:
        render_docx(make_docx("first", "GPA: {{ gpa }}", "last"), {})
    assert "'gpa' is undefined" in caught.value.message
    assert caught.value.location == "/word/document.xml: «GPA: {{ gpa }}»"


@pytest.mark.parametrize(
    "expression", ["{{ x.__class__ }}", "{{ ''.__class__.__mro__ }}", "{{ x.__init__.__globals__ }}"]
)
def test_python_internals_are_out_of_reach(expression):
    with pytest.raises(TemplateRenderError) as caught:
        render_docx(make_docx(expression), {"x": 1})
    assert "Python internals" in caught.value.message
    assert caught.value.location is not None and expression in caught.value.location


def test_syntax_error_names_the_paragraph():
    with pytest.raises(TemplateRenderError) as caught:
        render_docx(make_docx("ok", "{{ name }", "ok"), {"name": "x"})
    assert "syntax" in caught.value.message.lower()
    assert "{{ name }" in (caught.value.location or "")


def test_a_bad_value_for_a_filter_is_an_error():
    with pytest.raises(TemplateRenderError, match="Not a date"):
        render_docx(make_docx("{{ day|date_ru }}"), {"day": "tomorrow"})


def test_not_a_docx_is_an_error():
    with pytest.raises(TemplateRenderError, match="not a readable DOCX"):
        render_docx(b"PK\x03\x04 broken", {})


def test_context_cannot_override_renderer_names():
    with pytest.raises(TemplateRenderError, match="qr_code"):
        render_docx(make_docx("{{ qr_code }}"), {"qr_code": "fake"})


def test_signature_field_writes_a_marker_for_each_route_step():
    docx = render_docx(
        make_docx("{{ signature_field('dean') }}", "{{ signature_field('rector') }}"),
        {},
        signature_fields=["dean", "rector"],
    )
    assert texts(docx) == [signature_marker("dean"), signature_marker("rector")]


def test_signature_field_outside_the_route_is_refused():
    with pytest.raises(TemplateRenderError, match="signing route does not have"):
        render_docx(make_docx("{{ signature_field('janitor') }}"), {}, signature_fields=["dean"])


def test_route_step_without_a_field_is_refused():
    with pytest.raises(TemplateRenderError, match="does not place the signature field"):
        render_docx(make_docx("{{ signature_field('dean') }}"), {}, signature_fields=["dean", "rector"])


def test_signature_field_placed_twice_is_refused():
    with pytest.raises(TemplateRenderError, match="twice"):
        render_docx(make_docx("{{ signature_field('dean') }}", "{{ signature_field('dean') }}"), {})


def test_qr_code_is_inserted_as_an_image():
    docx = render_docx(
        make_docx("{{ qr_code }}", "{{ verification_url }}"), {}, verification_url="https://x.kz/verify/A1/"
    )
    media = [n for n in zipfile.ZipFile(io.BytesIO(docx)).namelist() if n.startswith("word/media/")]
    assert len(media) == 1
    assert zipfile.ZipFile(io.BytesIO(docx)).read(media[0]).startswith(b"\x89PNG")
    assert texts(docx)[1] == "https://x.kz/verify/A1/"


def test_qr_code_without_a_url_is_undefined():
    with pytest.raises(TemplateRenderError, match="qr_code"):
        render_docx(make_docx("{{ qr_code }}"), {})


def test_undefined_value_given_to_a_filter_is_the_undefined_error():
    with pytest.raises(TemplateRenderError, match="'day' is undefined"):
        render_docx(make_docx("{{ day|date_kk }}"), {})
