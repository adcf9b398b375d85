"""Every kind has its default templates in the repository, equal to their layouts, and each one passes
the same checks as an uploaded template (schema variables, signature fields, sandbox)."""

from __future__ import annotations

import pytest

from doctemplates.store import template_version_check
from records.kinds.base import all_kinds, get_kind
from records.kinds.templates import build_default_template, default_template_path
from records.selectors.templates import template_allowed_names

CASES = [(kind.code, lang) for kind in all_kinds() for lang in kind.template_languages]


@pytest.mark.parametrize(("kind_code", "language"), CASES)
def test_the_committed_default_template_is_its_layout_and_valid(kind_code: str, language: str) -> None:
    path = default_template_path(kind_code, language)
    assert path.exists(), f"run: manage.py templates export-defaults ({path.name} is missing)"
    built, _id = build_default_template(kind_code, language)
    assert path.read_bytes() == built, f"{path.name} differs from its layout: run templates export-defaults"
    kind = get_kind(kind_code)
    fields = [step.code for step in kind.signing_route] + list(kind.extra_signature_fields)
    template_version_check(
        path.read_bytes(), allowed=template_allowed_names(kind), signature_fields=fields, max_bytes=10_000_000
    )
