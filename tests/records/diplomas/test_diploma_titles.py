"""Diplomas and supplements are titled by their kind in every reader's language (not a Russian title
typed by the issuing code)."""

from __future__ import annotations

from records.kinds.base import get_kind
from records.kinds.titles import kind_titles, stored_titles


def test_a_diploma_and_its_supplement_have_titles_in_kk_ru_and_en() -> None:
    data = dict(get_kind("diploma").sample_data)
    titles = kind_titles("diploma", data)
    assert titles == {
        "kk": "Диплом BD 0000001: Серіков Нұрлан",
        "ru": "Диплом BD 0000001: Сериков Нурлан",
        "en": "Diploma BD 0000001: Serikov Nurlan",
    }
    supplement = kind_titles("diploma_supplement", dict(get_kind("diploma_supplement").sample_data))
    assert supplement["en"].startswith("Diploma supplement ") and supplement["kk"].startswith(
        "Дипломға қосымша "
    )
    # the issuing code stores the Russian one, so the translations are kept with the document
    assert stored_titles(titles, get_kind("diploma").make_title(data, "ru")) == titles
