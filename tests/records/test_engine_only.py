"""Only the lifecycle engine moves a document between states (issue 15: certificates, diplomas and the
diploma kind's projection called transition methods themselves, skipping the permission check and the
per-transition audit events).

Read from the source, not from a run: every call of a transition method (`document.approve()`) and
every call of an attribute fetched by name (`getattr(document, name)()`) in `records/` is found by
walking the syntax tree; the one module allowed to make them is records/services/document.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

from records.lifecycle import TRANSITION_LABELS

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "records" / "services" / "document.py"
TRANSITIONS = set(TRANSITION_LABELS)


def transition_calls(source: str) -> list[tuple[int, str]]:
    """(line, what) of every zero-argument call of a transition method and every `getattr(...)()`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or node.args or node.keywords:
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in TRANSITIONS:
            found.append((node.lineno, f".{func.attr}()"))
        elif isinstance(func, ast.Call) and isinstance(func.func, ast.Name) and func.func.id == "getattr":
            found.append((node.lineno, "getattr(...)()"))
    return found


def test_the_detector_finds_both_forms_of_a_transition_call() -> None:
    """The check itself can fail: it sees a direct call and a call by name, and ignores other calls."""
    source = "document.approve()\nfor t in names:\n    getattr(document, t)()\nadmin.register(Model)\nform.save()\n"
    assert transition_calls(source) == [(1, ".approve()"), (3, "getattr(...)()")]


def test_only_the_engine_calls_transition_methods() -> None:
    offenders = []
    for path in sorted((ROOT / "records").rglob("*.py")):
        if path == ENGINE or "migrations" in path.parts:
            continue
        for line, what in transition_calls(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(ROOT)}:{line} {what}")
    assert offenders == []


def test_the_engine_does_call_them() -> None:
    """The engine is where transitions happen (so the test above is not vacuous about its location)."""
    assert transition_calls(ENGINE.read_text(encoding="utf-8")) != []
