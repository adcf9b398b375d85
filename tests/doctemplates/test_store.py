"""The template store: content-addressed, verified on read, immutable, one active version per slot."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from doctemplates.models import TemplateVersion
from doctemplates.store import (
    StoredTemplateCorrupt,
    active_template_version,
    blob_path,
    template_version_activate,
    template_version_by_identifier,
    template_version_check,
    template_version_docx,
    template_version_store,
    template_versions,
)
from doctemplates.validation import TemplateInvalid
from tests.doctemplates.builders import make_docx


@pytest.fixture
def author(db: Any) -> Any:
    return get_user_model().objects.create_user("methodologist")


def store(author: Any, text: str = "v", language: str = "ru") -> TemplateVersion:
    return template_version_store(
        kind="internal_order", language=language, docx=make_docx(text), author=author
    )


def test_a_version_is_stored_by_its_hash_and_read_back_verified(author: Any) -> None:
    docx = make_docx("Приказ {{ number }}")
    version = template_version_store(kind="internal_order", language="ru", docx=docx, author=author)
    sha = hashlib.sha256(docx).hexdigest()
    assert (version.number, version.sha256, version.size, version.active) == (1, sha, len(docx), False)
    assert storages["blobs"].exists(f"{sha[:2]}/{sha}")
    assert template_version_docx(version) == docx
    assert version.identifier == f"tv:{version.pk}:{sha[:16]}"


def test_versions_are_numbered_per_kind_and_language(author: Any) -> None:
    assert [store(author, t).number for t in ("a", "b", "c")] == [1, 2, 3]
    assert store(author, "kk", language="kk").number == 1
    assert [v.number for v in template_versions("internal_order", "ru")] == [3, 2, 1]


def test_a_tampered_file_is_never_returned(author: Any) -> None:
    version = store(author)
    path = storages["blobs"].path(blob_path(version.sha256))
    with open(path, "ab") as fh:
        fh.write(b"tampered")
    with pytest.raises(StoredTemplateCorrupt):
        template_version_docx(version)


def test_a_stored_version_cannot_change_its_bytes(author: Any) -> None:
    version = store(author)
    version.sha256 = "0" * 64
    with pytest.raises(ValueError):
        version.save()
    with pytest.raises(ValueError):
        version.save(update_fields=["sha256", "active"])
    version.refresh_from_db()
    assert version.sha256 != "0" * 64


def test_activating_keeps_exactly_one_active_version_and_the_history(author: Any) -> None:
    first, second = store(author, "1"), store(author, "2")
    assert active_template_version("internal_order", "ru") is None
    assert template_version_activate(template_version=first) is None
    assert template_version_activate(template_version=second) == first
    assert active_template_version("internal_order", "ru") == second
    first.refresh_from_db()
    assert (first.active, second.active) == (False, True)
    assert first.active_until == second.active_from and second.active_until is None
    assert TemplateVersion.objects.count() == 2


def test_the_database_refuses_two_active_versions(author: Any) -> None:
    first, second = store(author, "1"), store(author, "2")
    TemplateVersion.objects.filter(pk=first.pk).update(active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        TemplateVersion.objects.filter(pk=second.pk).update(active=True)


def test_an_identifier_finds_its_version_only_with_the_right_hash(author: Any) -> None:
    version = store(author)
    assert template_version_by_identifier(version.identifier) == version
    assert template_version_by_identifier(f"tv:{version.pk}:{'0' * 16}") is None
    assert template_version_by_identifier("default:0123456789abcdef") is None


def test_check_raises_with_the_problems_and_stores_nothing(author: Any) -> None:
    with pytest.raises(TemplateInvalid) as caught:
        template_version_check(
            make_docx("{{ gpa }}"), allowed={"number": None}, signature_fields=None, max_bytes=10**6
        )
    assert [p.code for p in caught.value.problems] == ["unknown_variable"]
    with pytest.raises(TemplateInvalid) as caught:
        template_version_check(make_docx("x"), allowed=None, signature_fields=None, max_bytes=100)
    assert [p.code for p in caught.value.problems] == ["too_large"]
    assert TemplateVersion.objects.count() == 0
