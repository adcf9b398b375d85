"""Upload validation: every hostile or broken template is refused with its own problem code."""

import io
import os
import zipfile

import pytest
from pydantic import BaseModel

from doctemplates.defaults import INTERNAL_ORDER_SAMPLE, internal_order_template
from doctemplates.validation import (
    Problem,
    TemplateInvalid,
    TemplateLimits,
    allowed_names_from_model,
    ensure_valid_template,
    validate_template,
)
from tests.doctemplates.builders import make_docx, png_header, with_extra_entry


class Student(BaseModel):
    name: str
    score: int


class Examiner(BaseModel):
    name: str
    position: str


class GradeStatement(BaseModel):
    discipline: str
    students: list[Student]
    examiner: Examiner | None = None


ALLOWED = allowed_names_from_model(GradeStatement)


def codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


def test_allowed_names_come_nested_from_the_pydantic_schema():
    assert ALLOWED == {
        "discipline": None,
        "students": {"name": None, "score": None},
        "examiner": {"name": None, "position": None},
    }


def test_a_good_template_has_no_problems():
    template = make_docx(
        "{{ discipline }}",
        "{%p for s in students %}",
        "{{ loop.index }}. {{ s.name|short_name }} {{ s.score|letter_grade }}",
        "{%p endfor %}",
        "{% if examiner %}{{ examiner.name }}, {{ examiner.position }}{% endif %}",
        "{{ signature_field('examiner') }} {{ qr_code }}",
    )
    assert validate_template(template, ALLOWED) == []


def test_the_default_order_template_is_valid_for_its_sample_data():
    allowed = {
        key: (dict.fromkeys(value) if isinstance(value, dict) else None)
        for key, value in INTERNAL_ORDER_SAMPLE.items()
    }
    assert validate_template(internal_order_template(), allowed) == []


def test_a_plain_set_of_names_is_accepted():
    assert validate_template(make_docx("{{ a }} {{ b.anything }}"), {"a", "b"}) == []
    assert codes(validate_template(make_docx("{{ c }}"), {"a"})) == ["unknown_variable"]


def test_corrupt_zip_is_refused():
    broken = make_docx("x")[:2000]
    assert codes(validate_template(broken)) == ["not_zip"]
    assert codes(validate_template(b"%PDF-1.7 not a word file")) == ["not_zip"]


def test_corrupt_entry_is_refused():
    data = bytearray(make_docx("Ұлттық университет " * 200))
    offset = bytes(data).find(b"word/document.xml") + 200  # inside the compressed body
    data[offset : offset + 40] = b"\x00" * 40
    assert codes(validate_template(bytes(data))) in (["not_zip"], ["not_docx"])


def test_zip_that_is_not_a_word_document_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "hello")
    assert codes(validate_template(output.getvalue())) == ["not_docx"]


def test_file_over_the_size_limit_is_refused():
    template = make_docx("x")
    problems = validate_template(template, limits=TemplateLimits(max_file_bytes=len(template) - 1))
    assert codes(problems) == ["too_large"]


def test_zip_bomb_by_compression_ratio_is_refused():
    bomb = with_extra_entry(make_docx("x"), "word/bomb.xml", b"\x00" * (50 * 1024 * 1024))
    assert len(bomb) < 200_000
    problems = validate_template(bomb)
    assert codes(problems) == ["zip_bomb"]
    assert problems[0].location == "word/bomb.xml"


def test_zip_bomb_by_total_size_is_refused():
    big = with_extra_entry(make_docx("x"), "word/filler.bin", os.urandom(2 * 1024 * 1024), level=1)
    assert codes(validate_template(big, limits=TemplateLimits(max_total_uncompressed=1024 * 1024))) == [
        "zip_bomb"
    ]


def test_too_many_entries_are_refused():
    template = make_docx("x")
    count = len(zipfile.ZipFile(io.BytesIO(template)).infolist())
    assert codes(validate_template(template, limits=TemplateLimits(max_entries=count - 1))) == [
        "too_many_entries"
    ]


def test_image_with_too_many_bytes_is_refused():
    heavy = png_header(100, 100, os.urandom(6 * 1024 * 1024))
    problems = validate_template(make_docx("x", image=heavy))
    assert codes(problems) == ["image_too_large"]
    assert problems[0].location is not None and problems[0].location.startswith("word/media/")


def test_image_with_too_many_pixels_is_refused():
    problems = validate_template(make_docx("x", image=png_header(30_000, 30_000)))
    assert codes(problems) == ["image_too_large"]
    assert "30000×30000" in problems[0].message


def test_macro_document_is_refused():
    source = zipfile.ZipFile(io.BytesIO(make_docx("x")))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            target.writestr(info, data)
    assert "macro" in codes(validate_template(output.getvalue()))


def test_syntax_error_names_the_paragraph():
    problems = validate_template(
        make_docx("Пән: {{ discipline }}", "Емтихан: {% for s in students %}", "end"), ALLOWED
    )
    assert codes(problems) == ["syntax"]
    assert "endfor" in problems[0].message


def test_syntax_error_location_is_the_paragraph_text():
    problems = validate_template(make_docx("ok", "Баға: {{ discipline }", "ok"), ALLOWED)
    assert codes(problems) == ["syntax"]
    # docxtpl joins an unclosed tag with the text that follows it, so only the start is exact.
    assert (problems[0].location or "").startswith("/word/document.xml: «Баға: {{ discipline }")


def test_unknown_filter_is_refused():
    assert codes(validate_template(make_docx("{{ discipline|kzdate }}"), ALLOWED)) == ["unknown_filter"]


def test_undefined_variable_is_refused_with_its_name_and_place():
    problems = validate_template(make_docx("ok", "GPA: {{ gpa }}"), ALLOWED)
    assert codes(problems) == ["unknown_variable"]
    assert "gpa" in problems[0].message
    assert problems[0].location == "/word/document.xml: «GPA: {{ gpa }}»"


def test_unknown_field_of_a_loop_item_is_refused():
    template = make_docx("{% for s in students %}{{ s.name }} {{ s.gpa }}{% endfor %}")
    problems = validate_template(template, ALLOWED)
    assert codes(problems) == ["unknown_field"]
    assert "gpa" in problems[0].message


def test_unknown_field_of_an_object_is_refused():
    assert codes(validate_template(make_docx("{{ examiner.email }}"), ALLOWED)) == ["unknown_field"]


def test_header_variables_are_checked_too():
    problems = validate_template(make_docx("x", header="{{ rector }}"), ALLOWED)
    assert codes(problems) == ["unknown_variable"]
    assert problems[0].location is not None and "header" in problems[0].location


@pytest.mark.parametrize(
    ("expression", "what"),
    [
        ("{{ discipline.__class__ }}", "__class__"),
        ("{{ ''.__class__.__mro__ }}", "__mro__"),
        ("{{ discipline.__init__.__globals__ }}", "__globals__"),
        ("{{ students._private }}", "_private"),
        ("{{ discipline['__class__'] }}", "__class__"),
        ("{{ discipline|attr('__class__') }}", "attr"),
        ("{{ (1).mro }}", "mro"),
        ("{{ self }}", "self"),
        ("{% include 'other.docx' %}", "include"),
    ],
)
def test_reaching_for_python_internals_is_refused(expression, what):
    problems = validate_template(make_docx("ok", expression), ALLOWED)
    assert "forbidden" in codes(problems)
    forbidden = next(p for p in problems if p.code == "forbidden")
    assert what in forbidden.message
    assert forbidden.location is not None and expression in forbidden.location


def test_ensure_valid_template_raises_with_the_problems():
    with pytest.raises(TemplateInvalid) as caught:
        ensure_valid_template(make_docx("{{ gpa }}"), ALLOWED)
    assert codes(caught.value.problems) == ["unknown_variable"]
    ensure_valid_template(make_docx("{{ discipline }}"), ALLOWED)


def test_signing_route_fields_are_checked():
    template = make_docx("{{ signature_field('examiner') }}", "{{ signature_field('dean') }}")
    assert validate_template(template, signature_fields=["examiner", "dean"]) == []
    assert codes(validate_template(template, signature_fields=["examiner"])) == ["signature_field_unknown"]
    assert codes(validate_template(template, signature_fields=["examiner", "dean", "rector"])) == [
        "signature_field_missing"
    ]
    twice = make_docx("{{ signature_field('dean') }}", "{{ signature_field('dean') }}")
    assert codes(validate_template(twice, signature_fields=["dean"])) == ["signature_field_repeated"]
    computed = make_docx("{{ signature_field(role) }}")
    assert "signature_field_computed" in codes(validate_template(computed, signature_fields=[]))


def test_the_default_order_places_its_route():
    assert validate_template(internal_order_template(), signature_fields=["author", "approver"]) == []
