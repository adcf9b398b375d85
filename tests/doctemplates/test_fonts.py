"""Font warnings: substituted fonts and fonts without Kazakh letters are reported, standard ones not."""

import io

from docx import Document

from doctemplates.defaults import internal_order_template
from doctemplates.fonts import font_warnings, template_fonts


def docx_in_font(font: str) -> bytes:
    document = Document()
    document.add_paragraph().add_run("Қазақ тілі").font.name = font
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def codes(warnings):
    return sorted({warning.code for warning in warnings})


def test_template_fonts_lists_run_fonts():
    assert "Comic Sans MS" in template_fonts(docx_in_font("Comic Sans MS"))


def test_the_default_template_fonts_raise_no_warning():
    assert "Times New Roman" in template_fonts(internal_order_template())
    assert font_warnings(internal_order_template()) == []


def test_a_missing_font_is_reported_as_substituted():
    warnings = font_warnings(docx_in_font("Comic Sans MS"))
    assert "font_substituted" in codes(warnings)
    assert any(w.location == "Comic Sans MS" for w in warnings)


def test_a_font_without_kazakh_letters_is_reported():
    warnings = font_warnings(docx_in_font("Noto Sans Armenian"))
    assert codes([w for w in warnings if w.location == "Noto Sans Armenian"]) == ["font_without_kazakh"]
