"""The demo journals: realistic attendance, registered РК1 statements, past coursework and practice; replayable."""

from __future__ import annotations

from typing import Any

from records.demo.academic import seed_academic
from records.demo.journal import seed_journals
from records.demo.seed import seed_demo
from records.models import Document, GradeLine, Journal, JournalMark
from records.projections.replay import replay


def test_demo_journals_rk1_coursework_and_practice(db: Any) -> None:
    seed_demo(students=120, seed=4)
    seed_academic(seed=4, max_groups=3, signed=False)
    counts = seed_journals(seed=4)
    assert counts["journals"] >= 4 and counts["rating_statement"] == counts["journals"]
    assert counts["coursework_statement"] > 0 and counts["practice_statement"] > 0
    marks = JournalMark.objects.exclude(attendance="")
    present = marks.filter(attendance="present").count() / marks.count()
    assert 0.85 <= present <= 0.97, present
    assert marks.filter(attendance="excused").exists() and marks.filter(attendance="absent").exists()
    assert (
        Document.objects.filter(kind="rating_statement", state="registered").count()
        == counts["rating_statement"]
    )
    assert GradeLine.objects.filter(attempt_kind="coursework").exists()
    assert GradeLine.objects.filter(attempt_kind="practice", counts=True).exists()
    assert replay(check=True).differs is False
    assert seed_journals(seed=4) == {} and Journal.objects.count() == counts["journals"]
