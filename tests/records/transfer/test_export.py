"""Transfer to the archive: an exported bag validates with the bagit library, its PDFs verify offline
against the bag's own roots (pyHanko, no database), its events and version data check against their
hashes, and a changed payload file fails validation."""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path
from typing import Any

import bagit
import pytest
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import ValidationContext

from records.errors import RecordsError
from records.models import ArchiveTransfer, AuditEvent, Document
from records.selectors.transfer import Selection
from records.services.transfer import transfer_export, transfer_start


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _export(document: Document, tmp_path: Path) -> ArchiveTransfer:
    return transfer_export(by=None, selection=Selection(ids=(document.pk,)), out_dir=tmp_path)


def _roots(bag: Path) -> list[asn1_x509.Certificate]:
    pem = (bag / "data" / "trust" / "roots.pem").read_bytes()
    return [asn1_x509.Certificate.load(der) for _t, _h, der in asn1_pem.unarmor(pem, multiple=True)]


def test_an_exported_bag_validates_and_carries_the_record(registered_doc: Document, tmp_path: Path) -> None:
    """The bag is valid for the bagit library; bag-info names the university and the selection; the
    record's folder holds its version data, its signed PDF, its events and a validation report."""
    transfer = _export(registered_doc, tmp_path)
    bag = bagit.Bag(transfer.bag_path)
    bag.validate()  # raises BagValidationError on any problem
    assert bag.info["External-Identifier"] == transfer.identifier
    assert bag.info["Source-Organization"]
    assert bag.info["Record-Count"] == "1"
    assert bag.info["Payload-Oxum"] == transfer.payload_oxum
    manifest = Path(transfer.bag_path) / "manifest-sha256.txt"
    assert hashlib.sha256(manifest.read_bytes()).hexdigest() == transfer.manifest_sha256

    folder = Path(transfer.bag_path) / "data" / "records" / str(registered_doc.pk)
    record = json.loads((folder / "record.json").read_text())
    assert record["registry_number"] == registered_doc.registry_number
    version = record["versions"][0]
    assert hashlib.sha256(_canonical(version["data"]).encode()).hexdigest() == version["data_sha256"]
    assert record["authoritative_pdf"] == "v1-signed.pdf"
    validation = json.loads((folder / "validation.json").read_text())
    assert validation["ok"] is True and validation["report"]["signatures"]

    events = json.loads((folder / "events.json").read_text())
    stored = list(AuditEvent.objects.filter(document=registered_doc).values_list("hash", flat=True))
    assert [e["hash"] for e in events] == stored
    for event in events:  # each event checks against its chain hash from the bag alone
        digest = hashlib.sha256((event["prev_hash"] + _canonical(event["payload"])).encode()).hexdigest()
        assert digest == event["hash"]
    assert AuditEvent.objects.filter(action="transfer.export", object_id=str(transfer.pk)).exists()


def test_the_pdfs_of_a_bag_verify_offline_with_its_roots(
    registered_doc: Document, tmp_path: Path, django_db_blocker: Any
) -> None:
    """pyHanko validates every signature of the exported PDF against the bag's root certificates and
    the revocation data in the PDF, with no database and no network."""
    transfer = _export(registered_doc, tmp_path)
    bag = Path(transfer.bag_path)
    with django_db_blocker.block():
        roots = _roots(bag)
        pdf = (bag / "data" / "records" / str(registered_doc.pk) / "v1-signed.pdf").read_bytes()
        reader = PdfFileReader(__import__("io").BytesIO(pdf))
        signatures = list(reader.embedded_regular_signatures)
        assert signatures
        kwargs = {"trust_roots": roots, "allow_fetching": False, "revocation_mode": "hard-fail"}
        context = DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
        for signature in signatures:
            status = validate_pdf_signature(signature, context)
            assert status.bottom_line, status.pretty_print_details()
        # The same PDF against another root does not verify: the check depends on the bag's roots.
        other = ValidationContext(trust_roots=[], allow_fetching=False)
        assert not validate_pdf_signature(signatures[0], other).bottom_line


def test_a_changed_payload_file_fails_validation(registered_doc: Document, tmp_path: Path) -> None:
    transfer = _export(registered_doc, tmp_path)
    pdf = Path(transfer.bag_path) / "data" / "records" / str(registered_doc.pk) / "v1-signed.pdf"
    content = bytearray(pdf.read_bytes())
    content[len(content) // 2] ^= 0x01
    pdf.write_bytes(bytes(content))
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(transfer.bag_path).validate()


def test_the_command_prints_the_bag_path(registered_doc: Document, tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "archive",
        "export",
        "--ids",
        str(registered_doc.pk),
        "--out",
        str(tmp_path),
        stdout=out,
        stderr=StringIO(),
    )
    path = out.getvalue().strip().splitlines()[-1]
    assert Path(path).parent == tmp_path.resolve()
    bagit.Bag(path).validate()
    kind_out = StringIO()
    call_command(
        "archive",
        "export",
        "--kind",
        "internal_order",
        "--out",
        str(tmp_path),
        stdout=kind_out,
        stderr=StringIO(),
    )
    assert bagit.Bag(kind_out.getvalue().strip()).info["Record-Count"] == "1"


def test_an_empty_selection_is_refused_and_changes_nothing(registered_doc: Document, tmp_path: Path) -> None:
    with pytest.raises(RecordsError):
        transfer_start(by=None, selection=Selection(kind="transcript"), out_dir=tmp_path, operator=True)
    assert not ArchiveTransfer.objects.exists()
    assert not list(tmp_path.iterdir())


def test_a_series_of_the_file_plan_is_exported_by_its_index(
    plan: Document, registered_doc: Document, tmp_path: Path
) -> None:
    """`--series INDEX`: the records filed in the series of the nomenclature in force, named in bag-info."""
    out = StringIO()
    call_command(
        "archive", "export", "--series", "01-05", "--out", str(tmp_path), stdout=out, stderr=StringIO()
    )
    bag = bagit.Bag(out.getvalue().strip())
    bag.validate()
    assert bag.info["Bag-Group-Identifier"] == "01-05" and bag.info["Record-Count"] == "1"
    assert (Path(bag.path) / "data" / "records" / str(registered_doc.pk) / "record.json").exists()
    with pytest.raises(CommandError, match="99-99"):
        call_command("archive", "export", "--series", "99-99", "--out", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="No registered record"):  # a series with nothing in it
        call_command("archive", "export", "--series", "01-01", "--out", str(tmp_path), stdout=StringIO())
