"""A back-office page's header (the breadcrumb trail Wagtail shows) ends with the page's own name.

The audit trail page's header read "Главная" (Home): its trail stopped at Home. Every language's
header must name the page.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from records.models import Role

HEADERS = {"kk": "Аудит журналы", "ru": "Журнал аудита", "en": "Audit trail"}


def breadcrumb_labels(html: str) -> list[str]:
    """The visible labels of the header's breadcrumb trail, in order."""
    nav = re.search(r'<nav[^>]*aria-label="[^"]*"[^>]*>\s*<ol.*?</ol>', html, re.S)
    assert nav is not None, "no breadcrumb trail in the header"
    items = re.findall(r"<li\b.*?</li>", nav.group(0), re.S)
    texts = [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]
    return [text for text in texts if text]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_audit_trail_header_names_the_page(client: Any, staff: dict[str, Any], language: str) -> None:
    client.force_login(staff[Role.AUDITOR])
    client.cookies["django_language"] = language
    response = client.get("/admin/registry/audit/")
    assert response.status_code == 200
    labels = breadcrumb_labels(response.content.decode())
    assert labels[-1] == HEADERS[language], labels
