"""The interface speaks Kazakh, Russian and English: every catalog entry is translated and compiles."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_entry_is_translated_and_not_fuzzy(language: str) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr.strip()
    assert "translated message" in stats
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{language}: {stats}"


@pytest.mark.parametrize(("language", "expected"), [("kk", "Жоба"), ("ru", "Черновик"), ("en", "Draft")])
def test_the_state_names_are_shown_in_the_active_language(language: str, expected: str) -> None:
    from records.lifecycle import State

    with translation.override(language):
        assert str(State.DRAFT.label) == expected
