"""The letterhead a university's official documents carry: the ministry above the university's name.

Orders, certificates, transcripts, grade statements, final attestation protocols and working
curricula of a Kazakh university are printed on a form headed by the ministry the university
answers to. The academic policy is the university's own regulation (no ministry line); the diploma
and its supplement have their own designed layout (records.kinds.diploma).
"""

from __future__ import annotations

MINISTRY = {
    "kk": "Қазақстан Республикасы Ғылым және жоғары білім министрлігі",
    "ru": "Министерство науки и высшего образования Республики Казахстан",
    "en": "Ministry of Science and Higher Education of the Republic of Kazakhstan",
}
WITHOUT_MINISTRY = frozenset({"academic_policy", "diploma", "diploma_supplement"})


def has_ministry(kind_code: str) -> bool:
    """Whether the kind's documents are headed by the ministry's name."""
    return kind_code not in WITHOUT_MINISTRY


def ministry_lines(kind_code: str, language: str) -> tuple[str, ...]:
    """The fixed lines above the university's name in the kind's default template (none or one)."""
    if not has_ministry(kind_code):
        return ()
    return (MINISTRY.get(language) or MINISTRY["ru"],)


def letterhead_text(kind_code: str, language: str = "ru") -> str:
    """The letterhead's fixed text as the kind's paper prints it (for the index of a document
    registered without a rendering, whose text is not otherwise there)."""
    return " ".join(ministry_lines(kind_code, language))
