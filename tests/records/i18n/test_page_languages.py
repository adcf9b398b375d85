"""Every back-office and portal page of every role speaks the language asked for.

A crawler signs in as each role, opens the dashboard and follows the links of the pages it finds
(two levels, GET only), in Kazakh, Russian and English. English pages must hold no Cyrillic and
Kazakh and Russian pages no Latin words, outside data values (names, codes, user names of the
fixture) and a short list of tokens that are the same in every language (PDF, GPA, QR, ...).
Text inside <code> and form values are data, not interface, and are left out.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from records.models import OrgUnit, Person, Programme, Role, StudyGroup

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
LATIN_WORD = re.compile(r"(?<![\w.@/-])[A-Za-z][A-Za-z]{2,}(?![\w.@/-])")
SAME_IN_EVERY_LANGUAGE = {
    "PDF",
    "XLSX",
    "CSV",
    "DOCX",
    "SHA",
    "GPA",
    "QR",
    "LTV",
    "JSON",
    "API",
    "OpenAPI",
    "PAdES",
    "CRL",
    "OCSP",
    "TSA",
    "ECTS",
    "LTA",
    "URL",
    "ZIP",
    "PKCS",
    "English",
    "JavaScript",
    "SVG",
    "PNG",
}
LANGUAGE_NAMES = {"Қазақша", "Русский", "English"}
SKIP_PARTS = (
    "logout",
    "pdf",
    "export",
    "download",
    ".json",
    "preview",
    "status",
    "/reset/",
    "lookup",
    "password",
)
FOLLOW = re.compile(
    r"^/(admin/(registry|statements|templates|diplomas|scholarship|search|signing|account)/|admin/$|portal/)"
)
MAX_PAGES = 20


class _Text(HTMLParser):
    """Visible text and the labels people read in attributes; code samples and scripts skipped."""

    SKIP = {"script", "style", "code", "template", "svg", "textarea", "option"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.chunks: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self.SKIP:
            self.depth += 1
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        for name in ("placeholder", "aria-label", "title", "alt"):
            if values.get(name) and not self.depth:
                self.chunks.append(str(values[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth and data.strip():
            self.chunks.append(data.strip())


def data_values() -> set[str]:
    """Words of the fixture's data (names, codes, usernames): shown as they are in every language."""
    words: set[str] = set()
    for unit in OrgUnit.objects.all():
        words |= {unit.code, unit.name_kk, unit.name_ru, unit.name_en}
    for person in Person.objects.select_related("user"):
        words |= set(person.all_spellings()) | {person.iin}
        if person.user is not None:
            words.add(person.user.username)
    for programme in Programme.objects.all():
        words |= {programme.code, programme.name_kk, programme.name_ru, programme.name_en}
    words |= set(StudyGroup.objects.values_list("code", flat=True))
    return {w for value in words for w in re.split(r"[\s,()—-]+", value) if w}


def wrong_script(language: str, chunks: list[str], allowed: set[str]) -> list[str]:
    found = []
    for chunk in chunks:
        if language == "en":
            rest = " ".join(
                w for w in chunk.split() if w.strip(".,:;()«»\"'") not in allowed | LANGUAGE_NAMES
            )
            if CYRILLIC.search(rest):
                found.append(chunk)
        else:
            words = [w for w in LATIN_WORD.findall(chunk) if w not in allowed | SAME_IN_EVERY_LANGUAGE]
            if words:
                found.append(f"{chunk!r} ({', '.join(words)})")
    return found


def crawl(client: Client, start: str) -> dict[str, list[str]]:
    """Pages reachable from `start` (two levels), each with its text chunks."""
    pages: dict[str, list[str]] = {}
    frontier = [start]
    for _level in range(3):
        following: list[str] = []
        for url in frontier:
            if url in pages or len(pages) >= MAX_PAGES:
                continue
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                pages[url] = []
                continue
            parser = _Text()
            parser.feed(response.content.decode())
            pages[url] = parser.chunks
            following += [
                link.split("#")[0]
                for link in parser.links
                if FOLLOW.match(link) and not any(part in link for part in SKIP_PARTS)
            ]
        frontier = list(dict.fromkeys(following))
    return pages


ROLES = [
    Role.RECTOR,
    Role.VICE_RECTOR,
    Role.DEAN,
    Role.HEAD_OF_DEPARTMENT,
    Role.TEACHER,
    Role.REGISTRAR,
    Role.ARCHIVIST,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
    Role.METHODOLOGIST,
    Role.STUDENT,
]


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_page_of_every_role_is_in_the_language_asked_for(
    staff: dict[str, Any], org: Any, language: str
) -> None:
    allowed = data_values()
    problems: dict[str, str] = {}  # text -> where it was first seen
    for role in ROLES:
        client = Client(headers={"accept-language": language})
        client.force_login(staff[role])
        client.cookies["django_language"] = language
        start = "/portal/" if role == Role.STUDENT else "/admin/"
        for url, chunks in crawl(client, start).items():
            for text in wrong_script(language, chunks, allowed):
                problems.setdefault(text, f"{role} {url}")
    listing = "\n".join(f"{where}: {text}" for text, where in sorted(problems.items(), key=lambda p: p[1]))
    assert not problems, f"{len(problems)} texts in the wrong script:\n{listing}"
