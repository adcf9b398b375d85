"""On a seeded registry, "ҚАЗАҚСТАН 2024 бұйрық" finds the orders of 2024 (journey 7).

The demo's history is registered in bulk (no rendering): its orders are indexed with the letterhead
their paper carries ("Министерство науки и высшего образования Республики Казахстан"), the title
names the effective date, and "бұйрық" is the Kazakh name of every order kind.
"""

from __future__ import annotations

from typing import Any

from records.demo.academic import seed_academic
from records.demo.seed import seed_demo
from records.models import Document, Role, RoleAssignment
from records.selectors.search import search_documents
from search.sync import drain


def test_the_kazakh_query_finds_the_2024_orders_of_a_seeded_registry(db: Any) -> None:
    seed_demo(students=40, seed=4)
    seed_academic(seed=4, max_groups=1, signed=False, last_year=2024, current_term=False)
    assert drain().ok
    orders_2024 = {
        d.pk
        for d in Document.objects.filter(kind__startswith="student_order_", state="registered")
        if str(d.current_version.data.get("effective_date", "")).startswith("2024-")
    }
    assert len(orders_2024) >= 10  # enrollments and transfers to the next year of 2024
    archivist = RoleAssignment.objects.filter(role=Role.ARCHIVIST).select_related("person__user").first()
    assert archivist is not None
    found: set[int] = set()
    cursor = None
    while True:
        page = search_documents(
            user=archivist.person.user, text="ҚАЗАҚСТАН 2024 бұйрық", size=100, cursor=cursor
        )
        found |= {row.document.pk for row in page.hits}
        cursor = page.next_cursor
        if not cursor or not page.hits:
            break
    assert found == orders_2024
