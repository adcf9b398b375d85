"""The ratings that count: those of registered, unrevoked rating statements (РК1/РК2)."""

from __future__ import annotations

from decimal import Decimal

from records.projections.base import in_force

KIND = "rating_statement"


def registered_ratings(
    *, discipline_code: str, group_code: str, academic_year: int, period: int
) -> dict[int, dict[str, Decimal]]:
    """{control: {student IIN: rating}} of the registered, unrevoked РК statements of a discipline,
    group and term (the later registration wins when there are two of one control)."""
    found: dict[int, dict[str, Decimal]] = {}
    documents = (
        in_force([KIND])
        .select_related("current_version")
        .filter(
            current_version__data__discipline_code=discipline_code,
            current_version__data__group_code=group_code,
            current_version__data__academic_year=academic_year,
            current_version__data__period=period,
        )
    )
    for document in documents:
        data = document.current_version.data if document.current_version else {}
        ratings = found.setdefault(int(data["control"]), {})
        ratings.update({line["student_iin"]: Decimal(str(line["rating"])) for line in data["lines"]})
    return found
