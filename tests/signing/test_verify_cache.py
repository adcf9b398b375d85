"""A verification report is computed once per PDF, trust store, day and language, then reused."""

from __future__ import annotations

import shutil
from typing import Any

from django.core.cache import cache
from django.utils import translation

from signing import api, pki, verification

from .conftest import simple_pdf


def test_the_same_pdf_is_validated_once_until_the_trust_store_changes(
    local_pki: Any, two_step_pdf: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    directory = tmp_path / "pki"
    shutil.copytree(local_pki.directory, directory)  # this test revokes: its own copy of the PKI
    settings.RECTORATE_PKI_DIR = directory
    pdf, _dean, _rector = two_step_pdf
    calls: list[bytes] = []
    real = verification.verify_pdf

    def counting(data: bytes, **kwargs: Any) -> Any:
        calls.append(data)
        return real(data, **kwargs)

    monkeypatch.setattr(verification, "verify_pdf", counting)
    first = api.verify(pdf)
    again = api.verify(pdf)
    assert first.ok and again.to_dict() == first.to_dict()
    assert len(calls) == 1  # the second answer is the stored report

    changed = pdf + b"\n% appended bytes\n"
    api.verify(changed)
    assert len(calls) == 2  # other bytes, another report

    with translation.override("ru"):
        api.verify(pdf)
    assert len(calls) == 3  # problems are worded in the reader's language

    pki.revoke_certificate(directory, "rector")  # the CRL changes: reports are computed anew
    api.verify(pdf)
    assert len(calls) == 4


def test_the_archive_timestamp_expiry_is_read_once_per_pdf_whatever_the_day_or_trust_store(
    local_pki: Any, two_step_pdf: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    """The LTV page's expiry is the report's ``archive_timestamp_expires``, read from the bytes without
    a validation, kept for those bytes: another language, day or CRL does not read the PDF again."""
    directory = tmp_path / "pki"
    shutil.copytree(local_pki.directory, directory)  # this test revokes: its own copy of the PKI
    settings.RECTORATE_PKI_DIR = directory
    pdf, _dean, _rector = two_step_pdf
    reads: list[bytes] = []
    validations: list[bytes] = []
    real_read, real_verify = verification.archive_timestamp_expiry, verification.verify_pdf

    def counting_read(data: bytes) -> Any:
        reads.append(data)
        return real_read(data)

    def counting_verify(data: bytes, **kwargs: Any) -> Any:
        validations.append(data)
        return real_verify(data, **kwargs)

    monkeypatch.setattr(verification, "archive_timestamp_expiry", counting_read)
    monkeypatch.setattr(verification, "verify_pdf", counting_verify)
    cache.clear()  # nothing stored yet for these bytes (the test above verified them)
    expires = api.archive_timestamp_expires(pdf)
    report = real_verify(
        pdf,
        trust_roots=pki.trust_roots(directory),
        crls=pki.current_crls(directory),
        other_certs=pki.intermediate_certificates(directory),
    )
    assert expires is not None and expires == report.archive_timestamp_expires
    assert (len(reads), len(validations)) == (1, 0)  # read from the tokens, no validation
    with translation.override("kk"):  # another language (and any later day) reuses the stored expiry
        assert api.archive_timestamp_expires(pdf) == expires
    pki.revoke_certificate(directory, "rector")  # a new CRL: the TSA certificate's end is the same
    assert api.archive_timestamp_expires(pdf) == expires
    assert (len(reads), len(validations)) == (1, 0)
    assert api.archive_timestamp_expires(simple_pdf()) is None  # no document timestamp, no expiry


def _count_difference_analyses(monkeypatch: Any) -> list[int]:
    """Count pyHanko's difference analyses (one per signed revision reviewed), still running them."""
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY

    calls: list[int] = []
    real = DEFAULT_DIFF_POLICY.review_file

    def counting(reader: Any, base_revision: Any, **kwargs: Any) -> Any:
        calls.append(base_revision)
        return real(reader, base_revision, **kwargs)

    monkeypatch.setattr(DEFAULT_DIFF_POLICY, "review_file", counting)
    return calls


def test_the_difference_analysis_runs_once_per_pdf_while_the_rest_is_checked_anew(
    local_pki: Any, two_step_pdf: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    """What later revisions changed is a fact of the bytes: kept across days, languages and trust
    stores. The signatures, certificates and revocation are checked again: a revocation shows at once."""
    directory = tmp_path / "pki"
    shutil.copytree(local_pki.directory, directory)  # this test revokes: its own copy of the PKI
    settings.RECTORATE_PKI_DIR = directory
    pdf, _dean, _rector = two_step_pdf
    cache.clear()
    analyses = _count_difference_analyses(monkeypatch)
    first = api.verify(pdf)
    assert first.ok and len(analyses) == len(first.signatures) + len(first.document_timestamps)
    reviewed = len(analyses)

    with translation.override("kk"):  # another report (language), no second analysis
        again = api.verify(pdf)
    assert len(analyses) == reviewed
    for ours, theirs in zip(again.signatures, first.signatures, strict=True):
        assert (ours.modification_level, ours.changed_after, ours.disallowed_changes, ours.ok) == (
            theirs.modification_level,
            theirs.changed_after,
            theirs.disallowed_changes,
            theirs.ok,
        )

    pki.revoke_certificate(directory, "rector")  # the trust store changed: checked anew at once
    revoked = api.verify(pdf)
    assert len(analyses) == reviewed  # the bytes did not change: their analysis stands
    assert not revoked.ok
    assert [s.revoked for s in revoked.signatures] == [False, True]

    changed = pdf + b"\n% appended bytes\n"  # other bytes: analysed on their own
    api.verify(changed)
    assert len(analyses) > reviewed


def test_a_stored_analysis_gives_the_same_verdict_on_a_pdf_changed_after_signing(
    local_pki: Any, two_step_pdf: Any, settings: Any, monkeypatch: Any
) -> None:
    """A forbidden change found once is found again from the stored analysis (not forgotten)."""
    from pyhanko.pdf_utils import generic

    from .test_verification import _incremental

    settings.RECTORATE_PKI_DIR = local_pki.directory
    pdf, _dean, _rector = two_step_pdf

    def replace_content(writer: Any) -> None:
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT (Forged) Tj ET"))
        writer.update_container(page)

    forged = _incremental(pdf, replace_content)
    cache.clear()
    analyses = _count_difference_analyses(monkeypatch)
    first = api.verify(forged)
    reviewed = len(analyses)
    with translation.override("ru"):
        again = api.verify(forged)
    assert len(analyses) == reviewed  # from the stored analysis...
    for report in (first, again):  # ...with the same verdict: changed after signing, not ok
        assert not report.ok
        assert all(s.modification_level == "OTHER" and s.disallowed_changes for s in report.signatures)
