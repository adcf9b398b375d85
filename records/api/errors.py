"""One shape for every API error: {"code", "message"} (+ "detail" for invalid input); never a 500 for bad input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from ninja.errors import AuthenticationError, HttpError, ValidationError

from records.errors import ConcurrentEdit, NotFoundOrForbidden, RecordsError

if TYPE_CHECKING:
    from ninja import NinjaAPI

# RecordsError codes that are not a plain 400.
STATUS_BY_CODE = {"forbidden": 403, "csrf_failed": 403, "subject_out_of_scope": 403}


def status_for(error: RecordsError) -> int:
    """HTTP status of a domain error: hidden or absent 404, lost update 409, refused 403, else 400."""
    if isinstance(error, NotFoundOrForbidden):
        return 404
    if isinstance(error, ConcurrentEdit):
        return 409
    return STATUS_BY_CODE.get(error.code, 400)


def _location(loc: Any) -> str:
    parts = [str(p) for p in (loc or []) if p not in ("body", "query", "path", "payload", "params")]
    return ".".join(parts) or "—"


def readable_problems(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The errors of ninja's validation, reduced to JSON-safe {"field", "message", "type"}."""
    return [
        {
            "field": _location(err.get("loc")),
            "message": str(err.get("msg", "")),
            "type": str(err.get("type", "")),
        }
        for err in errors
    ]


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers that turn domain errors and bad input into JSON responses."""

    def error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
        return api.create_response(request, {"code": code, "message": message, **extra}, status=status)

    @api.exception_handler(RecordsError)
    def on_records_error(request: HttpRequest, exc: RecordsError) -> HttpResponse:
        return error(request, status_for(exc), exc.code, exc.message)

    @api.exception_handler(ConcurrentTransition)
    def on_concurrent_transition(request: HttpRequest, exc: ConcurrentTransition) -> HttpResponse:
        message = _("This document was changed by someone else meanwhile. Reload it and try again.")
        return error(request, 409, "concurrent_edit", message)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = readable_problems(exc.errors)
        summary = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        message = _("The request is not valid: %(problems)s") % {"problems": summary}
        return error(request, 422, "invalid_input", message, detail=problems)

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error(
            request,
            401,
            "unauthenticated",
            _("Sign in or send an API token in the header 'Authorization: Bearer <token>'."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            return error(request, 400, "malformed_request", _("The request body is not valid JSON."))
        return error(request, exc.status_code, f"http_{exc.status_code}", str(exc))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error(request, 404, "not_found", _("Not found."))

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error(request, 413, "request_too_large", _("The request is too large."))

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return error(request, 400, "bad_request", _("The request was refused as malformed."))
