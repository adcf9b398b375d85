"""Kinds declare their default layout (issue 15: layouts were chosen by an if-chain on kind codes in
records/kinds/templates.py). Adding a layout is one attribute of the kind."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from records.kinds import templates
from records.kinds.base import KINDS, get_kind
from records.kinds.templates import build_default_template, plain_layout


def test_a_kind_s_own_layout_is_what_its_default_template_is_built_from() -> None:
    base = get_kind("internal_order")
    marker = b"PK-a designed layout"
    kind = dataclasses.replace(
        base, code="engine_test_kind", layout=lambda kind, language: marker + language.encode()
    )
    KINDS[kind.code] = kind
    try:
        docx, identifier = build_default_template(kind.code, "kk")
        assert docx == marker + b"kk" and identifier.startswith("default:")
        KINDS[kind.code] = dataclasses.replace(kind, layout=None)
        plain, _id = build_default_template(kind.code, "ru")
        assert plain == plain_layout(kind, "ru")
    finally:
        del KINDS[kind.code]


def test_the_template_module_does_not_branch_on_kind_codes() -> None:
    tree = ast.parse(Path(templates.__file__).read_text(encoding="utf-8"))
    branches = [
        node.lineno
        for node in ast.walk(tree)
        if (
            isinstance(node, ast.Compare)
            and any(
                isinstance(side, ast.Name) and side.id == "kind_code"
                for side in [node.left, *node.comparators]
            )
        )
        or (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Attribute)
            and node.left.attr == "code"
        )
    ]
    assert branches == []
