"""What a document kind declares in one place, and the kind registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

from records.errors import RecordsError
from records.kinds import load_all
from records.kinds.labels import error_sentences

if TYPE_CHECKING:
    from records.models import Document, OrgUnit, Version
    from records.subjects import SubjectRef


@dataclass(frozen=True)
class RouteStep:
    """One step of a signing route: who signs (role) and where their scope must reach."""

    code: str  # also the name of the signature field the template prepares
    role: str
    label: Promise | str


@dataclass(frozen=True)
class KindEffects:
    """What a kind's projection hook asks the lifecycle engine to do beyond its own projection rows.

    A hook never saves a document or writes an audit event; the engine does what it returns.
    """

    supersede: tuple[int, ...] = ()  # documents the registered one replaces (a reissued diploma)


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document: schema, numbering, roles, route, templates, projection, retention."""

    code: str
    names: dict[str, str]
    schema: type[BaseModel]
    series: str
    creator_roles: frozenset[str]
    approver_roles: frozenset[str]
    revoker_roles: frozenset[str]
    signing_route: tuple[RouteStep, ...]
    retention_class: str
    languages: tuple[str, ...] = ("kk", "ru", "en")
    number_format: str = "{series}-{year}-{seq:06d}"
    sample_data: dict[str, Any] = field(default_factory=dict)
    # What registration does to the domain tables; it may return what else the engine should do.
    project: Callable[[Document, Version], KindEffects | None] | None = None
    unproject: Callable[[Document, Version], None] | None = None
    search_text: Callable[[Document, Version], str] | None = None
    # Checks of the data against the registry (the student's state, earlier statements) at create and
    # edit time, before anything is stored; returns the data to store (with any computed values).
    validate_db: Callable[[dict[str, Any], OrgUnit], dict[str, Any]] | None = None
    # What a draft may lack but a version sent on may not (a distribution with a line unassigned):
    # raises RecordsError; checked when a version is frozen and again when it is registered.
    check_complete: Callable[[dict[str, Any]], None] | None = None
    # Signature fields the template prepares beyond the route (e.g. the organisation seal).
    extra_signature_fields: tuple[str, ...] = ()
    # Whom a document names (students, groups, programmes, units), from its validated data: each must
    # lie in the author's and the approver's scope and in the owning unit (records.permissions).
    subjects: Callable[[dict[str, Any]], list[SubjectRef]] | None = None
    # The data's values as a person writes them in a language (names, options in words), given to
    # templates as ``text``; ``text_keys`` are the names it returns (what a template may use).
    text: Callable[[dict[str, Any], str], dict[str, str]] | None = None
    text_keys: tuple[str, ...] = ()
    # The document's title made from its data in a language (the kind's name when None).
    title: Callable[[dict[str, Any], str], str] | None = None
    # Names every template of the kind must use (a certificate must carry its QR code and the
    # verification link): an uploaded template without them is refused.
    required_template_names: tuple[str, ...] = ()
    # The kind's default layout: builds its default DOCX template for a language (records.kinds.
    # templates; None: the plain layout). A new layout is this one attribute of the kind.
    layout: Callable[[DocumentKind, str], bytes] | None = None
    # The languages its default template is kept in (documents are rendered in Russian; certificates
    # in the language the student chooses).
    template_languages: tuple[str, ...] = ("ru",)
    # The records whose content the document's registration destroys (a disposition act): the engine
    # refuses its approval, sending for signing and registration while any of them is under hold, and
    # disposes of each when it registers (records.services.document).
    disposes: Callable[[dict[str, Any]], list[int]] | None = None

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return self.names.get(lang) or self.names["ru"]

    def make_title(self, data: dict[str, Any], language: str | None = None) -> str:
        """The title of a document of this kind with `data`, in `language` (kk, ru or en); without
        one, in the document's own language (its data's ``language``, else Russian)."""
        language = language or str(data.get("language") or "ru")
        language = language if language in ("kk", "ru", "en") else "ru"
        if self.title is not None:
            return self.title(data, language)[:500]
        return self.names.get(language) or self.names["ru"]

    def data_text(self, data: dict[str, Any], language: str = "ru") -> dict[str, str]:
        """The data's values in words for templates (``text.*``); empty for a kind without them."""
        if self.text is None:
            return {}
        return self.text(data, language)

    def format_number(self, *, year: int, seq: int) -> str:
        return self.number_format.format(series=self.series, year=year, seq=seq)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        """Validate and normalise `data` by the kind's schema; errors name the fields."""
        try:
            return self.schema.model_validate(data).model_dump(mode="json")
        except ValidationError as exc:
            problems = " ".join(error_sentences(exc, self.schema))
            raise RecordsError("invalid_data", "%(problems)s", problems=problems) from exc


KINDS: dict[str, DocumentKind] = {}


def register_kind(kind: DocumentKind) -> DocumentKind:
    KINDS[kind.code] = kind
    return kind


def get_kind(code: str) -> DocumentKind:
    load_all()
    try:
        return KINDS[code]
    except KeyError:
        raise RecordsError("unknown_kind", _("Unknown document kind %(kind)s."), kind=code) from None


def all_kinds() -> list[DocumentKind]:
    load_all()
    return list(KINDS.values())


# The language the registry renders a document in when its data names none (certificates and orders
# on students name theirs).
DOCUMENT_LANGUAGE = "ru"


def document_language(version: Any) -> str:
    """The language a version is rendered in: its own when its data names one, else Russian."""
    language = version.data.get("language") if isinstance(version.data, dict) else None
    return language if language in ("kk", "ru", "en") else DOCUMENT_LANGUAGE
