"""Every academic kind: its sample data validates and its default template passes template validation."""

from __future__ import annotations

from typing import Any

import pytest

from doctemplates.validation import validate_template
from records.kinds.base import get_kind
from records.kinds.templates import default_template
from records.selectors.templates import template_allowed_names

ACADEMIC_KINDS = [
    "academic_policy",
    "grade_statement",
    "transcript",
    "working_curriculum",
    "final_attestation_protocol",
    *(
        f"student_order_{t}"
        for t in (
            "enrollment",
            "transfer",
            "academic_leave",
            "return_from_leave",
            "expulsion",
            "reinstatement",
            "next_year",
            "final_attestation_admission",
            "graduation",
        )
    ),
]


@pytest.mark.parametrize("code", ACADEMIC_KINDS)
def test_sample_and_default_template(db: Any, code: str) -> None:
    kind = get_kind(code)
    assert kind.validate(kind.sample_data)
    assert kind.validate_db is not None or kind.project is not None
    for language in ("kk", "ru", "en"):
        docx, identifier = default_template(code, language)
        assert identifier.startswith("default:")
        problems = validate_template(
            docx, template_allowed_names(kind), signature_fields=[step.code for step in kind.signing_route]
        )
        assert problems == [], (code, language, problems)


def test_statement_route_is_examiner_head_registrar() -> None:
    assert [(s.code, s.role) for s in get_kind("grade_statement").signing_route] == [
        ("examiner", "teacher"),
        ("head", "head_of_department"),
        ("registrar", "registrar"),
    ]
    order = get_kind("student_order_expulsion")
    assert (order.series, [s.role for s in order.signing_route]) == ("Б-ОС", ["rector"])
    assert order.approver_roles == {"dean", "registrar", "vice_rector"}
