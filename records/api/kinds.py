"""Endpoint of the kind registry: what can be drafted and the JSON schema of its data."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from records.api.schemas import ErrorOut, KindOut, kind_out
from records.kinds.base import all_kinds

router = Router(tags=["kinds"])


@router.get("/kinds", response={200: list[KindOut], 401: ErrorOut}, summary="List document kinds")
def list_kinds(request: HttpRequest) -> list[KindOut]:
    """Every registered kind with its names and the JSON schema of its `data`."""
    return [kind_out(kind) for kind in sorted(all_kinds(), key=lambda kind: kind.code)]
