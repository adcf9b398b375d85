"""The NinjaAPI of /api/v1/: authentication, error handling and the routers."""

from __future__ import annotations

from ninja import NinjaAPI

from records.api import archive, documents, kinds
from records.api.auth import api_auth
from records.api.errors import install_error_handlers
from records.api.search import router as search_router

api = NinjaAPI(
    title="Electronic Rectorate API",
    version="1",
    description=(
        "The registry of the Electronic Rectorate. Authenticate with the session of the back office "
        "(unsafe methods need the CSRF token) or with `Authorization: Bearer <token>`. Errors are "
        '`{"code", "message"}`: 404 for documents that do not exist or that you may not see, '
        "409 for a draft changed by someone else, 422 for invalid input."
    ),
    urls_namespace="api-v1",
    auth=api_auth(),
)
install_error_handlers(api)
api.add_router("/", documents.router)
api.add_router("/", kinds.router)
api.add_router("/search", search_router)
api.add_router("/archive", archive.router)
