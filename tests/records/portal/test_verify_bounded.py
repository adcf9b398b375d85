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
from records.selectors.document import document_current_pdf
from records.selectors.verification import CODE_RE, UnreadablePdf, verify_pdf_for_public
from tests.doctemplates.builders import hostile_pdf
from tests.signing.hostile import deeply_nested_pdf, huge_xref_pdf, many_signatures_pdf

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


# The signature check (pyHanko) of an unknown upload runs in a limited child too (issue 11). Before,
# it ran in the web process without limits: the 17 KB file declaring two million objects cost 15 s
# of server CPU, and each extra field pointing at one real signature another full validation.
SIGNATURES_CUT = "too large or too complex to check its signatures"


def test_a_cross_reference_stream_of_two_million_objects_is_cut(pki: Document) -> None:
    pdf = huge_xref_pdf(entries=2_000_000)
    assert len(pdf) < 64 * 1024
    verdict = verify_pdf_for_public(pdf)
    assert verdict.signatures_cut in ("cpu", "time")
    assert any(SIGNATURES_CUT in str(problem) for problem in verdict.problems)
    assert not verdict.authentic and not verdict.ok and verdict.signers == []


def test_thousands_of_fields_sharing_one_real_signature_are_cut(pki: Document) -> None:
    """Each copy is a CMS and certificate-path validation: 2,000 of them would cost about 30 s of CPU."""
    pdf = many_signatures_pdf(document_current_pdf(pki), copies=2000)
    verdict = verify_pdf_for_public(pdf)
    assert verdict.signatures_cut in ("cpu", "time")
    assert any(SIGNATURES_CUT in str(problem) for problem in verdict.problems)
    assert not verdict.authentic and not verdict.ok


def test_a_few_fields_sharing_one_signature_are_checked_and_found_altered(pki: Document) -> None:
    """Below the limits the same construction is checked in full: every copy is reported, none passes."""
    verdict = verify_pdf_for_public(many_signatures_pdf(document_current_pdf(pki), copies=3))
    assert verdict.signatures_cut == ""
    assert len(verdict.signers) == 4 and not any(signer["ok"] for signer in verdict.signers)
    assert not verdict.authentic


def test_deeply_nested_signature_data_is_refused_as_unreadable(pki: Document, client: Any) -> None:
    pdf = deeply_nested_pdf(depth=200_000)
    with pytest.raises(UnreadablePdf):
        verify_pdf_for_public(pdf)
    response = client.post("/verify/", {"file": io.BytesIO(pdf)}, format="multipart")
    assert response.status_code == 200
    assert "cannot be read" in response.content.decode()


def test_the_registered_pdf_still_verifies_in_the_limited_child(pki: Document) -> None:
    verdict = verify_pdf_for_public(document_current_pdf(pki))
    assert (verdict.signatures_cut, verdict.text_cut) == ("", "")
    assert verdict.ok and verdict.authentic and verdict.registry.is_registered_version


def test_the_public_page_answers_a_huge_cross_reference_table_with_a_200(pki: Document, client: Any) -> None:
    response = client.post(
        "/verify/", {"file": io.BytesIO(huge_xref_pdf(entries=2_000_000))}, format="multipart"
    )
    assert response.status_code == 200
    assert SIGNATURES_CUT in response.content.decode()
