"""The nomenclature of files (file plan) as a registered, versioned, effective-dated document.

Each series: an index ("02-05"), the unit whose file it is (empty: the whole university), a title in
Kazakh, Russian and English, the retention period in years (none: permanent) and its basis (the
article of the standard list, order No. 263 of 29.09.2017), the action at the end (destroy, review,
transfer to the state archive) and the kinds filed in it by default. Registering a nomenclature
materialises its series (records.projections.fileplan); a later one applies from its own effective
date only (records.selectors.fileplan.plan_in_force).
"""

from __future__ import annotations

from typing import Any, Literal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pydantic import BaseModel, Field

from doctemplates.defaults import Field as TemplateField
from doctemplates.defaults import build_template
from records.errors import RecordsError
from records.kinds.base import KINDS, DocumentKind, RouteStep, register_kind
from records.kinds.fields import RecordDate
from records.kinds.templates import LABELS, TABLE_MARKER, _number_fields, _with_tables, layout_common
from records.models import OrgUnit
from records.models.org import Role
from records.projections.fileplan import FILE_PLAN_KIND, project_file_plan, unproject_file_plan
from records.subjects import SubjectRef, code_ref

INDEX_PATTERN = r"^[0-9A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі.\-/]{1,30}$"


class SeriesEntry(BaseModel):
    """One series (file) of the nomenclature."""

    index: str = Field(pattern=INDEX_PATTERN, description="Index of the file, e.g. 02-05")
    unit: str = Field(default="", max_length=40, description="Code of the unit whose file it is")
    title_kk: str = Field(min_length=2, max_length=300)
    title_ru: str = Field(min_length=2, max_length=300)
    title_en: str = Field(min_length=2, max_length=300)
    retention_years: int | None = Field(default=None, ge=1, le=100, description="Empty: permanent")
    basis: str = Field(default="", max_length=200, description="Article of the standard list")
    final_action: Literal["destroy", "review", "transfer"]
    kinds: list[str] = Field(default_factory=list, max_length=100)


class FilePlanData(BaseModel):
    """A nomenclature of files and the date from which it applies."""

    effective_date: RecordDate
    series: list[SeriesEntry] = Field(min_length=1, max_length=3000)


def _validate_db(data: dict[str, Any], org_unit: Any) -> dict[str, Any]:
    series = data["series"]
    indexes = [entry["index"] for entry in series]
    repeated = sorted({i for i in indexes if indexes.count(i) > 1})
    if repeated:
        raise RecordsError(
            "invalid_data", _("A series index appears twice: %(index)s."), index=", ".join(repeated)
        )
    codes = {entry["unit"] for entry in series if entry["unit"]}
    known = set(OrgUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    if codes - known:
        raise RecordsError(
            "invalid_data", _("Unknown unit: %(unit)s."), unit=", ".join(sorted(codes - known))
        )
    from records.kinds import load_all  # cycle: the kinds package imports this module among all kinds

    load_all()
    unknown = sorted({k for entry in series for k in entry["kinds"]} - set(KINDS))
    if unknown:
        raise RecordsError("invalid_data", _("Unknown document kind %(kind)s."), kind=", ".join(unknown))
    for entry in series:
        if entry["retention_years"] is None and entry["final_action"] == "destroy":
            raise RecordsError(
                "invalid_data",
                _("Series %(index)s is kept permanently and cannot end in destruction."),
                index=entry["index"],
            )
    return data


def _subjects(data: dict[str, Any]) -> list[SubjectRef]:
    refs: list[SubjectRef] = []
    for entry in data.get("series", []):
        refs += code_ref("unit", entry.get("unit"))
    return refs


def _title(data: dict[str, Any], language: str) -> str:
    names = FILE_PLAN_NAMES
    return f"{names.get(language, names['ru'])} ({data.get('effective_date', '')})"


FILE_PLAN_NAMES = {"kk": "Істер номенклатурасы", "ru": "Номенклатура дел", "en": "File plan"}
LABELS.update(
    {
        "series_index": {"kk": "Индекс", "ru": "Индекс", "en": "Index"},
        "series_title": {"kk": "Істің атауы", "ru": "Заголовок дела", "en": "Series"},
        "retention": {"kk": "Сақтау мерзімі", "ru": "Срок хранения", "en": "Retention"},
        "basis": {"kk": "Тізбе бабы", "ru": "Статья перечня", "en": "Basis"},
        "final_action": {"kk": "Мерзім соңында", "ru": "По истечении срока", "en": "At the end"},
        "registered": {"kk": "Тіркелген күні", "ru": "Дата регистрации", "en": "Registered"},
        "title": {"kk": "Атауы", "ru": "Заголовок", "en": "Title"},
        "due_on": {"kk": "Мерзімі өтті", "ru": "Срок истёк", "en": "Due on"},
    }
)
ACTIONS = {
    "kk": "{'destroy': 'жою', 'review': 'сараптама', 'transfer': 'мемлекеттік мұрағатқа'}",
    "ru": "{'destroy': 'уничтожить', 'review': 'экспертиза', 'transfer': 'в госархив'}",
    "en": "{'destroy': 'destroy', 'review': 'review', 'transfer': 'to the state archive'}",
}
YEARS = {"kk": ("жыл", "Тұрақты"), "ru": ("лет", "Постоянно"), "en": ("years", "Permanent")}


def file_plan_layout(kind: DocumentKind, language: str) -> bytes:
    """A nomenclature: its effective date, then the table of series."""
    years, permanent = YEARS[language]
    docx = build_template(
        title=kind.names,
        fields=[
            *_number_fields(),
            TemplateField(LABELS["effective_date"], "data.effective_date|date_{lang}"),
        ],
        body_expression=TABLE_MARKER + "0",
        **layout_common(kind, language),  # type: ignore[arg-type]
    )
    columns = (
        ("series_index", "index"),
        ("series_title", f"title_{language}"),
        (
            "retention",
            "={{ (item.retention_years ~ ' "
            + years
            + "') if item.retention_years else '"
            + permanent
            + "' }}",
        ),
        ("basis", "basis"),
        ("final_action", "={{ " + ACTIONS[language] + "[item.final_action] }}"),
    )
    return _with_tables(docx, language, [("data.series", columns)])


FILE_PLAN = register_kind(
    DocumentKind(
        code=FILE_PLAN_KIND,
        names=FILE_PLAN_NAMES,
        schema=FilePlanData,
        series="НД",
        number_format="{series}-{year}-{seq:03d}",
        creator_roles=frozenset({Role.ARCHIVIST}),
        approver_roles=frozenset({Role.EXPERT_COMMISSION}),
        revoker_roles=frozenset({Role.RECTOR}),
        signing_route=(
            RouteStep(
                code="expert_commission", role=Role.EXPERT_COMMISSION, label=_lazy("Expert commission")
            ),
            RouteStep(code="rector", role=Role.RECTOR, label=_lazy("Rector")),
        ),
        retention_class="permanent",
        sample_data={
            "effective_date": "2026-01-01",
            "series": [
                {
                    "index": "01-01",
                    "unit": "",
                    "title_kk": "Ректордың бұйрықтары",
                    "title_ru": "Приказы ректора",
                    "title_en": "Orders of the rector",
                    "retention_years": None,
                    "basis": "ст. 19",
                    "final_action": "transfer",
                    "kinds": ["internal_order"],
                }
            ],
        },
        project=project_file_plan,
        unproject=unproject_file_plan,
        validate_db=_validate_db,
        subjects=_subjects,
        title=_title,
        layout=file_plan_layout,
        template_languages=("kk", "ru", "en"),
        search_text=lambda document, version: " ".join(
            f"{s.get('index', '')} {s.get('title_ru', '')}" for s in version.data.get("series", [])
        ),
    )
)
