"""The demo's orders are titled by their own order type (a next-year order is not "Приказ о переводе")."""

from __future__ import annotations

from typing import Any

from records.demo.academic import seed_academic
from records.demo.seed import seed_demo
from records.kinds.base import get_kind
from records.models import Document


def test_every_demo_order_is_titled_with_its_own_kind_name(db: Any) -> None:
    seed_demo(students=60, seed=4)
    seed_academic(seed=4, max_groups=2, signed=False)
    rows = Document.objects.filter(kind__startswith="student_order_").values_list("kind", "title", "titles")
    orders = [(kind, title) for kind, title, _titles in rows]
    kinds = {kind for kind, _title in orders}
    # In the reader's language too (the back office shows ``titles``): the order type's own name.
    for language in ("kk", "en"):
        named = [
            titles[language].startswith(get_kind(kind).names[language] + ":") for kind, _t, titles in rows
        ]
        assert named and all(named), language
    assert "student_order_next_year" in kinds and "student_order_enrollment" in kinds
    wrong = [
        (kind, title) for kind, title in orders if not title.startswith(get_kind(kind).names["ru"] + ":")
    ]
    assert wrong == []


def test_a_transfer_title_says_what_the_transfer_changes_in_each_language(db: Any) -> None:
    """The demo's changes of funding were all titled «Приказ о переводе: …», like a change of group."""
    kind = get_kind("student_order_transfer")
    base = {"student_iin": "040515500128", "effective_date": "2025-09-02", "grounds": "Заявление"}
    funding = kind.validate({**base, "funding": "state_grant"})
    group = kind.validate({**base, "group_code": "IS-24-2"})
    expected = {
        "kk": ("мемлекеттік білім беру гранты", "IS-24-2 тобы"),
        "ru": ("государственный образовательный грант", "группа IS-24-2"),
        "en": ("funding: state grant", "group IS-24-2"),
    }
    for language, (funding_words, group_words) in expected.items():
        funding_title, group_title = kind.make_title(funding, language), kind.make_title(group, language)
        assert funding_title.startswith(kind.names[language] + ":")
        assert funding_words in funding_title and group_words not in funding_title
        assert group_words in group_title and funding_words not in group_title
