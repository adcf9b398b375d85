"""/verify/ reads an unknown upload's text only where it can be cut off (issue 11: nothing stalls).

Before: a 2 KB PDF whose pages repeat one content stream of 100,000 text operators took 16 s of
server CPU, and 3,000 such pages would take hours. Now the text is read in a child with a CPU,
memory and time limit, page and content budgets; a cut reading says so in the answer. Each test
asserts which limit was hit, never the wall time.
"""

from __future__ import annotations

import io
from typing import Any

import pytest

from doctemplates.limits import Limits
from doctemplates.provenance import TextBounds, pdf_text_bounded
from records.models import Document
from records.selectors.verification import CODE_RE, verify_pdf_for_public
from tests.doctemplates.builders import hostile_pdf

CUT = "too large or too complex to read its text in full"


@pytest.fixture
def pki(registered_doc: Document) -> Document:
    """The local PKI (and a registered document) the verifier needs."""
    return registered_doc


def test_pages_repeating_100000_text_operators_are_cut_by_the_content_budget(pki: Document) -> None:
    pdf = hostile_pdf(pages=50, operators=100_000)
    assert len(pdf) < 16 * 1024
    verdict = verify_pdf_for_public(pdf)
    assert verdict.text_cut == "content"
    assert any(CUT in str(problem) for problem in verdict.problems)
    assert not verdict.ok and not verdict.registry.found


def test_three_thousand_pages_are_cut_by_the_page_budget(pki: Document) -> None:
    verdict = verify_pdf_for_public(hostile_pdf(pages=3000, operators=10))
    assert verdict.text_cut == "pages"
    assert any(CUT in str(problem) for problem in verdict.problems)


def test_a_page_that_calls_a_heavy_form_many_times_is_cut_by_the_cpu_limit(pki: Document) -> None:
    """Tiny content streams, 10 million operators through a form XObject: only the CPU limit stops it."""
    pdf = hostile_pdf(pages=1, operators=1000, form_calls=10_000)
    verdict = verify_pdf_for_public(pdf)
    assert verdict.text_cut == "cpu"
    assert any(CUT in str(problem) for problem in verdict.problems)


def test_the_limits_of_the_reading_are_its_own_not_the_servers() -> None:
    """The same heavy page under a one-second budget: cut by CPU, nothing comes back but the reason."""
    bounds = TextBounds(limits=Limits(cpu_seconds=1, memory_bytes=256 * 1024 * 1024, wall_seconds=20))
    result = pdf_text_bounded(hostile_pdf(pages=2, operators=1000, form_calls=10_000), bounds=bounds)
    assert (result.cut, result.text) == ("cpu", "")


def test_a_link_on_the_first_page_is_found_without_reading_the_rest(pki: Document) -> None:
    """The verification link is looked for first and last page first, and reading stops once found."""
    link = f"https://example.org/verify/{pki.verification_code}/"
    pdf = hostile_pdf(pages=3000, operators=2_000, first_line=link)
    result = pdf_text_bounded(pdf, stop_at=CODE_RE)
    assert (result.cut, result.pages_read) == ("", 1)
    verdict = verify_pdf_for_public(pdf)
    assert verdict.registry.found and verdict.registry.number == pki.registry_number
    assert verdict.text_cut == ""
    assert not verdict.ok  # not the registered bytes, and unsigned


def test_the_public_page_answers_a_hostile_upload_with_the_cut_and_a_200(pki: Document, client: Any) -> None:
    response = client.post(
        "/verify/", {"file": io.BytesIO(hostile_pdf(pages=50, operators=100_000))}, format="multipart"
    )
    assert response.status_code == 200
    assert CUT in response.content.decode()
