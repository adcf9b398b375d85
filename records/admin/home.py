"""The dashboard (Wagtail's home view) served through the page cache (records/admin/pagecache.py).

Its panels show registry data (the chain head covers it), the demo history's progress (a job) and
the newest fixity pass; those two are not audited events, so every field of both is in the key.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from wagtail.admin.views.home import HomeView

from records.admin.pagecache import cached_page
from records.demo.history import demo_history_job
from records.selectors.fixity import fixity_latest

_home = HomeView.as_view()


def _state(row: Model | None) -> str:
    """Every stored field of `row` ("-" for none): what a panel built from it could show."""
    if row is None:
        return "-"
    return repr([getattr(row, field.attname) for field in row._meta.concrete_fields])


def cached_home(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Wagtail's dashboard, from the page cache while nothing it shows has changed."""
    parts = [_state(demo_history_job()), _state(fixity_latest())]
    return cached_page(request, "home", parts, lambda: _home(request, *args, **kwargs))
