"""Plain error pages for every visitor: what happened and where to go, nothing about the site's inside."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """404: the page does not exist (or is not yours); never the list of URL patterns."""
    body = loader.render_to_string("404.html", {}, request)
    return HttpResponse(body, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """500: rendered without the request context (which may be what failed)."""
    return HttpResponseServerError(loader.render_to_string("500.html"))
