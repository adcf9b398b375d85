"""Default DOCX templates of the kinds, built with the rendering capability's template builder."""

from __future__ import annotations

import functools
import hashlib

from django.utils import translation

from doctemplates.defaults import Field, SignatureSlot, build_template
from records.kinds.base import DocumentKind, get_kind

LABELS = {
    "number": {"kk": "Нөмірі", "ru": "Номер", "en": "Number"},
    "date": {"kk": "Күні", "ru": "Дата", "en": "Date"},
    "subject": {"kk": "Тақырыбы", "ru": "Тема", "en": "Subject"},
    "executor": {"kk": "Орындаушы", "ru": "Исполнитель", "en": "Executor"},
    "effective_date": {"kk": "Күшіне енетін күні", "ru": "Дата вступления в силу", "en": "Effective date"},
}


def _step_labels(kind: DocumentKind) -> list[SignatureSlot]:
    slots = []
    for step in kind.signing_route:
        labels = {}
        for lang in ("kk", "ru", "en"):
            with translation.override(lang):
                labels[lang] = str(step.label)
        slots.append(SignatureSlot(step.code, labels, f"signers.{step.code}|default('')"))
    return slots


@functools.cache
def default_template(kind_code: str, language: str = "ru") -> tuple[bytes, str]:
    """The kind's default template for `language` and its identifier ("default:<sha256[:16]>")."""
    kind = get_kind(kind_code)
    if kind_code == "internal_order":
        docx = build_template(
            title={"kk": "Бұйрық", "ru": "Приказ", "en": "Order"},
            fields=[
                Field(LABELS["number"], "number"),
                Field(LABELS["date"], "date|date_{lang}"),
                Field(LABELS["subject"], "data.subject"),
                Field(LABELS["effective_date"], "data.effective_date|default('—', true)"),
                Field(LABELS["executor"], "data.executor|default('—', true)"),
            ],
            languages=(language,),
            body_expression="data.body",
            signature_slots=_step_labels(kind),
            header_expression="university_name",
        )
    else:
        docx = build_template(
            title=kind.names,
            fields=[Field(LABELS["number"], "number"), Field(LABELS["date"], "date|date_{lang}")],
            languages=(language,),
            signature_slots=_step_labels(kind),
            header_expression="university_name",
        )
    return docx, "default:" + hashlib.sha256(docx).hexdigest()[:16]
