"""A rendering records the emblem version it showed, and a re-render shows that same version.

Without it, a re-render after a new emblem upload would show the new picture: the stored PDF could
not be reproduced, and nothing would say which picture it carried.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from PIL import Image

from records.models import Document, Job, Role
from records.selectors.diplomas import diploma_batch_documents
from records.services.diplomas import diploma_batch_start
from records.services.jobs import job_run
from records.services.rendering import version_render
from records.services.university import university_emblem_upload
from tests.records.diplomas.conftest import CohortFixture

pytestmark = pytest.mark.libreoffice


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(output, "PNG")
    return output.getvalue()


def _first_page_images(pdf: bytes) -> list[bytes]:
    """The raw bytes of every picture on page 1 (the emblem and the QR code)."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        return sorted(bytes(image.read_raw_bytes()) for image in page.get_images().values())


def test_the_rendering_records_the_emblem_version_and_a_re_render_uses_it(
    users: dict[str, Any], cohort: CohortFixture
) -> None:
    admin = users[Role.ADMINISTRATOR]
    first = university_emblem_upload(by=admin, content=_png(120, 120, (200, 30, 30)))
    job = diploma_batch_start(by=users[Role.REGISTRAR], group_code=cohort.group_code, date=cohort.date)
    assert job_run(job.pk).state == Job.State.DONE
    diploma = Document.objects.filter(pk__in=diploma_batch_documents(job), kind="diploma").first()
    assert diploma is not None and diploma.current_version is not None
    version = diploma.current_version
    recorded = {"identifier": first.identifier, "version": 1, "sha256": first.sha256}
    assert version.provenance["assets"] == {"emblem": recorded}
    stored_pdf = version.pdf_blob.read()  # type: ignore[union-attr]

    second = university_emblem_upload(by=admin, content=_png(200, 180, (30, 30, 200)))
    assert second.active and second.number == 2
    _docx, pdf, provenance = version_render(document=diploma, version=version, store=False)
    assert provenance["assets"] == {"emblem": recorded}
    assert _first_page_images(pdf) == _first_page_images(stored_pdf)
