"""What hostile input costs the server now (issue 11, "nothing stalls"). Prints figures; asserts nothing.

Usage:
    .venv/bin/python bench/bench_stalls.py

- Text of an unknown upload: CPU of the old unbounded extraction (pdf_text) on the first pages of a
  2 KB PDF whose pages repeat 100,000 text operators, extrapolated to all of its pages, against the
  bounded extraction /verify/ now uses (this process's CPU plus the child's).
- Templates: {{ 10 ** 5000 }}, {{ 'x' * 10000000 }} and a never-ending loop: time to the refusal
  and how much this process grew (peak RSS).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.test")

import django  # noqa: E402

django.setup()

from doctemplates.errors import TemplateRenderError  # noqa: E402
from doctemplates.limits import Limits  # noqa: E402
from doctemplates.provenance import pdf_text, pdf_text_bounded  # noqa: E402
from doctemplates.rendering import render_docx  # noqa: E402
from tests.doctemplates.builders import hostile_pdf, make_docx  # noqa: E402


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    pages = 50
    pdf = hostile_pdf(pages=pages, operators=100_000)
    one_page = hostile_pdf(pages=1, operators=100_000)
    start = cpu()
    pdf_text(one_page)
    per_page = cpu() - start
    print(f"hostile PDF: {len(pdf)} bytes, {pages} pages of 100,000 text operators")
    print(f"  unbounded pdf_text: {per_page:.2f} s CPU per page -> ~{per_page * pages:.0f} s for the file")
    for name, document in (("50 pages", pdf), ("3,000 small pages", hostile_pdf(pages=3000, operators=10))):
        start, wall = cpu(), time.monotonic()
        result = pdf_text_bounded(document)
        print(
            f"  bounded, {name}: {cpu() - start:.2f} s CPU, {time.monotonic() - wall:.2f} s wall, cut: {result.cut}"
        )
    heavy_form = hostile_pdf(pages=1, operators=1000, form_calls=10_000)
    start, wall = cpu(), time.monotonic()
    result = pdf_text_bounded(heavy_form)
    print(f"  bounded, 10 M operators via a form: {cpu() - start:.2f} s CPU, cut: {result.cut}")

    for label, expression, limits in (
        ("{{ 10 ** 5000 }}", "{{ 10 ** 5000 }}", None),
        ("{{ 'x' * 10000000 }}", "{{ 'x' * 10000000 }}", None),
        (
            "nested range(100000) loops",
            "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}",
            Limits(cpu_seconds=10, memory_bytes=512 * 1024 * 1024, wall_seconds=30),
        ),
        ("{{ 'x'|center(2000000000) }}", "{{ 'x'|center(2000000000) }}", None),
    ):
        before, wall = rss_mb(), time.monotonic()
        try:
            render_docx(make_docx(expression), {}, limits=limits)
            outcome = "rendered"
        except TemplateRenderError as exc:
            outcome = exc.message[:70]
        print(
            f"template {label}: {time.monotonic() - wall:.2f} s, server grew {rss_mb() - before:.0f} MB: {outcome}"
        )


if __name__ == "__main__":
    main()
