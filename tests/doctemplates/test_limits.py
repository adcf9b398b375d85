"""Templates and other untrusted work run where they can be cut off (issue 11: nothing stalls).

Each test states the limit it expects to be hit and checks the outcome, never the wall time.
"""

from __future__ import annotations

import io
import os
import resource
import signal
import time

import pytest
from docx import Document

from doctemplates.errors import TemplateRenderError
from doctemplates.limits import ChildFailed, LimitHit, Limits, run_limited
from doctemplates.rendering import render_docx
from doctemplates.validation import validate_template
from tests.doctemplates.builders import make_docx

SMALL = Limits(cpu_seconds=1, memory_bytes=256 * 1024 * 1024, wall_seconds=20)


def _spin() -> None:
    while True:
        pass


def _allocate() -> int:
    return len(bytearray(2 * 1024 * 1024 * 1024))


def _sleep_ignoring_alarm() -> None:
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    time.sleep(60)


def test_a_result_and_an_exception_come_back_from_the_child():
    assert run_limited(sum, [1, 2, 3], limits=SMALL) == 6
    with pytest.raises(ZeroDivisionError):
        run_limited(divmod, 1, 0, limits=SMALL)


def test_the_child_is_stopped_at_its_cpu_limit():
    with pytest.raises(LimitHit) as caught:
        run_limited(_spin, limits=SMALL)
    assert caught.value.limit == "cpu"


def test_the_child_cannot_grow_past_its_memory_limit_and_the_parent_does_not_grow():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LimitHit) as caught:
        run_limited(_allocate, limits=SMALL)
    assert caught.value.limit == "memory"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB


def test_a_child_that_sleeps_through_its_alarm_is_killed_by_the_parent():
    limits = Limits(cpu_seconds=5, memory_bytes=0, wall_seconds=0.5)
    with pytest.raises(LimitHit) as caught:
        run_limited(_sleep_ignoring_alarm, limits=limits)
    assert caught.value.limit == "time"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGTERM)  # the child's own pid, read in the child


def test_a_child_that_dies_is_reported_not_waited_for():
    with pytest.raises(ChildFailed):
        run_limited(_die, limits=SMALL)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("{{ 10 ** 5000 }}", "power too large"),
        ("{{ 'x' * 10000000 }}", "repeats text"),
        ("{{ [1] * 10000000 }}", "repeats text"),
        ("{{ n ** e }}", "power too large"),
        ("{{ s * e }}", "repeats text"),
    ],
)
def test_a_huge_power_or_repetition_is_refused_naming_its_tag(expression, message):
    with pytest.raises(TemplateRenderError) as caught:
        render_docx(make_docx("Приказ", expression), {"n": 10, "e": 5000000, "s": "x"})
    assert message in caught.value.message
    assert expression in (caught.value.location or "")


def test_small_powers_and_repetitions_still_render():
    docx = render_docx(make_docx("{{ 2 ** 10 }} {{ '-' * 5 }} {{ 3 * 4 }}"), {})
    assert [p.text for p in Document(io.BytesIO(docx)).paragraphs] == ["1024 ----- 12"]


def test_a_template_that_loops_forever_is_stopped_at_the_cpu_limit_naming_its_tag():
    loop = "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}"
    with pytest.raises(TemplateRenderError) as caught:
        render_docx(make_docx("Приказ", loop), {}, limits=SMALL)
    assert "processor time" in caught.value.message
    assert "range(100000)" in (caught.value.location or "")


def test_a_template_that_needs_gigabytes_is_stopped_at_the_memory_limit():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(TemplateRenderError) as caught:
        render_docx(make_docx("{{ s|center(2000000000) }}"), {"s": "x"}, limits=SMALL)
    assert "MB of memory" in caught.value.message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB


def test_validation_refuses_a_huge_constant_without_computing_it():
    """Jinja folds constants while compiling; the check names the tag and never builds 10 MB."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems = validate_template(make_docx("ok", "{{ 'x' * 10000000 }}", "{{ 10 ** 5000 }}"))
    assert [p.code for p in problems] == ["too_large", "too_large"]
    assert "'x' * 10000000" in (problems[0].location or "")
    assert "10 ** 5000" in (problems[1].location or "")
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB


def test_validation_of_a_template_whose_constant_filter_is_huge_does_not_grow_the_server():
    """Jinja folds a filter on constants at compile time: validation compiles in the limited child,
    where the 2 GB string fails (Jinja then leaves it to rendering, which refuses it)."""
    template = make_docx("{{ 'x'|center(2000000000) }}")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert validate_template(template) == []
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB
    with pytest.raises(TemplateRenderError, match="MB of memory"):
        render_docx(template, {}, limits=SMALL)
