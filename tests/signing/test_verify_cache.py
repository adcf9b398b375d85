"""A verification report is computed once per PDF, trust store, day and language, then reused."""

from __future__ import annotations

import shutil
from typing import Any

from django.core.cache import cache
from django.utils import translation

from signing import api, pki, verification


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


def test_the_archive_timestamp_expiry_is_computed_once_per_pdf_whatever_the_day(
    local_pki: Any, two_step_pdf: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.RECTORATE_PKI_DIR = local_pki.directory
    pdf, _dean, _rector = two_step_pdf
    calls: list[bytes] = []
    real = verification.verify_pdf

    def counting(data: bytes, **kwargs: Any) -> Any:
        calls.append(data)
        return real(data, **kwargs)

    monkeypatch.setattr(verification, "verify_pdf", counting)
    cache.clear()  # nothing stored yet for these bytes (the test above verified them)
    marked = pdf
    expires = api.archive_timestamp_expires(marked)
    assert (
        expires is not None
        and expires
        == real(
            marked,
            trust_roots=pki.trust_roots(local_pki.directory),
            crls=pki.current_crls(local_pki.directory),
            other_certs=pki.intermediate_certificates(local_pki.directory),
        ).archive_timestamp_expires
    )
    assert len(calls) == 1
    with translation.override("kk"):  # another language (and any later day) reuses the stored expiry
        assert api.archive_timestamp_expires(marked) == expires
    assert len(calls) == 1
