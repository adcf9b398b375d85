"""URL map: back office (/admin/), portal (/portal/), verification (/verify/), API (/api/v1/)."""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access

from records.admin.home import cached_home


def no_cms_pages(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    """The registry has no CMS pages: Wagtail's page explorer is a plain 404, not a broken page."""
    raise Http404


urlpatterns = [
    re_path(r"^admin/pages/", no_cms_pages),
    # The dashboard through the page cache (records/admin/home.py), behind Wagtail's own access check.
    path("admin/", never_cache(require_admin_access(cached_home))),
    path("admin/", include(wagtailadmin_urls)),
    path("api/v1/", include("records.api.urls")),
    path("", include("records.portal.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]

if getattr(settings, "RECTORATE_SERVE_STATIC", False):  # the dev profile without DEBUG: runserver's files
    from django.contrib.staticfiles.views import serve

    urlpatterns.insert(0, re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}))

# Plain error pages (templates 400/403/404/500.html); never Django's debug pages.
handler404 = "records.portal.errors.page_not_found"
handler500 = "records.portal.errors.server_error"
