"""Anyone verifies: the CLI's exit codes and the public pages, for intact, doctored and revoked documents."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from records.models import Document, Role
from records.selectors.document import document_current_pdf
from records.services.document import document_transition


def _verify(path: Path, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", str(path), *extra, stdout=out, stderr=io.StringIO())
    return int(exc.value.code or 0), out.getvalue()


def _doctored(pdf: bytes) -> bytes:
    """An incremental update after signing that changes the page content."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    from pyhanko.pdf_utils import generic

    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (FORGED) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_cli_exit_codes_intact_doctored_unreadable_revoked(
    registered_doc: Document, users: dict[str, Any], tmp_path: Path
) -> None:
    pdf = document_current_pdf(registered_doc)
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf)
    code, out = _verify(good, "--json")
    report = json.loads(out)
    assert code == 0, out
    assert report["registry"]["number"] == registered_doc.registry_number
    assert report["signers"][0]["role"] == "rector"

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_doctored(pdf))
    code, out = _verify(bad)
    assert code == 1 and "NOT VALID" in out

    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf at all")
    assert _verify(junk)[0] == 2

    document_transition(document=registered_doc, by=users[Role.RECTOR], name="revoke", reason="Ошибка")
    code, out = _verify(good)
    assert code == 1 and "Revoked" in out


def test_public_pages_say_authentic_and_in_force_and_show_no_personal_data(
    registered_doc: Document, client: Any
) -> None:
    response = client.get(f"/verify/{registered_doc.verification_code}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Authentic and in force." in body
    assert registered_doc.registry_number in body
    assert registered_doc.title not in body  # the title may name a person: not shown to third parties

    pdf = document_current_pdf(registered_doc)
    response = client.post("/verify/", {"file": io.BytesIO(_doctored(pdf))}, format="multipart")
    assert response.status_code == 200
    assert (
        "changed after this signature" in response.content.decode()
        or "Authentic" not in response.content.decode()
    )

    assert client.get("/verify/AAAAAAAAAAAA/").status_code == 404
    assert client.post("/verify/", {}).status_code == 400
