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


def test_kazakh_pages_write_dates_as_kazakh_documents_do() -> None:
    """Django has no kk formats: without ours a kk page read "Жел. 4, 2026"."""
    import datetime

    from django.utils import formats, translation

    with translation.override("kk"):
        assert formats.date_format(datetime.date(2026, 12, 4)).startswith("2026 жылғы 4 ")
        assert formats.date_format(datetime.date(2026, 12, 4), "SHORT_DATE_FORMAT") == "04.12.2026"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_kazakh_and_russian_pages_write_a_decimal_comma_and_group_thousands_with_a_space(
    language: str,
) -> None:
    """Django has no kk number formats: a kk page printed "418.33" where a ru page printed "418,33"."""
    from decimal import Decimal

    from django.utils import formats, translation

    with translation.override(language):
        assert formats.localize(Decimal("418.33")) == "418,33"
        assert formats.number_format(Decimal("12345.5"), force_grouping=True) == "12\xa0345,5"


def test_kazakh_month_names_are_written_in_lower_case() -> None:
    """Django's kk catalog capitalises months ("4 Желтоқсан"); Kazakh writes "4 желтоқсан"."""
    import datetime

    from django.utils import formats, translation

    months = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()
    with translation.override("kk"):
        for number, month in enumerate(months, start=1):
            day = datetime.date(2026, number, 4)
            assert formats.date_format(day) == f"2026 жылғы 4 {month}"
            assert formats.date_format(day, "E") == month
